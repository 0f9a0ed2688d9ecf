#!/usr/bin/env node
// The billing-bridge command. Node 22+ runs the TypeScript sources directly (type stripping).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `billing-bridge needs Node.js 22 or later (this is ${process.version}). ` +
      'In this repository run it as `npx billing-bridge …` or `npm exec billing-bridge …`, which use node@22 from node_modules.\n',
  );
  process.exit(1);
}
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv);
