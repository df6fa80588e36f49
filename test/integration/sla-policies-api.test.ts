import { beforeAll, describe, expect, it } from 'vitest';
import { handler as slas } from '../../functions/api/slas.ts';
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

const urgentIncidents = (title: string) => ({
  title,
  description: 'Urgent incidents',
  filter: {
    all: [{ field: 'type', operator: 'is', value: 'incident' }],
    any: [{ field: 'via_id', operator: 'is', value: '4' }],
  },
  policy_metrics: [
    { priority: 'urgent', metric: 'first_reply_time', target: 30, business_hours: false },
    { priority: 'urgent', metric: 'requester_wait_time', target: 240, business_hours: true },
  ],
});

const post = (body: unknown) =>
  callApi(slas, {
    method: 'POST',
    path: '/api/v2/slas/policies.json',
    caller: asAdmin(),
    body: { sla_policy: body },
  });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@sla.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@sla.test', role: 'agent' }, NOW);
});

describe('SLA policies API', () => {
  it('creates, shows, updates and deletes a policy as SLAPolicyObject', async () => {
    const createdPolicy = await post(urgentIncidents('Incidents'));
    expect(createdPolicy.status).toBe(201);
    expect(validateAgainst('SLAPolicyResponse', createdPolicy.body)).toEqual([]);
    const policy = createdPolicy.body.sla_policy;
    expect(policy).toMatchObject({
      title: 'Incidents',
      description: 'Urgent incidents',
      url: `https://help.example.test/api/v2/slas/policies/${policy.id}.json`,
      filter: {
        all: [{ field: 'type', operator: 'is', value: 'incident' }],
        any: [{ field: 'via_id', operator: 'is', value: '4' }],
      },
      policy_metrics: urgentIncidents('x').policy_metrics,
    });

    const shown = await callApi(slas, {
      method: 'GET',
      path: `/api/v2/slas/policies/${policy.id}.json`,
      caller: asAgent(),
    });
    expect(shown.body).toEqual(createdPolicy.body);

    const updated = await callApi(slas, {
      method: 'PUT',
      path: `/api/v2/slas/policies/${policy.id}.json`,
      caller: asAdmin(),
      body: {
        sla_policy: {
          title: 'Incidents (faster)',
          policy_metrics: [{ priority: 'urgent', metric: 'first_reply_time', target: 15 }],
        },
      },
    });
    expect(updated.status).toBe(200);
    expect(validateAgainst('SLAPolicyResponse', updated.body)).toEqual([]);
    expect(updated.body.sla_policy).toMatchObject({
      title: 'Incidents (faster)',
      filter: policy.filter,
      policy_metrics: [{ priority: 'urgent', metric: 'first_reply_time', target: 15, business_hours: false }],
    });

    const deleted = await callApi(slas, {
      method: 'DELETE',
      path: `/api/v2/slas/policies/${policy.id}.json`,
      caller: asAdmin(),
    });
    expect(deleted.status).toBe(204);
    const gone = await callApi(slas, {
      method: 'GET',
      path: `/api/v2/slas/policies/${policy.id}.json`,
      caller: asAdmin(),
    });
    expect(gone.status).toBe(404);
  });

  it.each([
    [
      'an unknown metric',
      { policy_metrics: [{ priority: 'urgent', metric: 'total_resolution_time', target: 5 }] },
      'policy_metrics',
      "unknown metric 'total_resolution_time'",
    ],
    [
      'an unknown priority',
      { policy_metrics: [{ priority: 'asap', metric: 'first_reply_time', target: 5 }] },
      'policy_metrics',
      "unknown priority 'asap'",
    ],
    [
      'a non-positive target',
      { policy_metrics: [{ priority: 'low', metric: 'first_reply_time', target: -5 }] },
      'policy_metrics',
      'target must be a positive whole number of minutes',
    ],
    [
      'a duplicate target',
      {
        policy_metrics: [
          { priority: 'low', metric: 'agent_work_time', target: 5 },
          { priority: 'low', metric: 'agent_work_time', target: 10 },
        ],
      },
      'policy_metrics',
      'agent_work_time for low priority is already targeted',
    ],
    [
      'a trigger-only condition',
      { filter: { all: [{ field: 'update_type', value: 'Create' }] } },
      'filter',
      "field 'update_type' is only valid in triggers",
    ],
    ['a blank title', { title: ' ' }, 'title', 'Title: cannot be blank'],
  ])('answers %s with a 422 naming it, and stores nothing', async (_case, change, field, message) => {
    const before = await callApi(slas, {
      method: 'GET',
      path: '/api/v2/slas/policies.json',
      caller: asAdmin(),
    });
    const response = await post({ ...urgentIncidents('Bad'), ...change });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('RecordInvalid');
    expect(JSON.stringify(response.body.details[field])).toContain(message);
    const after = await callApi(slas, {
      method: 'GET',
      path: '/api/v2/slas/policies.json',
      caller: asAdmin(),
    });
    expect(after.body.count).toBe(before.body.count);
  });

  it('requires a filter on create', async () => {
    const { filter: _filter, ...withoutFilter } = urgentIncidents('No filter');
    const response = await post(withoutFilter);
    expect(response.status).toBe(422);
    expect(response.body.details.filter).toBeDefined();
  });

  it('lists policies in position order, puts new ones last and reorders them', async () => {
    const ids: number[] = [];
    for (const title of ['A', 'B', 'C']) ids.push((await post(urgentIncidents(title))).body.sla_policy.id);
    const list = await callApi(slas, {
      method: 'GET',
      path: '/api/v2/slas/policies.json',
      caller: asAgent(),
    });
    expect(validateAgainst('SLAPoliciesResponse', list.body)).toEqual([]);
    const titles = (body: { sla_policies: { title: string }[] }) =>
      body.sla_policies.map((policy) => policy.title);
    expect(titles(list.body).slice(-3)).toEqual(['A', 'B', 'C']);

    const reordered = await callApi(slas, {
      method: 'PUT',
      path: '/api/v2/slas/policies/reorder.json',
      caller: asAdmin(),
      body: { sla_policy_ids: [ids[2], ids[0]] },
    });
    expect(reordered.status).toBe(200);
    expect(titles(reordered.body).slice(0, 2)).toEqual(['C', 'A']);
    const byQuery = await callApi(slas, {
      method: 'PUT',
      path: `/api/v2/slas/policies/reorder.json?sla_policy_ids=${ids[1]}`,
      caller: asAdmin(),
    });
    expect(titles(byQuery.body).slice(0, 3)).toEqual(['B', 'C', 'A']);
    const positions = byQuery.body.sla_policies.map((policy: { position: number }) => policy.position);
    expect(positions).toEqual(positions.map((_: number, index: number) => index + 1));

    const unknown = await callApi(slas, {
      method: 'PUT',
      path: '/api/v2/slas/policies/reorder.json',
      caller: asAdmin(),
      body: { sla_policy_ids: [999_999] },
    });
    expect(unknown.status).toBe(422);
  });

  it('lists the filter definitions without trigger-only fields', async () => {
    const response = await callApi(slas, {
      method: 'GET',
      path: '/api/v2/slas/policies/definitions.json',
      caller: asAgent(),
    });
    expect(validateAgainst('SLAPolicyFilterDefinitionResponse', response.body)).toEqual([]);
    const fields = response.body.definitions.all.map((definition: { value: string }) => definition.value);
    expect(fields).toEqual(
      expect.arrayContaining(['priority', 'type', 'group_id', 'current_tags', 'via_id']),
    );
    expect(fields).not.toContain('update_type');
    expect(fields).not.toContain('comment_is_public');
    const priority = response.body.definitions.all.find(
      (definition: { value: string }) => definition.value === 'priority',
    );
    expect(priority.operators.map((operator: { value: string }) => operator.value)).not.toContain('changed');
  });

  it('lets agents read but only admins write', async () => {
    const response = await callApi(slas, {
      method: 'POST',
      path: '/api/v2/slas/policies.json',
      caller: asAgent(),
      body: { sla_policy: urgentIncidents('Agent') },
    });
    expect(response.status).toBe(403);
  });
});
