import { beforeAll, describe, expect, it } from 'vitest';
import { handler as rules } from '../../functions/api/rules.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let agent: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });
const asAgent = () => ({ userId: agent.id, role: agent.role });

/** Zendesk's document types these as strings; they are null on triggers that have none. */
const TRIGGER_GAPS = { nullable: { TriggerObject: ['description', 'category_id'] } };

const notifyOnCreate = (title: string) => ({
  title,
  conditions: {
    all: [{ field: 'update_type', value: 'Create' }],
    any: [
      { field: 'via_id', operator: 'is', value: 4 },
      { field: 'current_tags', operator: 'includes', value: 'vip' },
    ],
  },
  actions: [
    { field: 'priority', value: 'high' },
    {
      field: 'notification_user',
      value: ['requester_id', 'Re: {{ticket.title}}', 'We got it, {{ticket.requester.first_name}}.'],
    },
  ],
});

const closeSolved = {
  title: 'Close solved tickets after 4 days',
  conditions: {
    all: [
      { field: 'status', operator: 'is', value: 'solved' },
      { field: 'SOLVED', operator: 'greater_than', value: 96 },
    ],
  },
  actions: [{ field: 'status', value: 'closed' }],
};

const post = (kind: 'trigger' | 'automation', body: unknown) =>
  callApi(rules, {
    method: 'POST',
    path: `/api/v2/${kind}s.json`,
    caller: asAdmin(),
    body: { [kind]: body },
  });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
});

describe('triggers', () => {
  it('creates, shows, updates and deletes a trigger as TriggerObject', async () => {
    const createdTrigger = await post('trigger', {
      ...notifyOnCreate('Notify VIPs'),
      description: 'Escalate',
      category_id: 10026,
    });
    expect(createdTrigger.status).toBe(201);
    const trigger = createdTrigger.body.trigger;
    expect(trigger).toMatchObject({
      title: 'Notify VIPs',
      raw_title: 'Notify VIPs',
      description: 'Escalate',
      category_id: '10026',
      active: true,
      default: false,
      url: `https://help.example.test/api/v2/triggers/${trigger.id}.json`,
    });
    // update_type gets its implicit operator.
    expect(trigger.conditions.all).toEqual([{ field: 'update_type', operator: 'is', value: 'Create' }]);
    expect(validateAgainst('TriggerResponse', createdTrigger.body, TRIGGER_GAPS)).toEqual([]);

    const updated = await callApi(rules, {
      method: 'PUT',
      path: `/api/v2/triggers/${trigger.id}.json`,
      caller: asAdmin(),
      body: { trigger: { title: 'Notify VIP requesters', active: false } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.trigger).toMatchObject({
      title: 'Notify VIP requesters',
      active: false,
      position: trigger.position,
    });
    expect(updated.body.trigger.actions).toEqual(trigger.actions);

    const shown = await callApi(rules, {
      method: 'GET',
      path: `/api/v2/triggers/${trigger.id}.json`,
      caller: asAgent(),
    });
    expect(shown.body.trigger.title).toBe('Notify VIP requesters');
    const agentWrite = await post('trigger', notifyOnCreate('Nope'));
    expect(agentWrite.status).toBe(201);
    const forbidden = await callApi(rules, {
      method: 'POST',
      path: '/api/v2/triggers.json',
      caller: asAgent(),
      body: { trigger: notifyOnCreate('Agent rule') },
    });
    expect(forbidden.status).toBe(403);

    const deleted = await callApi(rules, {
      method: 'DELETE',
      path: `/api/v2/triggers/${trigger.id}.json`,
      caller: asAdmin(),
    });
    expect(deleted.status).toBe(204);
    const gone = await callApi(rules, {
      method: 'GET',
      path: `/api/v2/triggers/${trigger.id}.json`,
      caller: asAdmin(),
    });
    expect(gone.status).toBe(404);
  });

  it('appends new triggers, lists them by position, filters active ones and reorders', async () => {
    const ids: number[] = [];
    for (const title of ['A', 'B', 'C'])
      ids.push((await post('trigger', notifyOnCreate(title))).body.trigger.id);
    const inactive = await post('trigger', { ...notifyOnCreate('D'), active: false });
    ids.push(inactive.body.trigger.id);
    const [a, b, c, d] = ids as [number, number, number, number];

    const reordered = await callApi(rules, {
      method: 'PUT',
      path: '/api/v2/triggers/reorder.json',
      caller: asAdmin(),
      body: { trigger_ids: [c, a] },
    });
    expect(reordered.status).toBe(200);
    const order = reordered.body.triggers.map((trigger: { id: number }) => trigger.id);
    expect(order.slice(0, 2)).toEqual([c, a]);
    expect(order.indexOf(b)).toBeLessThan(order.indexOf(d));
    expect(reordered.body.triggers.map((trigger: { position: number }) => trigger.position)).toEqual(
      order.map((_: number, index: number) => index + 1),
    );

    const list = await callApi(rules, { method: 'GET', path: '/api/v2/triggers.json', caller: asAgent() });
    expect(list.body.triggers.map((trigger: { id: number }) => trigger.id)).toEqual(order);
    expect(list.body.count).toBe(order.length);
    expect(
      validateAgainst(
        'TriggersResponse',
        { triggers: list.body.triggers, count: list.body.count, next_page: null },
        TRIGGER_GAPS,
      ),
    ).toEqual([]);

    const active = await callApi(rules, {
      method: 'GET',
      path: '/api/v2/triggers/active.json',
      caller: asAgent(),
    });
    expect(active.body.triggers.map((trigger: { id: number }) => trigger.id)).not.toContain(d);

    const firstPage = await callApi(rules, {
      method: 'GET',
      path: '/api/v2/triggers.json',
      query: { 'page[size]': 2 },
      caller: asAgent(),
    });
    expect(firstPage.body.triggers.map((trigger: { id: number }) => trigger.id)).toEqual(order.slice(0, 2));
    expect(firstPage.body.meta.has_more).toBe(true);
    const next = await callApi(rules, {
      method: 'GET',
      path: '/api/v2/triggers.json',
      query: { 'page[size]': 2, 'page[after]': firstPage.body.meta.after_cursor },
      caller: asAgent(),
    });
    expect(next.body.triggers.map((trigger: { id: number }) => trigger.id)).toEqual(order.slice(2, 4));

    const unknown = await callApi(rules, {
      method: 'PUT',
      path: '/api/v2/triggers/reorder.json',
      caller: asAdmin(),
      body: { trigger_ids: [999_999] },
    });
    expect(unknown.status).toBe(422);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an unknown field',
      { conditions: { all: [{ field: 'foo', operator: 'is', value: 1 }] } },
      'conditions',
      "Condition 1 in all: unknown field 'foo'",
    ],
    [
      'an unknown operator',
      { conditions: { any: [{ field: 'status', operator: 'near', value: 'open' }] } },
      'conditions',
      "Condition 1 in any: unknown operator 'near'",
    ],
    [
      'a bad value',
      { conditions: { all: [{ field: 'priority', operator: 'is', value: 'whenever' }] } },
      'conditions',
      `Condition 1 in all: invalid value '"whenever"' for field 'priority'`,
    ],
    [
      'an unknown action',
      { actions: [{ field: 'explode', value: true }] },
      'actions',
      "Action 1: unknown action 'explode'",
    ],
    [
      'a Liquid template that does not parse',
      { actions: [{ field: 'comment_value', value: 'Hi {{ ticket.id' }] },
      'actions',
      "Action 1: Text of action 'comment_value' is not a valid Liquid template",
    ],
  ])('rejects %s with a 422 naming it', async (_name, override, detail, description) => {
    const response = await post('trigger', { ...notifyOnCreate('Broken'), ...override });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('RecordInvalid');
    expect(response.body.details[detail][0].description).toContain(description);
  });

  it('rejects a blank title and a wrongly typed body', async () => {
    expect((await post('trigger', { ...notifyOnCreate(''), title: '' })).body.details.title).toBeDefined();
    expect((await post('trigger', { ...notifyOnCreate('x'), actions: 'status solved' })).status).toBe(422);
  });

  it('serves definitions generated from the engine catalog', async () => {
    const response = await callApi(rules, {
      method: 'GET',
      path: '/api/v2/triggers/definitions.json',
      caller: asAgent(),
    });
    expect(response.status).toBe(200);
    expect(validateAgainst('TriggerDefinitionResponse', response.body)).toEqual([]);
    const subjects = response.body.definitions.conditions_all.map(
      (definition: { subject: string }) => definition.subject,
    );
    expect(subjects).toEqual(
      expect.arrayContaining([
        'update_type',
        'status',
        'current_tags',
        'comment_is_public',
        'requester_role',
      ]),
    );
    expect(subjects).not.toContain('SOLVED');
    const status = response.body.definitions.conditions_all.find(
      (definition: { subject: string }) => definition.subject === 'status',
    );
    expect(status.operators.map((operator: { value: string }) => operator.value)).toContain('value_previous');
    expect(response.body.definitions.actions.map((action: { subject: string }) => action.subject)).toContain(
      'notification_webhook',
    );
  });
});

describe('automations', () => {
  it('creates an automation as AutomationObject and lists it', async () => {
    const response = await post('automation', closeSolved);
    expect(response.status).toBe(201);
    expect(response.body.automation).toMatchObject({ title: closeSolved.title, active: true, position: 1 });
    expect(response.body.automation).not.toHaveProperty('category_id');
    expect(validateAgainst('AutomationResponse', response.body)).toEqual([]);
    const list = await callApi(rules, {
      method: 'GET',
      path: '/api/v2/automations/active.json',
      caller: asAgent(),
    });
    expect(list.body.automations.map((automation: { id: number }) => automation.id)).toEqual([
      response.body.automation.id,
    ]);
    expect(
      validateAgainst('AutomationsResponse', {
        automations: list.body.automations,
        count: list.body.count,
        next_page: null,
      }),
    ).toEqual([]);
  });

  it('rejects an automation whose actions do not nullify a condition', async () => {
    const response = await post('automation', {
      ...closeSolved,
      actions: [{ field: 'priority', value: 'high' }],
    });
    expect(response.status).toBe(422);
    expect(response.body.details.conditions[0].description).toContain('a condition that its actions nullify');
  });

  it('rejects trigger-only conditions and a time condition in any', async () => {
    const changed = await post('automation', {
      ...closeSolved,
      conditions: { all: [...closeSolved.conditions.all, { field: 'status', operator: 'changed' }] },
    });
    expect(changed.body.details.conditions[0].description).toBe(
      "Condition 3 in all: operator 'changed' is only valid in triggers",
    );
    const inAny = await post('automation', {
      ...closeSolved,
      conditions: {
        all: closeSolved.conditions.all,
        any: [{ field: 'NEW', operator: 'greater_than', value: 1 }],
      },
    });
    expect(inAny.body.details.conditions[0].description).toBe(
      "Condition 1 in any: field 'NEW' is only valid in 'all'",
    );
  });

  it('revalidates on update and reorders', async () => {
    const second = await post('automation', { ...closeSolved, title: 'Second' });
    const broken = await callApi(rules, {
      method: 'PUT',
      path: `/api/v2/automations/${second.body.automation.id}.json`,
      caller: asAdmin(),
      body: { automation: { actions: [{ field: 'current_tags', value: 'x' }] } },
    });
    expect(broken.status).toBe(422);
    const reordered = await callApi(rules, {
      method: 'PUT',
      path: '/api/v2/automations/reorder.json',
      caller: asAdmin(),
      body: { automation_ids: [second.body.automation.id] },
    });
    expect(reordered.body.automations[0]).toMatchObject({ id: second.body.automation.id, position: 1 });
  });
});
