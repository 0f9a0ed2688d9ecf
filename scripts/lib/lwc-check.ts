/** TypeScript LWC rules from design.md: what must be ignored on deploy and how tsc must emit. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { result, count, type CheckResult } from './report.ts';

export function checkLwcTypeScript(projectRoot: string, lwcDir: string): CheckResult {
  const res = result('TypeScript LWC');
  if (!existsSync(lwcDir)) return res;
  const bundles = readdirSync(lwcDir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const tsBundles = bundles.filter((d) =>
    readdirSync(join(lwcDir, d.name)).some((f) => f.endsWith('.ts')),
  );
  count(res, 'TypeScript bundles', tsBundles.length);
  if (tsBundles.length === 0) return res;
  const forceignore = existsSync(join(projectRoot, '.forceignore'))
    ? readFileSync(join(projectRoot, '.forceignore'), 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
    : [];
  for (const pattern of ['**/*.ts', '**/tsconfig*.json', '**/__tests__/**']) {
    if (!forceignore.includes(pattern)) res.errors.push(`.forceignore must list ${pattern}`);
  }
  for (const config of ['tsconfig.json', 'tsconfig.build.json']) {
    const path = join(lwcDir, config);
    if (!existsSync(path)) continue;
    const options =
      (JSON.parse(readFileSync(path, 'utf8')) as { compilerOptions?: Record<string, unknown> })
        .compilerOptions ?? {};
    if (config === 'tsconfig.json' && String(options.target ?? '').toLowerCase() !== 'esnext') {
      res.errors.push(`${config}: target must be ESNext`);
    }
    if (options.experimentalDecorators === true)
      res.errors.push(`${config}: experimentalDecorators must not be true`);
    if (options.useDefineForClassFields === false)
      res.errors.push(`${config}: useDefineForClassFields must not be false`);
  }
  for (const bundle of tsBundles) {
    const files = readdirSync(join(lwcDir, bundle.name));
    if (!files.some((f) => f.endsWith('.js-meta.xml')))
      res.errors.push(`lwc/${bundle.name}: no .js-meta.xml`);
  }
  return res;
}
