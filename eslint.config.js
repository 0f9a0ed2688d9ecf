// One flat config: LWC rules for the package's components, typescript-eslint for the bridge,
// the stand-ins and the scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lwcConfig from '@salesforce/eslint-config-lwc';

const lwcFiles = ['force-app/main/default/lwc/**/*.ts'];
const nodeFiles = [
  'bridge/**/*.ts',
  'stand-ins/**/*.ts',
  'scripts/**/*.ts',
  'types/**/*.ts',
  '*.js',
  '*.ts',
  'bridge/bin/*.js',
];

export default [
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      'bridge/dist/**',
      '.sf/**',
      '.sfdx/**',
      'force-app/main/default/lwc/**/*.js',
      'force-app/main/default/staticresources/**',
      '.data/**',
      'stand-ins/lwc-harness/.build/**',
    ],
  },
  // Package components: Salesforce's recommended LWC rules, TypeScript flavour.
  ...lwcConfig.configs.recommendedTs.map((config) => ({ ...config, files: lwcFiles })),
  {
    files: lwcFiles,
    rules: {
      // The Babel parser misreads type positions: interface keys such as `name` look like
      // restricted globals and type-only imports look unused. tsc checks these files instead
      // (strict, noUnusedLocals, noUnusedParameters in the LWC tsconfig).
      'no-undef': 'off',
      'no-unused-vars': 'off',
      'no-restricted-globals': 'off',
    },
  },
  {
    files: ['force-app/main/default/lwc/**/__tests__/**/*.ts', 'jest.setup.ts', 'jest.config.js'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    rules: {
      // Tests drive wire adapters directly (getRecord.emit), as sfdx-lwc-jest intends.
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
    },
  },
  // The harness's browser modules (stand-ins for platform modules): plain LWC JavaScript.
  ...lwcConfig.configs.recommended.map((config) => ({
    ...config,
    files: ['stand-ins/lwc-harness/modules/**/*.js', 'stand-ins/lwc-harness/page/*.js'],
  })),
  {
    files: ['stand-ins/lwc-harness/modules/**/*.js', 'stand-ins/lwc-harness/page/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Node side: bridge, stand-ins, scripts.
  ...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({
    ...config,
    files: nodeFiles,
  })),
  {
    files: nodeFiles,
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
];
