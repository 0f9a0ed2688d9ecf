// Shared LWC test set-up, loaded once for every test (jest `setupFilesAfterEnv`):
// accessibility matchers, the DOM reset, and a global `flushPromises`.
import { registerSa11yMatcher } from '@sa11y/jest';

declare global {
  /** Resolves after pending promise callbacks (wire emits, imperative calls, re-renders) have run. */
  function flushPromises(): Promise<void>;
}

registerSa11yMatcher();

globalThis.flushPromises = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
  jest.clearAllMocks();
});

export {};
