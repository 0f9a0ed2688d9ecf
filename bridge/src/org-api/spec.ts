/**
 * The org API's one contract: bridge/src/org-api/openapi.json. The bridge serves these exact bytes
 * and the package's External Service Registration embeds the same text (written by
 * scripts/org-api-schema.ts; a test compares them byte for byte).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ORG_API_SPEC_FILE = fileURLToPath(new URL('./openapi.json', import.meta.url));

let text: string | undefined;

/** The OpenAPI document's text, exactly as in the file. */
export function orgApiSpecText(): string {
  text ??= readFileSync(ORG_API_SPEC_FILE, 'utf8');
  return text;
}

/** Fastify plugin: serves the document at GET /org/v1/openapi.json (no auth: it holds no secret). */
export function orgApiSpecRoute(app: {
  get: (
    path: string,
    handler: (
      request: unknown,
      reply: { type(t: string): { send(body: string): unknown } },
    ) => unknown,
  ) => unknown;
}): void {
  app.get('/org/v1/openapi.json', (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(orgApiSpecText()),
  );
}
