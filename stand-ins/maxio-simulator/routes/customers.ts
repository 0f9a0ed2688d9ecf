/**
 * Customers: list, read, update (`PUT /customers/{id}.json` with `{customer:{…}}`), and the
 * validation Maxio applies to customer attributes (shared with subscription signup, which may
 * create the customer).
 */
import type { FastifyInstance } from 'fastify';
import { siteTime } from '../data.ts';
import type { Json } from '../data.ts';
import { notFound, paginate, unprocessable, wrap } from '../http.ts';
import type { RouteContext } from '../http.ts';
import type { MaxioStore } from '../store.ts';

/** The writable customer attributes. */
export const CUSTOMER_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'cc_emails',
  'organization',
  'reference',
  'address',
  'address_2',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'locale',
  'vat_number',
  'tax_exempt',
  'parent_id',
];

/** Maxio's messages for invalid customer attributes (empty when valid). */
export function customerErrors(
  store: MaxioStore,
  attrs: Json,
  creating: boolean,
  self: Json | null = null,
): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(attrs)) {
    if (!CUSTOMER_FIELDS.includes(key)) errors.push(`Unknown attribute: ${key}`);
  }
  if (creating && !attrs.first_name) errors.push('First name: cannot be blank.');
  if (creating && !attrs.last_name) errors.push('Last name: cannot be blank.');
  if (attrs.email !== undefined && attrs.email !== null) {
    if (!/^[^\s@]+@[^\s@]+$/.test(String(attrs.email))) {
      errors.push('Email address: must be a valid email address.');
    }
  }
  if (attrs.reference && attrs.reference !== self?.reference) {
    if (store.list('customers').some((c) => c.reference === attrs.reference)) {
      errors.push('Reference: must be unique - that value has been taken.');
    }
  }
  if (attrs.parent_id !== undefined && attrs.parent_id !== null) {
    const parent = store.find('customers', String(attrs.parent_id));
    if (!parent) errors.push('Parent: could not be found.');
    else if (self && parent.id === self.id) errors.push('Parent: cannot be the customer itself.');
  }
  return errors;
}

/** A new customer record with Maxio's full attribute set. */
export function newCustomer(store: MaxioStore, attrs: Json): Json {
  const now = siteTime(Date.now());
  return {
    id: store.nextId('customer'),
    first_name: null,
    last_name: null,
    email: null,
    cc_emails: null,
    organization: null,
    reference: null,
    address: null,
    address_2: null,
    city: null,
    state: null,
    zip: null,
    country: null,
    phone: null,
    locale: null,
    vat_number: null,
    tax_exempt: false,
    parent_id: null,
    verified: false,
    created_at: now,
    updated_at: now,
    ...attrs,
  };
}

export function registerCustomerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  app.get('/customers.json', async (request) =>
    wrap('customer', paginate(request, store.list('customers'))),
  );
  app.get<{ Params: { id: string } }>('/customers/:id.json', async (request, reply) => {
    const customer = store.find('customers', request.params.id);
    return customer ? { customer } : notFound(reply);
  });
  app.put<{ Params: { id: string } }>('/customers/:id.json', async (request, reply) => {
    const customer = store.find('customers', request.params.id);
    if (!customer) return notFound(reply);
    const attrs = (request.body as Json | undefined)?.customer;
    if (!attrs || typeof attrs !== 'object') {
      return unprocessable(reply, ['customer: the request body needs a customer object']);
    }
    const errors = customerErrors(store, attrs as Json, false, customer);
    if (errors.length > 0) return unprocessable(reply, errors);
    Object.assign(customer, attrs, { updated_at: siteTime(Date.now()) });
    ctx.publish(
      'customer_update',
      `Customer ${String(customer.organization ?? customer.id)} updated`,
      { customerId: customer.id as number },
      { customer },
    );
    return { customer };
  });
}
