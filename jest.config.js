import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

/** LWC unit tests (sfdx-lwc-jest). Shared helpers live in jest.setup.ts, not in each test. */
export default {
  ...jestConfig,
  moduleFileExtensions: ['ts', 'js', 'html'],
  testMatch: ['**/force-app/main/default/lwc/**/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/node_modules'],
  setupFilesAfterEnv: [...jestConfig.setupFilesAfterEnv, '<rootDir>/jest.setup.ts'],
  collectCoverageFrom: ['force-app/main/default/lwc/**/*.ts', '!**/__tests__/**'],
  coverageThreshold: {
    global: { branches: 80, functions: 85, lines: 85, statements: 85 },
  },
  coverageProvider: 'v8',
  passWithNoTests: false,
};
