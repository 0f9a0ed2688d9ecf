import { formatLabel, reduceErrors } from 'c/ldsUtils';
import errors from './data/errors.json';

describe('c-lds-utils reduceErrors', () => {
  it('reads UI API read errors (body is a list)', () => {
    expect(reduceErrors(errors.uiApiReadError)).toEqual(['The requested resource does not exist']);
  });

  it('reads UI API DML errors with record and field errors', () => {
    expect(reduceErrors(errors.uiApiDmlError)).toEqual([
      'Choose a billing site first.',
      'Billing Site is required.',
    ]);
  });

  it('reads page errors from record forms', () => {
    expect(reduceErrors(errors.recordFormError)).toEqual(['You do not have access.']);
  });

  it('reads the bridge org API error body relayed by a Flow', () => {
    expect(reduceErrors(errors.bridgeError)).toEqual([
      'Coupon code SAVE99 was not found on site acme.',
    ]);
  });

  it('reads JS errors, Flow fault strings and lists, dropping empties and duplicates', () => {
    expect(
      reduceErrors([
        new Error('Network down'),
        'FLOW fault: timeout',
        '',
        null,
        'FLOW fault: timeout',
      ]),
    ).toEqual(['Network down', 'FLOW fault: timeout']);
  });

  it('falls back to statusText and to plain values', () => {
    expect(reduceErrors({ statusText: 'Service Unavailable' })).toEqual(['Service Unavailable']);
    expect(reduceErrors(42)).toEqual(['42']);
    expect(reduceErrors(undefined)).toEqual([]);
    expect(reduceErrors({ unrelated: true })).toEqual([]);
  });
});

describe('c-lds-utils formatLabel', () => {
  it('fills numbered placeholders in the order the label names them', () => {
    expect(formatLabel('{1} of {0}: {1}', 'LOG-1', 3)).toBe('3 of LOG-1: 3');
  });

  it('leaves a placeholder without a value as it is', () => {
    expect(formatLabel('Retry {0} ({2})', 'LOG-1')).toBe('Retry LOG-1 ({2})');
  });
});
