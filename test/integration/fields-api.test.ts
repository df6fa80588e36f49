import { beforeAll, describe, expect, it } from 'vitest';
import { handler as fields } from '../../functions/api/fields.ts';
import { handler as organizations } from '../../functions/api/organizations.ts';
import { handler as requests } from '../../functions/api/requests.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import { handler as users } from '../../functions/api/users.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { getUser } from '../../shared/store/directory/users.ts';
import { listTickets } from '../../shared/store/tickets/tickets.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { type ApiEventInput, callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-11-25T09:00:00Z';
/** Zendesk returns null for these where its OpenAPI document says string. */
const FIELD_NULLS = { nullable: { TicketFieldObject: ['tag'] } } as const;

let admin: User;
let agent: User;
let customer: User;
const as = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });
const fieldsApi = (input: ApiEventInput) => callApi(fields, input);

const createField = async (collection: string, key: string, definition: Record<string, unknown>) => {
  const response = await fieldsApi({
    method: 'POST',
    path: `/api/v2/${collection}.json`,
    caller: as(admin),
    body: { [key]: definition },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body[key];
};

const ticketCount = async () =>
  (await listTickets({ mode: 'offset', page: 1, perPage: 100, descending: false })).count;

let urgency: { id: number };
let vip: { id: number };
let internal: { id: number };
let orderNumber: { id: number };

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, NOW);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, NOW);
  urgency = await createField('ticket_fields', 'ticket_field', {
    type: 'tagger',
    title: 'Urgency',
    visible_in_portal: true,
    editable_in_portal: true,
    custom_field_options: [
      { name: 'Low', value: 'urgency_low' },
      { name: 'High', value: 'urgency_high' },
    ],
  });
  vip = await createField('ticket_fields', 'ticket_field', { type: 'checkbox', title: 'VIP', tag: 'vip' });
  internal = await createField('ticket_fields', 'ticket_field', {
    type: 'text',
    title: 'Internal note',
    visible_in_portal: true,
    editable_in_portal: false,
  });
  orderNumber = await createField('ticket_fields', 'ticket_field', {
    type: 'regexp',
    title: 'Order number',
    regexp_for_validation: '\\A[0-9]{5}\\z',
  });
});

describe('ticket field definitions', () => {
  it('serves a dropdown in Zendesk’s shape, conforming to TicketFieldObject', async () => {
    const response = await fieldsApi({
      method: 'GET',
      path: `/api/v2/ticket_fields/${urgency.id}.json`,
      caller: as(agent),
    });
    expect(response.status).toBe(200);
    expect(response.body.ticket_field).toMatchObject({
      id: urgency.id,
      url: `https://help.example.test/api/v2/ticket_fields/${urgency.id}.json`,
      type: 'tagger',
      title: 'Urgency',
      raw_title: 'Urgency',
      active: true,
      removable: true,
      custom_field_options: [
        { name: 'Low', raw_name: 'Low', value: 'urgency_low', default: false },
        { name: 'High', value: 'urgency_high' },
      ],
    });
    expect(validateAgainst('TicketFieldResponse', response.body, FIELD_NULLS)).toEqual([]);
  });

  it.each([
    ['an unknown type', { type: 'lookup', title: 'X' }, 'type'],
    ['a dropdown without options', { type: 'tagger', title: 'X' }, 'custom_field_options'],
    [
      'duplicate option values',
      { type: 'tagger', title: 'X', custom_field_options: [{ name: 'A' }, { name: 'a' }] },
      'custom_field_options',
    ],
    [
      'a regexp that does not compile',
      { type: 'regexp', title: 'X', regexp_for_validation: '([' },
      'regexp_for_validation',
    ],
    ['a blank title', { type: 'text', title: '' }, 'title'],
  ])('refuses %s with a 422 naming the field', async (_name, definition, field) => {
    const response = await fieldsApi({
      method: 'POST',
      path: '/api/v2/ticket_fields.json',
      caller: as(admin),
      body: { ticket_field: definition },
    });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('RecordInvalid');
    expect(Object.keys(response.body.details)).toContain(field);
  });

  it('updates, lists options, upserts an option, and deletes', async () => {
    const field = await createField('ticket_fields', 'ticket_field', {
      type: 'multiselect',
      title: 'Products',
      custom_field_options: [{ name: 'Mail' }],
    });
    const updated = await fieldsApi({
      method: 'PUT',
      path: `/api/v2/ticket_fields/${field.id}.json`,
      caller: as(admin),
      body: { ticket_field: { title: 'Products used', position: 3 } },
    });
    expect(updated.body.ticket_field).toMatchObject({
      title: 'Products used',
      position: 3,
      type: 'multiselect',
    });

    const added = await fieldsApi({
      method: 'POST',
      path: `/api/v2/ticket_fields/${field.id}/options.json`,
      caller: as(admin),
      body: { custom_field_option: { name: 'Chat', value: 'chat' } },
    });
    expect(added.status).toBe(201);
    expect(validateAgainst('CustomFieldOptionResponse', added.body)).toEqual([]);
    const renamed = await fieldsApi({
      method: 'POST',
      path: `/api/v2/ticket_fields/${field.id}/options.json`,
      caller: as(admin),
      body: {
        custom_field_option: { id: added.body.custom_field_option.id, name: 'Live chat', value: 'chat' },
      },
    });
    expect(renamed.status).toBe(200);
    const options = await fieldsApi({
      method: 'GET',
      path: `/api/v2/ticket_fields/${field.id}/options.json`,
      caller: as(agent),
    });
    expect(options.body.custom_field_options.map((option: { name: string }) => option.name)).toEqual([
      'Mail',
      'Live chat',
    ]);
    expect(validateAgainst('CustomFieldOptionsResponse', options.body)).toEqual([]);

    const changeType = await fieldsApi({
      method: 'PUT',
      path: `/api/v2/ticket_fields/${field.id}.json`,
      caller: as(admin),
      body: { ticket_field: { type: 'text' } },
    });
    expect(changeType.status).toBe(422);

    expect(
      (
        await fieldsApi({
          method: 'DELETE',
          path: `/api/v2/ticket_fields/${field.id}.json`,
          caller: as(admin),
        })
      ).status,
    ).toBe(204);
    expect(
      (await fieldsApi({ method: 'GET', path: `/api/v2/ticket_fields/${field.id}.json`, caller: as(admin) }))
        .status,
    ).toBe(404);
  });

  it('shows end-users only the fields visible in the portal', async () => {
    const list = await fieldsApi({ method: 'GET', path: '/api/v2/ticket_fields.json', caller: as(customer) });
    expect(list.status).toBe(200);
    const ids = list.body.ticket_fields.map((field: { id: number }) => field.id);
    expect(ids).toContain(urgency.id);
    expect(ids).not.toContain(vip.id);
    const staffList = await fieldsApi({
      method: 'GET',
      path: '/api/v2/ticket_fields.json',
      caller: as(agent),
    });
    expect(staffList.body.ticket_fields.map((field: { id: number }) => field.id)).toContain(vip.id);
    expect(
      (await fieldsApi({ method: 'GET', path: `/api/v2/ticket_fields/${vip.id}.json`, caller: as(customer) }))
        .status,
    ).toBe(404);
  });

  it('lets only admins change definitions', async () => {
    const response = await fieldsApi({
      method: 'POST',
      path: '/api/v2/ticket_fields.json',
      caller: as(agent),
      body: { ticket_field: { type: 'text', title: 'X' } },
    });
    expect(response.status).toBe(403);
  });
});

describe('ticket forms', () => {
  it('creates, shows (conforming to TicketFormObject), updates and deletes a form; end-users see visible forms only', async () => {
    const form = await createField('ticket_forms', 'ticket_form', {
      name: 'Support request',
      end_user_visible: true,
      ticket_field_ids: [urgency.id, internal.id],
    });
    expect(form).toMatchObject({
      name: 'Support request',
      display_name: 'Support request',
      raw_name: 'Support request',
      ticket_field_ids: [urgency.id, internal.id],
      in_all_brands: true,
      restricted_brand_ids: [],
      active: true,
    });
    const hidden = await createField('ticket_forms', 'ticket_form', { name: 'Agents only' });
    const shown = await fieldsApi({
      method: 'GET',
      path: `/api/v2/ticket_forms/${form.id}.json`,
      caller: as(customer),
    });
    expect(validateAgainst('TicketFormResponse', shown.body)).toEqual([]);
    const list = await fieldsApi({ method: 'GET', path: '/api/v2/ticket_forms.json', caller: as(customer) });
    expect(list.body.ticket_forms.map((item: { id: number }) => item.id)).toEqual([form.id]);
    expect(
      (
        await fieldsApi({
          method: 'GET',
          path: `/api/v2/ticket_forms/${hidden.id}.json`,
          caller: as(customer),
        })
      ).status,
    ).toBe(404);

    const badFields = await fieldsApi({
      method: 'PUT',
      path: `/api/v2/ticket_forms/${form.id}.json`,
      caller: as(admin),
      body: { ticket_form: { ticket_field_ids: [999_999] } },
    });
    expect(badFields.status).toBe(422);
    expect(badFields.body.details).toHaveProperty('ticket_field_ids');
    const renamed = await fieldsApi({
      method: 'PUT',
      path: `/api/v2/ticket_forms/${form.id}.json`,
      caller: as(admin),
      body: { ticket_form: { display_name: 'Get help' } },
    });
    expect(renamed.body.ticket_form).toMatchObject({ name: 'Support request', display_name: 'Get help' });
    expect(
      (
        await fieldsApi({
          method: 'DELETE',
          path: `/api/v2/ticket_forms/${hidden.id}.json`,
          caller: as(admin),
        })
      ).status,
    ).toBe(204);
  });
});

describe('custom fields on ticket writes', () => {
  const postTicket = (ticket: Record<string, unknown>) =>
    callApi(tickets, { method: 'POST', path: '/api/v2/tickets.json', caller: as(agent), body: { ticket } });

  it('stores valid values and writes dropdown and checkbox tags', async () => {
    const response = await postTicket({
      subject: 'Printer on fire',
      comment: { body: 'Help' },
      requester_id: customer.id,
      tags: ['printer'],
      custom_fields: [
        { id: urgency.id, value: 'urgency_high' },
        { id: vip.id, value: true },
        { id: orderNumber.id, value: '12345' },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const ticket = response.body.ticket;
    expect(ticket.custom_fields).toEqual(
      expect.arrayContaining([
        { id: urgency.id, value: 'urgency_high' },
        { id: vip.id, value: true },
        { id: orderNumber.id, value: '12345' },
      ]),
    );
    expect(ticket.tags).toEqual(expect.arrayContaining(['printer', 'urgency_high', 'vip']));

    const changed = await callApi(tickets, {
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}.json`,
      caller: as(agent),
      body: {
        ticket: {
          custom_fields: [
            { id: urgency.id, value: 'urgency_low' },
            { id: vip.id, value: false },
          ],
        },
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.ticket.tags).toEqual(expect.arrayContaining(['printer', 'urgency_low']));
    expect(changed.body.ticket.tags).not.toContain('urgency_high');
    expect(changed.body.ticket.tags).not.toContain('vip');
  });

  it.each([
    ['an unknown field', [{ id: 987_654, value: 'x' }], 'Custom field 987654'],
    ['a value that is not an option', [{ id: 0, value: 'urgency_extreme' }], 'Urgency (field'],
    ['a value that does not match the regexp', [{ id: -1, value: '12a45' }], 'Order number (field'],
    ['a checkbox given text', [{ id: -2, value: 'yes' }], 'VIP (field'],
  ])('refuses %s with a 422 naming it, writing nothing', async (_name, values, named) => {
    const idFor = (id: number) => ({ 0: urgency.id, [-1]: orderNumber.id, [-2]: vip.id })[id] ?? id;
    const before = await ticketCount();
    const response = await postTicket({
      subject: 'Bad',
      comment: { body: 'x' },
      custom_fields: values.map((value) => ({ ...value, id: idFor(value.id) })),
    });
    expect(response.status).toBe(422);
    expect(response.body.details.custom_fields[0].description).toContain(named);
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a bad value on update and leaves the ticket as it was', async () => {
    const ticket = (await postTicket({ subject: 'Stable', comment: { body: 'x' } })).body.ticket;
    const response = await callApi(tickets, {
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}.json`,
      caller: as(agent),
      body: { ticket: { subject: 'Changed', custom_fields: [{ id: urgency.id, value: 'nope' }] } },
    });
    expect(response.status).toBe(422);
    const shown = await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${ticket.id}.json`,
      caller: as(agent),
    });
    expect(shown.body.ticket).toMatchObject({ subject: 'Stable', updated_at: ticket.updated_at });
  });
});

describe('custom fields on end-user requests', () => {
  const postRequest = (request: Record<string, unknown>, caller = customer) =>
    callApi(requests, {
      method: 'POST',
      path: '/api/v2/requests.json',
      caller: as(caller),
      body: { request },
    });

  it('lets a customer choose the urgency of their request', async () => {
    const response = await postRequest({
      subject: 'Cannot log in',
      comment: { body: 'Urgent please' },
      custom_fields: [{ id: urgency.id, value: 'urgency_high' }],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const shown = await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${response.body.request.id}.json`,
      caller: as(agent),
    });
    expect(shown.body.ticket.custom_fields).toEqual([{ id: urgency.id, value: 'urgency_high' }]);
    expect(shown.body.ticket.tags).toContain('urgency_high');
  });

  it.each([
    ['a field visible but not editable in the portal', () => internal.id, 'text'],
    ['a field not visible in the portal', () => vip.id, true],
  ])('refuses %s, writing nothing', async (_name, id, value) => {
    const before = await ticketCount();
    const response = await postRequest({
      subject: 'Sneaky',
      comment: { body: 'x' },
      custom_fields: [{ id: id(), value }],
    });
    expect(response.status).toBe(422);
    expect(response.body.details.custom_fields[0].description).toContain('cannot be set by end-users');
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a non-editable field on a request update too', async () => {
    const created = await postRequest({ subject: 'Mine', comment: { body: 'x' } });
    const response = await callApi(requests, {
      method: 'PUT',
      path: `/api/v2/requests/${created.body.request.id}.json`,
      caller: as(customer),
      body: { request: { custom_fields: [{ id: internal.id, value: 'x' }] } },
    });
    expect(response.status).toBe(422);
  });

  it('requires fields marked required in the portal when an end-user opens a request', async () => {
    const product = await createField('ticket_fields', 'ticket_field', {
      type: 'text',
      title: 'Product',
      visible_in_portal: true,
      editable_in_portal: true,
      required_in_portal: true,
    });
    const missing = await postRequest({ subject: 'No product', comment: { body: 'x' } });
    expect(missing.status).toBe(422);
    expect(missing.body.details.custom_fields[0].description).toBe(
      `Product (field ${product.id}): is required`,
    );
    const given = await postRequest({
      subject: 'With product',
      comment: { body: 'x' },
      custom_fields: [{ id: product.id, value: 'Relaydesk' }],
    });
    expect(given.status).toBe(201);
    // Agents are not bound by the portal's requirement.
    const byAgent = await callApi(tickets, {
      method: 'POST',
      path: '/api/v2/tickets.json',
      caller: as(agent),
      body: { ticket: { subject: 'Phone call', comment: { body: 'x' }, requester_id: customer.id } },
    });
    expect(byAgent.status).toBe(201);

    // A form that does not show the field cannot require it; a form that shows it does.
    const billing = await createField('ticket_forms', 'ticket_form', {
      name: 'Billing question',
      end_user_visible: true,
      ticket_field_ids: [urgency.id],
    });
    const withProduct = await createField('ticket_forms', 'ticket_form', {
      name: 'Product problem',
      end_user_visible: true,
      ticket_field_ids: [urgency.id, product.id],
    });
    const onBilling = await postRequest({
      subject: 'Invoice',
      comment: { body: 'x' },
      ticket_form_id: billing.id,
    });
    expect(onBilling.status, JSON.stringify(onBilling.body)).toBe(201);
    expect(onBilling.body.request.ticket_form_id).toBe(billing.id);
    const onProduct = await postRequest({
      subject: 'Crash',
      comment: { body: 'x' },
      ticket_form_id: withProduct.id,
    });
    expect(onProduct.status).toBe(422);
    expect(onProduct.body.details.custom_fields[0].description).toBe(
      `Product (field ${product.id}): is required`,
    );
    for (const form of [billing, withProduct]) {
      await fieldsApi({
        method: 'DELETE',
        path: `/api/v2/ticket_forms/${form.id}.json`,
        caller: as(admin),
      });
    }
    await fieldsApi({
      method: 'PUT',
      path: `/api/v2/ticket_fields/${product.id}.json`,
      caller: as(admin),
      body: { ticket_field: { active: false } },
    });
  });
});

describe('user and organization fields', () => {
  it('defines fields with unique keys, conforming to the OpenAPI shapes', async () => {
    const plan = await createField('user_fields', 'user_field', {
      key: 'plan',
      type: 'dropdown',
      title: 'Plan',
      custom_field_options: [{ name: 'Enterprise' }, { name: 'Team' }],
    });
    const shown = await fieldsApi({
      method: 'GET',
      path: `/api/v2/user_fields/${plan.id}.json`,
      caller: as(agent),
    });
    expect(shown.body.user_field).toMatchObject({ key: 'plan', type: 'dropdown', title: 'Plan' });
    expect(validateAgainst('UserFieldResponse', shown.body)).toEqual([]);
    const duplicate = await fieldsApi({
      method: 'POST',
      path: '/api/v2/user_fields.json',
      caller: as(admin),
      body: { user_field: { key: 'plan', type: 'text', title: 'Plan again' } },
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.details).toHaveProperty('key');
    const badKey = await fieldsApi({
      method: 'POST',
      path: '/api/v2/user_fields.json',
      caller: as(admin),
      body: { user_field: { key: 'Revenue Band', type: 'text', title: 'Revenue' } },
    });
    expect(badKey.body.details).toHaveProperty('key');
    expect(
      (await fieldsApi({ method: 'GET', path: '/api/v2/user_fields.json', caller: as(customer) })).status,
    ).toBe(403);

    const seats = await createField('organization_fields', 'organization_field', {
      key: 'seats',
      type: 'integer',
      title: 'Seats',
    });
    const orgField = await fieldsApi({
      method: 'GET',
      path: `/api/v2/organization_fields/${seats.id}.json`,
      caller: as(admin),
    });
    expect(validateAgainst('OrganizationFieldResponse', orgField.body)).toEqual([]);
    const list = await fieldsApi({
      method: 'GET',
      path: '/api/v2/organization_fields.json',
      caller: as(agent),
    });
    expect(list.body.organization_fields.map((field: { key: string }) => field.key)).toEqual(['seats']);
  });

  it('validates user_fields on create and update, changing nothing on a 422', async () => {
    const created = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: as(admin),
      body: { user: { name: 'Vic', email: 'vic@customer.test', user_fields: { plan: 'enterprise' } } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.user.user_fields).toEqual({ plan: 'enterprise' });

    const unknown = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: as(admin),
      body: { user: { name: 'Una', email: 'una@customer.test', user_fields: { region: 'emea' } } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.details.user_fields[0].description).toContain('region');

    const wrong = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${created.body.user.id}.json`,
      caller: as(admin),
      body: { user: { name: 'Victor', user_fields: { plan: 'platinum' } } },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.user_fields[0].description).toContain('plan');
    expect(await getUser(created.body.user.id)).toMatchObject({
      name: 'Vic',
      user_fields: { plan: 'enterprise' },
    });
  });

  it('validates organization_fields, normalising values', async () => {
    const created = await callApi(organizations, {
      method: 'POST',
      path: '/api/v2/organizations.json',
      caller: as(admin),
      body: { organization: { name: 'Globex', organization_fields: { seats: '250' } } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.organization.organization_fields).toEqual({ seats: 250 });
    const wrong = await callApi(organizations, {
      method: 'PUT',
      path: `/api/v2/organizations/${created.body.organization.id}.json`,
      caller: as(admin),
      body: { organization: { organization_fields: { seats: 'lots' } } },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.organization_fields[0].description).toBe('seats (Seats): is not an integer');
  });
});
