// Harness stand-in for lightning/platformShowToastEvent: the event Lightning Experience listens
// for (same name and shape); the harness page shows it.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      composed: true,
      cancelable: true,
      bubbles: true,
      detail: toast,
    });
  }
}
