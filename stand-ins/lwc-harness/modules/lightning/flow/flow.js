// Harness stand-in for <lightning-flow>: instead of a Flow calling the External Service, it asks
// the page's runFlow (which calls the real org API) and reports FINISHED the way a flow does.
import { LightningElement, api } from 'lwc';

export default class Flow extends LightningElement {
  @api flowApiName;
  @api flowInputVariables;

  connectedCallback() {
    const inputs = Object.fromEntries(
      (this.flowInputVariables || []).map((v) => [v.name, v.value]),
    );
    window.__harness
      .runFlow(this.flowApiName, inputs)
      .then((outputs) => this.finish(outputs))
      .catch((error) => this.finish({ faultMessage: error.message }));
  }

  finish(outputs) {
    const outputVariables = Object.entries(outputs).map(([name, value]) => ({ name, value }));
    this.dispatchEvent(
      new CustomEvent('statuschange', { detail: { status: 'FINISHED', outputVariables } }),
    );
  }
}
