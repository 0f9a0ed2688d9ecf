/**
 * Runs the shared provider contract against the reference adapter. `REF_MUTATION` selects a
 * deliberately broken adapter (see provider.ts) for the contract's self-test.
 */
import { runProviderContract } from '../../providers/contract.ts';
import { ReferenceProvider, referenceWebhook } from './provider.ts';
import type { Mutation } from './provider.ts';
import { startReferenceSim } from './sim.ts';

export function runReferenceContract(mutation: Mutation = 'none'): void {
  runProviderContract(`reference adapter (${mutation})`, async () => {
    const sim = await startReferenceSim();
    const apiKey = 'reference-api-key-0123';
    return {
      provider: new ReferenceProvider({ baseUrl: sim.url, apiKey, mutation }),
      sim,
      apiKey,
      wrongKeyProvider: () => new ReferenceProvider({ baseUrl: sim.url, apiKey: '', mutation }),
      makeWebhook: (kind) => referenceWebhook(kind),
      badSignatureWebhook: () => referenceWebhook('subscription_created', 'not-the-secret'),
    };
  });
}

if (process.env.REF_MUTATION) runReferenceContract(process.env.REF_MUTATION as Mutation);
