// Harness stand-in for lightning/navigation: there is no Lightning Experience router, so
// navigating records the page reference (window.__harness.navigations) for the page to show.
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference) {
      window.__harness.navigations.push(pageReference);
    }
    [GenerateUrl](pageReference) {
      const { recordId, actionName } = pageReference.attributes || {};
      return Promise.resolve(`#/${recordId || ''}/${actionName || 'view'}`);
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export class CurrentPageReference {
  constructor(callback) {
    this.callback = callback;
  }
  connect() {}
  disconnect() {}
  update() {
    this.callback({ type: 'standard__component', attributes: {}, state: {} });
  }
}
