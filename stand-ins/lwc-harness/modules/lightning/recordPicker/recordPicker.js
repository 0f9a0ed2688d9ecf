// Harness stand-in for <lightning-record-picker>: a plain text box for a record id (there is no
// org to search), reporting the choice the way the base component does.
import { LightningElement, api } from 'lwc';

export default class RecordPicker extends LightningElement {
  @api label;
  @api objectApiName;
  @api fieldLevelHelp;

  handleChange(event) {
    const recordId = event.target.value || null;
    this.dispatchEvent(new CustomEvent('change', { detail: { recordId } }));
  }
}
