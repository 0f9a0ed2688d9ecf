/**
 * The event feed: `GET /events.json` with `since_id`/`max_id`, `page`/`per_page` and
 * `direction` (asc or desc). Every change made through the API appends here first, then its
 * webhook is sent (index.ts `publish`).
 */
import type { FastifyInstance } from 'fastify';
import type { Json } from '../data.ts';
import { paginate, wrap } from '../http.ts';
import type { PageQuery, RouteContext } from '../http.ts';

/** Events with since_id < id ≤ max_id; ids only grow, so the feed stays sorted by id. */
function window(events: Json[], sinceId?: string, maxId?: string): Json[] {
  let start = 0;
  let end = events.length;
  if (sinceId) {
    const since = Number(sinceId);
    // Binary search: the first event whose id is above since_id.
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Number((events[mid] as Json).id) > since) hi = mid;
      else lo = mid + 1;
    }
    start = lo;
  }
  if (maxId) {
    const max = Number(maxId);
    while (end > start && Number((events[end - 1] as Json).id) > max) end--;
  }
  return start === 0 && end === events.length ? events : events.slice(start, end);
}

export function registerEventRoutes(app: FastifyInstance, { store }: RouteContext): void {
  app.get('/events.json', async (request) => {
    const q = request.query as PageQuery;
    return wrap('event', paginate(request, window(store.list('events'), q.since_id, q.max_id)));
  });
}
