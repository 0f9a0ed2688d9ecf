/**
 * Money: transactions (the classic wrapped list, `since_id`), invoices and credit notes (the
 * newer APIs: `{"invoices":[…]}` lists, single records unwrapped, addressed by `uid`, amounts as
 * decimal strings).
 */
import type { FastifyInstance } from 'fastify';
import { notFound, paginate, wrap } from '../http.ts';
import type { PageQuery, RouteContext } from '../http.ts';

export function registerBillingRoutes(app: FastifyInstance, { store }: RouteContext): void {
  app.get('/transactions.json', async (request) => {
    const q = request.query as PageQuery;
    let records = store.list('transactions');
    if (q.since_id) records = records.filter((t) => Number(t.id) > Number(q.since_id));
    if (q.max_id) records = records.filter((t) => Number(t.id) <= Number(q.max_id));
    return wrap('transaction', paginate(request, records));
  });
  app.get<{ Params: { id: string } }>('/transactions/:id.json', async (request, reply) => {
    const transaction = store.find('transactions', request.params.id);
    return transaction ? { transaction } : notFound(reply);
  });
  app.get('/invoices.json', async (request) => ({
    invoices: paginate(request, store.list('invoices')),
  }));
  app.get<{ Params: { uid: string } }>('/invoices/:uid.json', async (request, reply) => {
    const invoice = store.find('invoices', request.params.uid);
    return invoice ?? notFound(reply);
  });
  app.get('/credit_notes.json', async (request) => ({
    credit_notes: paginate(request, store.list('creditNotes')),
  }));
  app.get<{ Params: { uid: string } }>('/credit_notes/:uid.json', async (request, reply) => {
    const note = store.find('creditNotes', request.params.uid);
    return note ?? notFound(reply);
  });
}
