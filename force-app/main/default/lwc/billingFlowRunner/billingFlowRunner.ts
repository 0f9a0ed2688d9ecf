import { LightningElement, api } from 'lwc';

/** A Flow input variable, as `lightning-flow` takes it. */
export interface FlowInput {
  name: string;
  type: 'String' | 'Boolean' | 'Number' | 'SObject';
  value: unknown;
}

interface FlowOutput {
  name: string;
  value: unknown;
}

interface FlowStatusDetail {
  status: string;
  outputVariables?: FlowOutput[];
}

/** What a flow returned: its output variables by name. */
export type FlowOutputs = Record<string, unknown>;

/**
 * Runs a screenless ("headless") flow through `<lightning-flow>` and resolves with its outputs: the
 * Apex-free route from a component to an External Service. A flow that ends on its fault path sets
 * the `faultMessage` output; that rejects, as does a flow that errors.
 */
export default class BillingFlowRunner extends LightningElement {
  flowApiName?: string;
  inputVariables: FlowInput[] = [];
  private pending?: { resolve: (outputs: FlowOutputs) => void; reject: (error: Error) => void };

  get running(): boolean {
    return this.pending !== undefined && this.flowApiName !== undefined;
  }

  /** Starts `flowApiName`; one run at a time. */
  @api
  run(flowApiName: string, inputVariables: FlowInput[]): Promise<FlowOutputs> {
    if (this.pending) {
      return Promise.reject(new Error(`${this.flowApiName ?? 'A flow'} is still running`));
    }
    return new Promise<FlowOutputs>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.inputVariables = inputVariables;
      this.flowApiName = flowApiName;
    });
  }

  handleStatusChange(event: CustomEvent<FlowStatusDetail>): void {
    const { status, outputVariables = [] } = event.detail;
    if (status !== 'FINISHED' && status !== 'FINISHED_SCREEN' && status !== 'ERROR') {
      return;
    }
    const pending = this.pending;
    this.pending = undefined;
    this.flowApiName = undefined;
    if (!pending) return;
    const outputs: FlowOutputs = {};
    for (const output of outputVariables) outputs[output.name] = output.value;
    const fault = outputs.faultMessage;
    if (status === 'ERROR') {
      pending.reject(
        new Error(typeof fault === 'string' && fault ? fault : 'The flow stopped with an error.'),
      );
    } else if (typeof fault === 'string' && fault.length > 0) {
      pending.reject(new Error(fault));
    } else {
      pending.resolve(outputs);
    }
  }
}
