import { beforeAll, describe, expect, it } from 'vitest';
import { handler as fields } from '../../functions/api/fields.ts';
import { handler as groups } from '../../functions/api/groups.ts';
import { handler as requests } from '../../functions/api/requests.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import { handler as applyTriggers } from '../../functions/events/apply-triggers.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { seedSystemTicketFields } from '../../shared/setup/default-ticket-fields.ts';
import { getTicket, listTickets } from '../../shared/store/tickets/tickets.ts';
import { createRule } from '../../shared/use-cases/rules/manage-rules.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { type ApiEventInput, callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { validateAgainst } from '../support/openapi.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-11-25T09:00:00Z';
/** Zendesk returns null for these where its OpenAPI document says string or integer. */
const NULLS = {
  nullable: {
    TicketFieldObject: ['tag'],
    TicketObject: [
      'assignee_id',
      'brand_id',
      'external_id',
      'forum_topic_id',
      'group_id',
      'organization_id',
      'problem_id',
      'recipient',
      'satisfaction_rating',
    ],
    RequestObject: [
      'assignee_id',
      'due_at',
      'organization_id',
      'recipient',
      'followup_source_id',
      'ticket_form_id',
      'priority',
      'type',
    ],
  },
};
const SYSTEM_TYPES = ['subject', 'description', 'status', 'tickettype', 'priority', 'group', 'assignee'];

let admin: User;
let agent: User;
let customer: User;
const as = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });
const fieldsApi = (input: ApiEventInput) => callApi(fields, input);
const ticketsApi = (input: ApiEventInput) => callApi(tickets, input);
const ticketCount = async () =>
  (await listTickets({ mode: 'offset', page: 1, perPage: 100, descending: false })).count;

const seed = () => seedSystemTicketFields({ adminId: admin.id, groupIds: {} as never, now: NOW });

const listFields = async (caller: User) => {
  const response = await fieldsApi({ method: 'GET', path: '/api/v2/ticket_fields.json', caller: as(caller) });
  expect(response.status).toBe(200);
  return response.body;
};
const systemField = async (type: string): Promise<{ id: number }> => {
  const { ticket_fields: all } = await listFields(admin);
  return all.find((field: { type: string }) => field.type === type);
};
const changeField = (id: number, ticketField: Record<string, unknown>) =>
  fieldsApi({
    method: 'PUT',
    path: `/api/v2/ticket_fields/${id}.json`,
    caller: as(admin),
    body: { ticket_field: ticketField },
  });
const create = async (collection: string, key: string, definition: Record<string, unknown>) => {
  const response = await fieldsApi({
    method: 'POST',
    path: `/api/v2/${collection}.json`,
    caller: as(admin),
    body: { [key]: definition },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body[key];
};
const postRequest = (request: Record<string, unknown>, caller = customer) =>
  callApi(requests, { method: 'POST', path: '/api/v2/requests.json', caller: as(caller), body: { request } });
const postTicket = (ticket: Record<string, unknown>) =>
  ticketsApi({ method: 'POST', path: '/api/v2/tickets.json', caller: as(agent), body: { ticket } });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, NOW);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, NOW);
  await seed();
});

describe('system ticket fields', () => {
  it('are seeded once, listed first with removable false, and conform to TicketFieldsResponse', async () => {
    await seed();
    const body = await listFields(agent);
    expect(body.ticket_fields.map((field: { type: string }) => field.type)).toEqual(SYSTEM_TYPES);
    expect(body.ticket_fields.every((field: { removable: boolean }) => field.removable === false)).toBe(true);
    expect(body.ticket_fields.find((field: { type: string }) => field.type === 'priority')).toMatchObject({
      title: 'Priority',
      visible_in_portal: false,
      editable_in_portal: false,
      system_field_options: [
        { name: 'Low', value: 'low' },
        { name: 'Normal', value: 'normal' },
        { name: 'High', value: 'high' },
        { name: 'Urgent', value: 'urgent' },
      ],
    });
    expect(body.ticket_fields[0]).toMatchObject({
      type: 'subject',
      title: 'Subject',
      visible_in_portal: true,
      editable_in_portal: true,
      required_in_portal: true,
    });
    expect(validateAgainst('TicketFieldsResponse', body, NULLS)).toEqual([]);
  });

  it('shows end-users only the system fields visible in the portal', async () => {
    const body = await listFields(customer);
    expect(body.ticket_fields.map((field: { type: string }) => field.type)).toEqual([
      'subject',
      'description',
      'assignee',
    ]);
  });

  it('cannot be deleted or given options (422, nothing changes)', async () => {
    const subject = await systemField('subject');
    const deleted = await fieldsApi({
      method: 'DELETE',
      path: `/api/v2/ticket_fields/${subject.id}.json`,
      caller: as(admin),
    });
    expect(deleted.status).toBe(422);
    expect(deleted.body).toMatchObject({
      error: 'RecordInvalid',
      details: { base: [{ description: 'Ticket field: Subject is a system field and cannot be deleted' }] },
    });
    const option = await fieldsApi({
      method: 'POST',
      path: `/api/v2/ticket_fields/${subject.id}/options.json`,
      caller: as(admin),
      body: { custom_field_option: { name: 'Nope' } },
    });
    expect(option.status).toBe(422);
    expect((await listFields(admin)).ticket_fields.map((field: { type: string }) => field.type)).toEqual(
      SYSTEM_TYPES,
    );
  });

  it('change only their titles, description, position and portal flags', async () => {
    const status = await systemField('status');
    const renamed = await changeField(status.id, {
      title_in_portal: 'Where it stands',
      visible_in_portal: true,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.ticket_field).toMatchObject({
      type: 'status',
      title_in_portal: 'Where it stands',
      visible_in_portal: true,
      removable: false,
    });
    for (const change of [{ type: 'text' }, { active: false }, { editable_in_portal: true }]) {
      const refused = await changeField(status.id, change);
      expect(refused.status, JSON.stringify(change)).toBe(422);
      expect(Object.keys(refused.body.details)).toEqual(Object.keys(change));
    }
    const shown = await fieldsApi({
      method: 'GET',
      path: `/api/v2/ticket_fields/${status.id}.json`,
      caller: as(admin),
    });
    expect(shown.body.ticket_field).toMatchObject({
      type: 'status',
      active: true,
      editable_in_portal: false,
    });
    await changeField(status.id, { visible_in_portal: false, title_in_portal: 'Status' });
  });

  it('are never custom field values: 422 naming the field, nothing written', async () => {
    const priority = await systemField('priority');
    const before = await ticketCount();
    const response = await postTicket({
      comment: { body: 'x' },
      custom_fields: [{ id: priority.id, value: 'urgent' }],
    });
    expect(response.status).toBe(422);
    expect(response.body.details.custom_fields[0].description).toBe(
      `Priority (field ${priority.id}): is a system field; set it on the ticket, not in custom_fields`,
    );
    expect(await ticketCount()).toBe(before);
  });
});

describe('end-users choosing urgency', () => {
  it('refuses a priority or type while the field is hidden from end-users, writing nothing', async () => {
    const before = await ticketCount();
    const response = await postRequest({
      subject: 'Down',
      comment: { body: 'Everything is down' },
      priority: 'urgent',
      type: 'incident',
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual({
      priority: [{ description: 'Priority: cannot be set by end-users', error: 'InvalidValue' }],
      type: [{ description: 'Type: cannot be set by end-users', error: 'InvalidValue' }],
    });
    expect(await ticketCount()).toBe(before);
  });

  it('requires a subject of end-users, as the seeded subject field is required in the portal', async () => {
    const response = await postRequest({ comment: { body: 'No subject' } });
    expect(response.status).toBe(422);
    expect(response.body.details.subject[0].description).toBe('Subject: is required');
  });

  it('lets them set the priority once the field is visible and editable in the portal', async () => {
    const priority = await systemField('priority');
    await changeField(priority.id, { visible_in_portal: true });
    expect((await postRequest({ subject: 'Down', comment: { body: 'x' }, priority: 'high' })).status).toBe(
      422,
    );
    await changeField(priority.id, { editable_in_portal: true });
    const response = await postRequest({ subject: 'Down', comment: { body: 'x' }, priority: 'urgent' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.request.priority).toBe('urgent');
    await changeField(priority.id, { visible_in_portal: false, editable_in_portal: false });
  });

  it('leaves staff callers of the Requests API unaffected', async () => {
    const response = await postRequest(
      { subject: 'Logged by phone', comment: { body: 'x' }, priority: 'high', type: 'incident' },
      agent,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.request).toMatchObject({ priority: 'high', type: 'incident' });
  });
});

describe('ticket forms on tickets', () => {
  let general: { id: number };
  let internal: { id: number };
  let retired: { id: number };

  beforeAll(async () => {
    general = await create('ticket_forms', 'ticket_form', {
      name: 'General',
      default: true,
      end_user_visible: true,
    });
    internal = await create('ticket_forms', 'ticket_form', { name: 'Escalations' });
    retired = await create('ticket_forms', 'ticket_form', {
      name: 'Old',
      active: false,
      end_user_visible: true,
    });
  });

  it('puts a ticket that names no form on the default form, audited and in Zendesk’s shape', async () => {
    const response = await postTicket({
      subject: 'Hello',
      comment: { body: 'x' },
      requester_id: customer.id,
      priority: 'normal',
      type: 'question',
    });
    expect(response.status).toBe(201);
    expect(response.body.ticket.ticket_form_id).toBe(general.id);
    expect(response.body.audit.events).toContainEqual(
      expect.objectContaining({ type: 'Create', field_name: 'ticket_form_id', value: general.id }),
    );
    expect(validateAgainst('TicketResponse', { ticket: response.body.ticket }, NULLS)).toEqual([]);
  });

  it('stores the form named on create and audits a change of form', async () => {
    const created = await postTicket({ comment: { body: 'x' }, ticket_form_id: internal.id });
    expect(created.body.ticket.ticket_form_id).toBe(internal.id);
    const moved = await ticketsApi({
      method: 'PUT',
      path: `/api/v2/tickets/${created.body.ticket.id}.json`,
      caller: as(agent),
      body: { ticket: { ticket_form_id: general.id } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.ticket.ticket_form_id).toBe(general.id);
    expect(moved.body.audit.events).toEqual([
      expect.objectContaining({
        type: 'Change',
        field_name: 'ticket_form_id',
        value: general.id,
        previous_value: internal.id,
      }),
    ]);
  });

  it.each([
    ['a form that does not exist', () => 999_999],
    ['an inactive form', () => retired.id],
  ])('refuses %s with a 422 on ticket_form_id, writing nothing', async (_name, formId) => {
    const before = await ticketCount();
    const response = await postTicket({ comment: { body: 'x' }, ticket_form_id: formId() });
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.details)).toEqual(['ticket_form_id']);
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a change to an inactive form and leaves the ticket on its form', async () => {
    const created = await postTicket({ comment: { body: 'x' } });
    const response = await ticketsApi({
      method: 'PUT',
      path: `/api/v2/tickets/${created.body.ticket.id}.json`,
      caller: as(agent),
      body: { ticket: { ticket_form_id: retired.id } },
    });
    expect(response.status).toBe(422);
    const shown = await ticketsApi({
      method: 'GET',
      path: `/api/v2/tickets/${created.body.ticket.id}.json`,
      caller: as(agent),
    });
    expect(shown.body.ticket.ticket_form_id).toBe(general.id);
  });

  it('is what the triggers’ ticket form condition reads', async () => {
    await createRule(
      'trigger',
      {
        title: 'Escalations form',
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'Create' },
            { field: 'ticket_form_id', operator: 'is', value: internal.id },
          ],
        },
        actions: [{ field: 'current_tags', value: 'escalation_form' }],
      },
      NOW,
    );
    const outcomes = [];
    for (const formId of [internal.id, general.id]) {
      const created = await postTicket({ comment: { body: 'x' }, ticket_form_id: formId });
      const { ticket, audit } = created.body;
      const record = ticketEventRecord('ticket.created', {
        version: 1,
        ticket_id: ticket.id,
        audit_id: audit.id,
        author_id: audit.author_id,
        via: { channel: 'api' },
        created_at: audit.created_at,
        changes: [],
      });
      expect(
        await asFunction('apply-triggers', () => applyTriggers({ Records: [record] }, lambdaContext())),
      ).toEqual({ batchItemFailures: [] });
      outcomes.push((await getTicket(ticket.id))?.tags.includes('escalation_form'));
    }
    expect(outcomes).toEqual([true, false]);
  });

  it('lets end-users choose only forms open to them, and shows the form on the request', async () => {
    const hidden = await postRequest({
      subject: 'Escalate me',
      comment: { body: 'x' },
      ticket_form_id: internal.id,
    });
    expect(hidden.status).toBe(422);
    expect(hidden.body.details.ticket_form_id[0].description).toBe(
      `Ticket form: ${internal.id} is not an active ticket form open to end-users`,
    );
    const chosen = await postRequest({
      subject: 'General',
      comment: { body: 'x' },
      ticket_form_id: general.id,
    });
    expect(chosen.status).toBe(201);
    expect(chosen.body.request.ticket_form_id).toBe(general.id);
    const byAgent = await postRequest(
      { subject: 'On behalf', comment: { body: 'x' }, ticket_form_id: internal.id },
      agent,
    );
    expect(byAgent.body.request.ticket_form_id).toBe(internal.id);
  });
});

describe('custom fields on the Requests API', () => {
  it('shows the values of fields visible in the portal and omits the others, in RequestObject’s shape', async () => {
    const visible = await create('ticket_fields', 'ticket_field', {
      type: 'text',
      title: 'Order number',
      visible_in_portal: true,
    });
    const hidden = await create('ticket_fields', 'ticket_field', { type: 'text', title: 'Fraud score' });
    const tier1 = await callApi(groups, {
      method: 'POST',
      path: '/api/v2/groups.json',
      caller: as(admin),
      body: { group: { name: 'Tier 1' } },
    });
    const ticket = await postTicket({
      subject: 'Order lost',
      comment: { body: 'x' },
      requester_id: customer.id,
      group_id: tier1.body.group.id,
      priority: 'low',
      type: 'question',
      custom_fields: [
        { id: visible.id, value: 'A-100' },
        { id: hidden.id, value: '97' },
      ],
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const shown = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${ticket.body.ticket.id}.json`,
      caller: as(customer),
    });
    expect(shown.body.request.custom_fields).toEqual([{ id: visible.id, value: 'A-100' }]);
    expect(shown.body.request).toHaveProperty('assignee_id', null);
    expect(shown.body.request).not.toHaveProperty('group_id');
    expect(JSON.stringify(shown.body)).not.toContain('97');
    expect(validateAgainst('RequestResponse', shown.body, NULLS)).toEqual([]);

    const list = await callApi(requests, {
      method: 'GET',
      path: '/api/v2/requests.json',
      caller: as(customer),
    });
    const listed = list.body.requests.find((request: { id: number }) => request.id === ticket.body.ticket.id);
    expect(listed.custom_fields).toEqual([{ id: visible.id, value: 'A-100' }]);
    expect(validateAgainst('RequestsResponse', list.body, NULLS)).toEqual([]);

    const group = await systemField('group');
    await changeField(group.id, { visible_in_portal: true });
    const withGroup = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${ticket.body.ticket.id}.json`,
      caller: as(customer),
    });
    expect(withGroup.body.request.group_id).toBe(tier1.body.group.id);
  });
});
