// One flat config: LWC rules for the package's components, typescript-eslint for the bridge,
// the stand-ins and the scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lwcConfig from '@salesforce/eslint-config-lwc';

const lwcFiles = ['force-app/main/default/lwc/**/*.ts'];

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
    ],
  },
  // Package components: Salesforce's recommended LWC rules, TypeScript flavour.
  ...lwcConfig.configs.recommendedTs.map((config) => ({ ...config, files: lwcFiles })),
  {
    files: ['force-app/main/default/lwc/**/__tests__/**/*.ts', 'jest.setup.ts', 'jest.config.js'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
  },
  // Node side: bridge, stand-ins, scripts.
  ...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({
    ...config,
    files: ['bridge/**/*.ts', 'stand-ins/**/*.ts', 'scripts/**/*.ts', '*.js', 'bridge/bin/*.js'],
  })),
  {
    files: ['bridge/**/*.ts', 'stand-ins/**/*.ts', 'scripts/**/*.ts', '*.js', 'bridge/bin/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
];
