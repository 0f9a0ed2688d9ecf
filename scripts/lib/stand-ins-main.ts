/**
 * The stand-ins in a process of their own: the Salesforce emulator and the Maxio and Chargebee
 * simulators, whose webhooks go to `--bridge-url`. Prints one JSON line with their addresses and
 * credentials, then runs until killed. Benchmarks and the crash test use it so that the bridge's
 * process holds only the bridge (its memory is measured, and it can be killed alone).
 *
 *   node scripts/lib/stand-ins-main.ts --bridge-url http://127.0.0.1:8787 --scale 100
 */
import { parseArgs } from 'node:util';
import { startChargebeeSimulator } from '../../stand-ins/chargebee-simulator/index.ts';
import { startMaxioSimulator } from '../../stand-ins/maxio-simulator/index.ts';
import { startSalesforceEmulator } from '../../stand-ins/salesforce-emulator/index.ts';
import { CHARGEBEE_WEBHOOK, MAXIO_SHARED_KEY, seedOpportunities } from './local-stack.ts';

const { values } = parseArgs({
  options: {
    'bridge-url': { type: 'string' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
const bridge = values['bridge-url'];
if (!bridge) throw new Error('--bridge-url is required');
const scale = Number(values.scale);
const seed = Number(values.seed);
const sf = await startSalesforceEmulator({ port: 0, bulkChunk: 20_000 });
const maxio = await startMaxioSimulator({
  seed,
  scale,
  site: 'acme',
  webhook: { url: `${bridge}/webhooks/maxio:acme`, secret: MAXIO_SHARED_KEY },
  webhookSchedule: [250, 1000, 3000, 10000],
});
const chargebee = await startChargebeeSimulator({
  seed,
  scale,
  site: 'acme-test',
  webhook: { url: `${bridge}/webhooks/chargebee:acme-test`, ...CHARGEBEE_WEBHOOK },
  webhookSchedule: [250, 1000, 3000, 10000, 30000, 60000, 120000],
});
seedOpportunities(sf, chargebee.data.subscriptions);
process.stdout.write(
  `${JSON.stringify({
    salesforce: { url: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret },
    maxio: maxio.url,
    chargebee: chargebee.url,
    counts: {
      maxio: {
        customers: maxio.data.customers.length,
        subscriptions: maxio.data.subscriptions.length,
        invoices: maxio.data.invoices.length,
        events: maxio.data.events.length,
      },
      chargebee: {
        customers: chargebee.data.customers.length,
        subscriptions: chargebee.data.subscriptions.length,
        invoices: chargebee.data.invoices.length,
        events: chargebee.data.events.length,
      },
    },
  })}\n`,
);
const stop = async () => {
  await Promise.allSettled([maxio.close(), chargebee.close(), sf.close()]);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
