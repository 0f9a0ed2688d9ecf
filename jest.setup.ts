// Shared LWC test set-up: accessibility matchers, the DOM reset and flushPromises, once for all tests.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();

afterEach(() => {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
  jest.clearAllMocks();
});

/** Resolves after pending promise callbacks (wire emits, imperative calls) have run. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
