/**
 * The Macros API end to end against DynamoDB Local: definitions checked at save time, who sees and
 * manages which macro, both apply forms (never saving), Liquid placeholders, usage counts, the seeded
 * tier escalations, and node-zendesk's `macros` client driving the handler in process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as macros } from '../../functions/api/macros.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { compileMacroActions } from '../../shared/domain/macros/macro-actions.ts';
import { macroUsage } from '../../shared/domain/macros/macro-usage.ts';
import type { Ticket } from '../../shared/domain/tickets/ticket.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import { seedAccount } from '../../shared/setup/seed-account.ts';
import { listGroups } from '../../shared/store/directory/groups.ts';
import { findUserByEmail } from '../../shared/store/directory/users.ts';
import { getMacroUsageDays, recordMacroUse } from '../../shared/store/macros.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { addGroupMember } from '../../shared/use-cases/groups/manage-groups.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi, type TestCaller } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';
import { inProcessZendeskClient, type Loose } from '../support/zendesk-client.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

// node-zendesk is CommonJS whose exports Node cannot detect statically, so a named ESM import fails.

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let alan: User;
let grace: User;
let customer: User;
let tiers: Record<string, number>;
let ticket: Ticket;

const as = (user: User) => ({ userId: user.id, role: user.role });

const api = (caller: TestCaller, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
  callApi(macros, { method, path, caller, ...(body === undefined ? {} : { body }) });

const postMacro = (caller: TestCaller, macro: Record<string, unknown>) =>
  api(caller, 'POST', '/api/v2/macros.json', { macro });

/** Zendesk's document types these as strings or objects; they are null on macros that have none. */
const MACRO_GAPS = { nullable: { MacroCommonObject: ['description', 'restriction'] } };

beforeAll(async () => {
  await seedAccount({ adminEmail: 'ada@relaydesk.test' });
  admin = (await findUserByEmail('ada@relaydesk.test')) as User;
  tiers = Object.fromEntries(
    (await listGroups({ mode: 'cursor', size: 100, descending: false })).items.map((group) => [
      group.name,
      group.id,
    ]),
  );
  alan = await createUser({ name: 'Alan Turing', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
  grace = await createUser({ name: 'Grace Hopper', email: 'grace@relaydesk.test', role: 'agent' }, NOW);
  customer = await createUser({ name: '<b>Cy</b> & Co', email: 'cy@customer.test' }, NOW);
  await addGroupMember({ user_id: alan.id, group_id: tiers['Tier 1'] as number }, NOW);
  const created = await createTicket({
    caller: { ...as(alan), email: 'alan@relaydesk.test' },
    via: apiVia(),
    now: NOW,
    fields: {
      subject: 'Printer on fire',
      group_id: tiers['Tier 1'] as number,
      assignee_id: alan.id,
      tags: ['printer'],
    },
    requester: customer.id,
    comment: { body: 'Smoke everywhere' },
  });
  ticket = created.ticket;
});

describe('macro definitions', () => {
  it('creates, shows, updates and deletes a macro as MacroObject', async () => {
    const created = await postMacro(as(admin), {
      title: 'Roger Wilco',
      actions: [
        { field: 'status', value: 'solved' },
        { field: 'comment_value', value: 'Done, {{ticket.requester.first_name}}.' },
      ],
    });
    expect(created.status).toBe(201);
    const macro = created.body.macro;
    expect(macro).toMatchObject({
      title: 'Roger Wilco',
      description: null,
      active: true,
      default: false,
      restriction: null,
      url: `https://help.example.test/api/v2/macros/${macro.id}.json`,
    });
    expect(validateAgainst('MacroResponse', created.body, MACRO_GAPS)).toEqual([]);

    const updated = await api(as(admin), 'PUT', `/api/v2/macros/${macro.id}.json`, {
      macro: { title: 'Solve politely', description: 'Solves', active: false },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.macro).toMatchObject({
      title: 'Solve politely',
      description: 'Solves',
      active: false,
    });
    expect(updated.body.macro.actions).toEqual(macro.actions);

    const shown = await api(as(alan), 'GET', `/api/v2/macros/${macro.id}.json`);
    expect(shown.body.macro.title).toBe('Solve politely');
    expect(validateAgainst('MacroResponse', shown.body, MACRO_GAPS)).toEqual([]);

    expect((await api(as(admin), 'DELETE', `/api/v2/macros/${macro.id}.json`)).status).toBe(204);
    expect((await api(as(admin), 'GET', `/api/v2/macros/${macro.id}.json`)).status).toBe(404);
    expect((await api(as(admin), 'DELETE', `/api/v2/macros/${macro.id}.json`)).status).toBe(404);
  });

  it('keeps a channel-scoped comment as the client wrote it', async () => {
    const value = ['channel:all', 'Done, {{ticket.requester.first_name}}.'];
    const created = await postMacro(as(admin), {
      title: 'Scoped',
      actions: [{ field: 'comment_value', value }],
    });
    expect(created.body.macro.actions).toEqual([{ field: 'comment_value', value }]);
    const applied = await api(
      as(admin),
      'GET',
      `/api/v2/tickets/${ticket.id}/macros/${created.body.macro.id}/apply.json`,
    );
    expect(applied.body.result.comment.body).toBe('Done, <b>Cy</b>.');
    await api(as(admin), 'DELETE', `/api/v2/macros/${created.body.macro.id}.json`);
  });

  it.each([
    ['an unknown action', { field: 'launch_rocket', value: 'now' }, "unknown action 'launch_rocket'"],
    [
      'a notification (rules only)',
      { field: 'notification_user', value: ['requester_id', 'Hi', 'Body'] },
      "action 'notification_user' is not available in macros",
    ],
    ['status closed', { field: 'status', value: 'closed' }, "macros cannot set status 'closed'"],
    ['status new', { field: 'status', value: 'new' }, "macros cannot set status 'new'"],
    [
      'a bad priority',
      { field: 'priority', value: 'asap' },
      "invalid value '\"asap\"' for action 'priority'",
    ],
    [
      'Liquid that does not parse',
      { field: 'comment_value', value: 'Hi {% if ticket.id %}' },
      "Text of action 'comment_value' is not a valid Liquid template",
    ],
    [
      'a subject with broken Liquid',
      { field: 'subject', value: 'Re: {{ ticket.title' },
      "Text of action 'subject' is not a valid Liquid template",
    ],
    ['a group that does not exist', { field: 'group_id', value: 999_999 }, 'group 999999 does not exist'],
    ['an end-user as assignee', { field: 'assignee_id', value: -1 }, "invalid value '-1'"],
  ])('rejects %s with a 422 naming it, and stores nothing', async (_, action, problem) => {
    const before = await api(as(admin), 'GET', '/api/v2/macros.json');
    const response = await postMacro(as(admin), { title: 'Broken', actions: [action] });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('RecordInvalid');
    expect(response.body.details.actions[0].description).toContain(problem);
    const after = await api(as(admin), 'GET', '/api/v2/macros.json');
    expect(after.body.count).toBe(before.body.count);
  });

  it('rejects a blank title, missing actions, a repeated comment and an end-user assignee', async () => {
    const blank = await postMacro(as(admin), { title: ' ', actions: [{ field: 'status', value: 'open' }] });
    expect(blank.status).toBe(422);
    expect(blank.body.details.title[0].description).toBe('Title: cannot be blank');
    const noActions = await postMacro(as(admin), { title: 'Nothing' });
    expect(noActions.body.details.actions[0].description).toBe('Actions: cannot be blank');
    const twice = await postMacro(as(admin), {
      title: 'Two comments',
      actions: [
        { field: 'comment_value', value: 'One' },
        { field: 'comment_value', value: 'Two' },
      ],
    });
    expect(twice.body.details.actions[0].description).toBe("Actions: 'comment_value' may appear only once");
    const endUser = await postMacro(as(admin), {
      title: 'Assign to customer',
      actions: [{ field: 'assignee_id', value: customer.id }],
    });
    expect(endUser.status).toBe(422);
    expect(endUser.body.details.actions[0].description).toBe(
      `Actions: assignee ${customer.id} is not an agent`,
    );
  });

  it('lets agents manage only their personal macros, and shows each agent what is theirs to see', async () => {
    const shared = await postMacro(as(alan), {
      title: 'Shared by an agent',
      actions: [{ field: 'priority', value: 'low' }],
    });
    expect(shared.status).toBe(403);

    const personal = await postMacro(as(alan), {
      title: 'Alan personal',
      restriction: { type: 'User', id: alan.id },
      actions: [{ field: 'priority', value: 'low' }],
    });
    expect(personal.status).toBe(201);
    expect(personal.body.macro.restriction).toEqual({ type: 'User', id: alan.id });
    const tierOnly = await postMacro(as(admin), {
      title: 'Tier 1 only',
      restriction: { type: 'Group', id: tiers['Tier 1'] },
      actions: [{ field: 'priority', value: 'high' }],
    });
    expect(tierOnly.body.macro.restriction).toEqual({
      type: 'Group',
      id: tiers['Tier 1'],
      ids: [tiers['Tier 1']],
    });

    const titles = async (user: User) =>
      (await api(as(user), 'GET', '/api/v2/macros.json')).body.macros.map(
        (macro: { title: string }) => macro.title,
      );
    expect(await titles(alan)).toEqual(expect.arrayContaining(['Alan personal', 'Tier 1 only']));
    expect(await titles(grace)).not.toContain('Alan personal');
    expect(await titles(grace)).not.toContain('Tier 1 only');
    expect(await titles(admin)).toEqual(expect.arrayContaining(['Alan personal', 'Tier 1 only']));

    const personalPath = `/api/v2/macros/${personal.body.macro.id}.json`;
    expect((await api(as(grace), 'GET', personalPath)).status).toBe(404);
    expect((await api(as(grace), 'PUT', personalPath, { macro: { title: 'Mine now' } })).status).toBe(404);
    // Alan can see the tier macro but not change it, nor turn his own into a shared one.
    expect(
      (await api(as(alan), 'PUT', `/api/v2/macros/${tierOnly.body.macro.id}.json`, { macro: { title: 'X' } }))
        .status,
    ).toBe(403);
    expect((await api(as(alan), 'PUT', personalPath, { macro: { restriction: null } })).status).toBe(403);
    expect(
      (await api(as(alan), 'PUT', personalPath, { macro: { title: 'Alan own' } })).body.macro.title,
    ).toBe('Alan own');
    expect((await api(as(alan), 'GET', '/api/v2/macros.json?access=personal')).body.macros).toEqual([
      expect.objectContaining({ title: 'Alan own' }),
    ]);
    expect((await api(as(alan), 'DELETE', personalPath)).status).toBe(204);
  });
});

describe('macro lists', () => {
  it('lists alphabetically by default, filters active ones, searches titles and sorts on request', async () => {
    const ids: number[] = [];
    for (const [title, active] of [
      ['zeta list', true],
      ['Alpha list', true],
      ['mid list', false],
    ] as const) {
      ids.push(
        (await postMacro(as(admin), { title, active, actions: [{ field: 'type', value: 'task' }] })).body
          .macro.id,
      );
    }
    const titlesOf = (body: { macros: { title: string }[] }) =>
      body.macros.map((macro) => macro.title).filter((title) => title.endsWith(' list'));

    const all = await api(as(admin), 'GET', '/api/v2/macros.json');
    expect(titlesOf(all.body)).toEqual(['Alpha list', 'mid list', 'zeta list']);
    const listed = await api(as(admin), 'GET', '/api/v2/macros/search.json?query=%20list');
    expect(validateAgainst('MacrosResponse', listed.body, MACRO_GAPS)).toEqual([]);
    expect(titlesOf((await api(as(admin), 'GET', '/api/v2/macros/active.json')).body)).toEqual([
      'Alpha list',
      'zeta list',
    ]);
    expect(titlesOf((await api(as(admin), 'GET', '/api/v2/macros.json?active=false')).body)).toEqual([
      'mid list',
    ]);
    expect(
      titlesOf((await api(as(admin), 'GET', '/api/v2/macros.json?sort_by=created_at&sort_order=asc')).body),
    ).toEqual(['zeta list', 'Alpha list', 'mid list']);
    expect(
      titlesOf(
        (await api(as(admin), 'GET', '/api/v2/macros.json?sort_by=alphabetical&sort_order=desc')).body,
      ),
    ).toEqual(['zeta list', 'mid list', 'Alpha list']);
    const search = await api(as(admin), 'GET', '/api/v2/macros/search.json?query=ALPHA');
    expect(search.body.macros.map((macro: { id: number }) => macro.id)).toEqual([ids[1]]);
    expect((await api(as(admin), 'GET', '/api/v2/macros/search.json')).status).toBe(400);
    expect((await api(as(admin), 'GET', '/api/v2/macros.json?sort_by=colour')).status).toBe(400);

    // Cursor pages keep the requested order and end with links.next null.
    const first = await api(as(admin), 'GET', '/api/v2/macros.json?page[size]=1&query=ignored');
    expect(first.body.macros).toHaveLength(1);
    expect(first.body.links.next).toContain('page%5Bafter%5D=');
  });

  it('changes active and position of several macros at once, all or none', async () => {
    const one = (
      await postMacro(as(admin), { title: 'Bulk one', actions: [{ field: 'type', value: 'task' }] })
    ).body.macro;
    const two = (
      await postMacro(as(admin), { title: 'Bulk two', actions: [{ field: 'type', value: 'task' }] })
    ).body.macro;
    const updated = await api(as(admin), 'PUT', '/api/v2/macros/update_many.json', {
      macros: [
        { id: one.id, active: false },
        { id: two.id, position: 1 },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.macros).toEqual([
      expect.objectContaining({ id: one.id, active: false, position: one.position }),
      expect.objectContaining({ id: two.id, active: true, position: 1 }),
    ]);
    const missing = await api(as(admin), 'PUT', '/api/v2/macros/update_many.json', {
      macros: [
        { id: one.id, active: true },
        { id: 999_999, active: false },
      ],
    });
    expect(missing.status).toBe(404);
    expect((await api(as(admin), 'GET', `/api/v2/macros/${one.id}.json`)).body.macro.active).toBe(false);
  });
});

describe('applying a macro', () => {
  let triage: { id: number };

  beforeAll(async () => {
    triage = (
      await postMacro(as(admin), {
        title: 'Take and triage',
        actions: [
          { field: 'assignee_id', value: 'current_user' },
          { field: 'group_id', value: 'current_groups' },
          { field: 'priority', value: 'high' },
          { field: 'current_tags', value: 'triaged' },
          { field: 'remove_tags', value: 'printer' },
          { field: 'subject', value: '[Triaged] {{ticket.title}}' },
          {
            field: 'comment_value',
            value: 'Hi {{ticket.requester.name}}, {{current_user.first_name}} here ({{ticket.group.name}}).',
          },
          {
            field: 'comment_value_html',
            value: '<p>Hi <em>{{ticket.requester.name}}</em>, {{current_user.first_name}} here.</p>',
          },
          { field: 'comment_mode_is_public', value: 'true' },
        ],
      })
    ).body.macro;
  });

  it('answers only the changed fields and the comment, without a ticket', async () => {
    const response = await api(as(alan), 'GET', `/api/v2/macros/${triage.id}/apply.json`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      result: {
        ticket: {
          assignee_id: alan.id,
          priority: 'high',
          subject: '[Triaged] ',
          additional_tags: ['triaged'],
          remove_tags: ['printer'],
          comment: {
            body: 'Hi , Alan here ().',
            html_body: '<p>Hi <em></em>, Alan here.</p>',
            public: true,
            scoped_body: [['channel:all', 'Hi , Alan here ().']],
          },
        },
      },
    });
    expect(validateAgainst('MacroApplyTicketResponse', response.body)).toEqual([]);
  });

  it('answers the whole ticket after the macro, placeholders rendered and HTML escaped, and saves nothing', async () => {
    const before = await getTicket(ticket.id);
    const response = await api(
      as(alan),
      'GET',
      `/api/v2/tickets/${ticket.id}/macros/${triage.id}/apply.json`,
    );
    expect(response.status).toBe(200);
    expect(response.body.result.ticket).toMatchObject({
      id: ticket.id,
      url: `https://help.example.test/api/v2/tickets/${ticket.id}.json`,
      subject: '[Triaged] Printer on fire',
      priority: 'high',
      assignee_id: alan.id,
      group_id: tiers['Tier 1'],
      tags: ['triaged'],
      status: ticket.status,
    });
    expect(response.body.result.comment).toEqual({
      // Plain text is not escaped; in HTML the requester's name is text, never markup.
      body: 'Hi <b>Cy</b> & Co, Alan here (Tier 1).',
      html_body: '<p>Hi <em>&lt;b&gt;Cy&lt;/b&gt; &amp; Co</em>, Alan here.</p>',
      public: true,
      scoped_body: [['channel:all', 'Hi <b>Cy</b> & Co, Alan here (Tier 1).']],
    });
    // The document types the whole ticket's `fields` as one object; tickets serve Zendesk's list.
    const { fields: _fields, ...withoutFields } = response.body.result.ticket;
    const contract = { result: { ...response.body.result, ticket: withoutFields } };
    expect(validateAgainst('MacroApplyTicketResponse', contract)).toEqual([]);
    expect(await getTicket(ticket.id)).toEqual(before);
  });

  it('404s for a macro the caller may not see and for a missing ticket', async () => {
    const personal = (
      await postMacro(as(grace), {
        title: 'Grace only',
        restriction: { type: 'User', id: grace.id },
        actions: [{ field: 'priority', value: 'low' }],
      })
    ).body.macro;
    expect((await api(as(alan), 'GET', `/api/v2/macros/${personal.id}/apply.json`)).status).toBe(404);
    expect((await api(as(grace), 'GET', `/api/v2/macros/${personal.id}/apply.json`)).status).toBe(200);
    expect((await api(as(alan), 'GET', `/api/v2/tickets/999999/macros/${triage.id}/apply.json`)).status).toBe(
      404,
    );
    expect(
      (await api({ userId: customer.id, role: 'end-user' }, 'GET', `/api/v2/macros/${triage.id}/apply.json`))
        .status,
    ).toBe(403);
  });
});

describe('macro usage', () => {
  it('counts every apply and reports usage_* only when included', async () => {
    const macro = (
      await postMacro(as(admin), { title: 'Counted', actions: [{ field: 'type', value: 'task' }] })
    ).body.macro;
    await api(as(alan), 'GET', `/api/v2/macros/${macro.id}/apply.json`);
    await api(as(alan), 'GET', `/api/v2/tickets/${ticket.id}/macros/${macro.id}/apply.json`);

    const plain = await api(as(admin), 'GET', `/api/v2/macros/search.json?query=Counted`);
    expect(plain.body.macros[0]).not.toHaveProperty('usage_30d');
    const included = await api(
      as(admin),
      'GET',
      '/api/v2/macros/search.json?query=Counted&include=usage_24h,usage_30d',
    );
    expect(included.body.macros[0]).toMatchObject({ usage_24h: 2, usage_30d: 2 });
    expect(included.body.macros[0]).not.toHaveProperty('usage_7d');
    const byUsage = await api(as(admin), 'GET', '/api/v2/macros.json?sort_by=usage_30d&include=usage_30d');
    const counts = byUsage.body.macros.map((listed: { usage_30d: number }) => listed.usage_30d);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(0);
  });

  it('answers each window from hourly counts, and drops days no window reaches', async () => {
    const id = 900_001;
    const daysSeenAt = async (at: string) => (await getMacroUsageDays(id, at)).map((usage) => usage.day);
    await recordMacroUse(id, '2026-01-01T09:15:00Z');
    expect(await daysSeenAt('2026-01-01T10:00:00Z')).toEqual(['2026-01-01']);
    for (const at of [
      '2026-02-03T08:59:00Z',
      '2026-02-09T10:05:00Z',
      '2026-02-10T09:01:00Z',
      '2026-02-10T10:01:00Z',
      '2026-02-10T10:40:00Z',
    ]) {
      await recordMacroUse(id, at);
    }
    const now = '2026-02-10T10:45:00Z';
    // 1h: this clock hour; 24h from 2026-02-09 11:00; 7d from 2026-02-03 11:00.
    expect(macroUsage(await getMacroUsageDays(id, now), now)).toEqual({
      usage_1h: 2,
      usage_24h: 3,
      usage_7d: 4,
      usage_30d: 5,
    });
    // The first use on 2026-02-03 dropped 2026-01-01, which no window reaches any more.
    expect(await daysSeenAt('2026-01-01T10:00:00Z')).toEqual(['2026-02-03', '2026-02-09', '2026-02-10']);
  });
});

describe('default macros', () => {
  it('escalates across tiers: apply, then PUT the result, moves the ticket with an internal note', async () => {
    const listed = await api(as(alan), 'GET', '/api/v2/macros/search.json?query=Escalate');
    expect(
      listed.body.macros.map((macro: { title: string; default: boolean }) => [macro.title, macro.default]),
    ).toEqual([
      ['Escalate to Tier 2', true],
      ['Escalate to Tier 3', true],
    ]);
    const escalate = listed.body.macros[0];
    const applied = await api(
      as(alan),
      'GET',
      `/api/v2/tickets/${ticket.id}/macros/${escalate.id}/apply.json`,
    );
    const { ticket: after, comment } = applied.body.result;
    expect(comment.public).toBe(false);
    expect(await getTicket(ticket.id)).toMatchObject({ group_id: tiers['Tier 1'], assignee_id: alan.id });

    // The agent's client submits the resulting ticket and comment as one update, naming the macro.
    const put = await callApi(tickets, {
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}.json`,
      caller: as(alan),
      body: { ticket: { ...after, comment, macro_id: escalate.id } },
    });
    expect(put.status).toBe(200);
    expect(put.body.ticket).toMatchObject({
      group_id: tiers['Tier 2'],
      assignee_id: null,
      status: 'open',
      tags: expect.arrayContaining(['escalated', 'tier_2']),
    });
    const comments = await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${ticket.id}/comments.json`,
      caller: as(alan),
    });
    const note = comments.body.comments.at(-1);
    expect(note.public).toBe(false);
    expect(note.body).toContain('Escalated to Tier 2: Alan Turing handed this ticket on');
    expect(note.body).toContain('Requester: <b>Cy</b> & Co <cy@customer.test>');
    // The audit names the macro, so the escalation path reads from the ticket's history.
    expect(put.body.audit.events).toContainEqual(
      expect.objectContaining({
        type: 'AgentMacroReference',
        macro_id: escalate.id,
        macro_title: 'Escalate to Tier 2',
      }),
    );
  });

  it('refuses an update naming a macro that does not exist, and changes nothing', async () => {
    const before = await getTicket(ticket.id);
    const put = await callApi(tickets, {
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}.json`,
      caller: as(alan),
      body: { ticket: { priority: 'low', macro_id: 999999 } },
    });
    expect(put.status).toBe(422);
    expect(put.body.details.macro_id).toBeDefined();
    expect(await getTicket(ticket.id)).toEqual(before);
  });

  it('seeds only macros that compile', async () => {
    const all = await api(as(admin), 'GET', '/api/v2/macros.json');
    const seeded = all.body.macros.filter((macro: { default: boolean }) => macro.default);
    expect(seeded.map((macro: { title: string }) => macro.title).sort()).toEqual([
      'Close and redirect to topics',
      'Escalate to Tier 2',
      'Escalate to Tier 3',
    ]);
    for (const macro of seeded) expect(compileMacroActions(macro.actions).ok).toBe(true);
  });
});

describe('node-zendesk macros client', () => {
  /** node-zendesk with a transport that hands each request to the route-group handler in process. */
  const client = (user: User): Loose =>
    inProcessZendeskClient(macros, { ...as(user), email: user.email ?? '' });

  it('creates, lists, searches, shows, applies, updates and deletes', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: node-zendesk's typings do not match its runtime results
    const zendesk: any = client(admin);
    const created = await zendesk.macros.create({
      macro: { title: 'Client macro', actions: [{ field: 'priority', value: 'urgent' }] },
    });
    const id = created.result.macro.id;
    const active = await zendesk.macros.list();
    expect(active.map((macro: { id: number }) => macro.id)).toContain(id);
    expect(
      (await zendesk.macros.search('Client macro')).result.map((macro: { id: number }) => macro.id),
    ).toEqual([id]);
    expect((await zendesk.macros.show(id)).result.macro.title).toBe('Client macro');
    expect((await zendesk.macros.apply(id)).result.result.ticket).toEqual({ priority: 'urgent' });
    expect((await zendesk.macros.applyTicket(ticket.id, id)).result.result.ticket.priority).toBe('urgent');
    await zendesk.macros.update(id, { macro: { title: 'Client macro, renamed' } });
    expect((await zendesk.macros.updateMany([{ id, active: false }])).result[0].active).toBe(false);
    await zendesk.macros.delete(id);
    expect((await api(as(admin), 'GET', `/api/v2/macros/${id}.json`)).status).toBe(404);
  });
});
