/**
 * Builds the harness page: compiles the package's LWC TypeScript, then bundles it with LWC OSS,
 * lightning-base-components and our stand-ins for the platform-only modules (lightning-flow,
 * uiRecordApi, uiRelatedListApi, uiObjectInfoApi, navigation, platformShowToastEvent, recordPicker; @salesforce/label
 * resolves to the real custom label values, @salesforce/apex's refreshApex re-reads the wires).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup, type Plugin } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import { XMLParser } from 'fast-xml-parser';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const SOURCE = join(REPO, 'force-app', 'main', 'default');

function labels(): Map<string, string> {
  const xml = new XMLParser({ isArray: (name) => name === 'labels' }).parse(
    readFileSync(join(SOURCE, 'labels', 'CustomLabels.labels-meta.xml'), 'utf8'),
  ) as {
    CustomLabels: { labels: { fullName: string; value: string }[] };
  };
  return new Map(xml.CustomLabels.labels.map((l) => [l.fullName, String(l.value)]));
}

const I18N: Record<string, string> = {
  locale: 'en-US',
  lang: 'en-US',
  currency: 'USD',
  timeZone: 'UTC',
  dir: 'ltr',
  firstDayOfWeek: '1',
  'dateTime.shortDateFormat': 'M/d/yyyy',
  'dateTime.mediumDateFormat': 'MMM d, yyyy',
  'dateTime.longDateFormat': 'MMMM d, yyyy',
  'dateTime.shortTimeFormat': 'h:mm a',
  'dateTime.mediumTimeFormat': 'h:mm:ss a',
  'dateTime.shortDateTimeFormat': 'M/d/yyyy h:mm a',
  'dateTime.mediumDateTimeFormat': 'MMM d, yyyy h:mm:ss a',
  'number.decimalSeparator': '.',
  'number.groupingSeparator': ',',
  'number.numberFormat': '#,##0.###',
  'number.percentFormat': '#,##0%',
  'number.currencyFormat': '¤#,##0.00',
  'number.currencySymbol': '$',
  defaultCalendar: 'gregorian',
  defaultNumberingSystem: 'latn',
  common: '',
  'common.calendarData': '',
  'common.digits': '',
  'locale.nameFormat': '',
};

/** @salesforce/label, @salesforce/schema and @salesforce/i18n as virtual modules. */
function salesforceModules(): Plugin {
  const values = labels();
  return {
    name: 'salesforce-modules',
    resolveId: (id) => (id.startsWith('@salesforce/') ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith('\0@salesforce/')) return null;
      const path = id.slice('\0@salesforce/'.length);
      if (path.startsWith('label/c.')) {
        const name = path.slice('label/c.'.length);
        const value = values.get(name);
        if (value === undefined) this.error(`no custom label ${name}`);
        return `export default ${JSON.stringify(value)};`;
      }
      if (path.startsWith('schema/')) {
        const [objectApiName, ...field] = path.slice('schema/'.length).split('.');
        return `export default ${JSON.stringify(field.length ? { objectApiName, fieldApiName: field.join('.') } : { objectApiName })};`;
      }
      if (path.startsWith('label/')) {
        // Base components' own labels (e.g. LightningControl.required): their key, readable.
        const key = path.split('.').pop() ?? path;
        return `export default ${JSON.stringify(key.replace(/([a-z])([A-Z])/g, '$1 $2'))};`;
      }
      // refreshApex re-reads a wire: here, every wire re-reads the in-page record store.
      if (path === 'apex')
        return "import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';\nexport const refreshApex = () => notifyRecordUpdateAvailable();";
      if (path.startsWith('accessCheck/')) return 'export default false;';
      // Feature gates: closed, falling back to the caller's default.
      if (path.startsWith('gate/'))
        return 'export default { isOpen: (o) => Boolean(o && o.fallback) };';
      if (path.startsWith('internal/')) return 'export default undefined;';
      if (path.startsWith('i18n/'))
        return `export default ${JSON.stringify(I18N[path.slice(5)] ?? '')};`;
      if (path === 'client/formFactor') return 'export default "Large";';
      if (path.startsWith('user/')) return 'export default "005000000000000AAA";';
      this.error(`no harness stand-in for @salesforce/${path}`);
    },
  };
}

/** What bundlers usually replace: a production build, never server-side rendering. */
function buildFlags(): Plugin {
  return {
    name: 'build-flags',
    transform: (code) =>
      code.includes('process.env.NODE_ENV') || code.includes('import.meta.env.SSR')
        ? code
            .replaceAll('process.env.NODE_ENV', '"production"')
            .replaceAll('import.meta.env.SSR', 'false')
        : null,
  };
}

export async function buildHarness(outFile: string): Promise<void> {
  // Compiled inside the harness folder so the LWC resolver finds lwc.config.json above it.
  const compiled = join(HERE, '.build');
  rmSync(compiled, { recursive: true, force: true });
  try {
    const out = join(compiled, 'c');
    execFileSync(process.execPath, [
      join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(SOURCE, 'lwc', 'tsconfig.build.json'),
      '--outDir',
      out,
    ]);
    for (const bundle of readdirSync(out)) {
      for (const file of readdirSync(join(SOURCE, 'lwc', bundle))) {
        if (file.endsWith('.html') || file.endsWith('.css'))
          cpSync(join(SOURCE, 'lwc', bundle, file), join(out, bundle, file));
      }
    }
    const build = await rollup({
      input: join(HERE, 'page', 'main.js'),
      plugins: [
        salesforceModules(),
        buildFlags(),
        lwc({
          rootDir: HERE,
          modules: [
            { dir: compiled },
            { dir: join(HERE, 'modules') },
            { npm: 'lightning-base-components' },
          ],
          enableSyntheticElementInternals: true,
          enableDynamicComponents: true,
        }),
      ],
      onwarn: () => undefined,
    });
    await build.write({ file: outFile, format: 'esm', inlineDynamicImports: true });
    await build.close();
  } finally {
    rmSync(compiled, { recursive: true, force: true });
  }
}
