// Harness stand-in for lightning/uiObjectInfoApi: the harness user is an admin, so every object and
// field is updateable.
export class getObjectInfo {
  constructor(callback) {
    this.callback = callback;
  }
  connect() {}
  disconnect() {}
  update(config) {
    const apiName =
      typeof config.objectApiName === 'string'
        ? config.objectApiName
        : config.objectApiName && config.objectApiName.objectApiName;
    const fields = new Proxy({}, { get: (_, name) => ({ apiName: name, updateable: true }) });
    this.callback({ data: { apiName, updateable: true, fields }, error: undefined });
  }
}
