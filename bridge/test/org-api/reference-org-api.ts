/**
 * The org API over the reference billing API, for tests and the LWC harness: one connected site
 * (chargebee:reference), one allowed org with `token`, an in-memory creation ledger.
 */
import type { FastifyInstance } from 'fastify';
import { buildOrgApi } from '../../src/org-api/server.ts';
import type { PreviewSource } from '../../src/org-api/preview-source.ts';
import { MemoryCreationLedger } from '../../src/org-api/ledger.ts';
import { ReferenceProvider } from '../core/reference/provider.ts';
import { startReferenceSim, type ReferenceSim } from '../core/reference/sim.ts';

export interface ReferenceOrgApi {
  app: FastifyInstance;
  sim: ReferenceSim;
  provider: ReferenceProvider;
  close(): Promise<void>;
}

export async function startReferenceOrgApi(
  token: string,
  version = 'test',
  previewSource?: PreviewSource,
): Promise<ReferenceOrgApi> {
  const sim = await startReferenceSim();
  const provider = new ReferenceProvider({ baseUrl: sim.url, apiKey: 'reference-api-key-0123' });
  const app = buildOrgApi({
    orgs: [{ id: '00Dxx0000001gPFEAY', token }],
    sites: [
      {
        site: {
          key: provider.siteKey,
          provider: 'chargebee',
          name: 'reference',
          defaultCurrency: 'USD',
        },
        provider,
      },
    ],
    ledger: new MemoryCreationLedger(),
    version,
    ...(previewSource ? { previewSource } : {}),
  });
  return {
    app,
    sim,
    provider,
    close: async () => {
      await app.close();
      await sim.close();
    },
  };
}

/** A preview request for the reference site's flat-fee plan, for an existing customer. */
export function planOnlyPreview(provider: ReferenceProvider, customerId: string) {
  return {
    siteKey: provider.siteKey,
    customer: { customerId },
    pricePointId: 'pp_pro_m',
    planQuantity: '1',
    items: [],
    couponCodes: [],
  };
}
