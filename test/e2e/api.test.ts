/**
 * End to end: the local runtime booted as `npm start` boots it (a separate process, configured by
 * RELAYDESK_* variables, scans forbidden), driven by the real node-zendesk v6 client and by plain
 * fetch where the client has no method. Tests share one runtime and run in order; later ones use the
 * people and tickets earlier ones created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainst } from '../support/openapi.ts';
import { type RuntimeProcess, removeDataDir, startRuntimeProcess } from '../support/runtime-process.ts';
import {
  failureStatus,
  type Loose,
  type RecordedResponse,
  zendeskClient,
} from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-e2e.test';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const JSON_UTF8 = 'application/json; charset=utf-8';

/** Zendesk answers null for these on users that have none, although UserForAdmin does not say so. */
const USER_GAPS = {
  nullable: { UserForAdmin: ['alias', 'signature', 'last_login_at', 'default_group_id', 'email'] },
} as const;

/**
 * Unset optional ticket fields are null in Zendesk's real responses (its own examples show
 * `"assignee_id": null`, `"type": null`...), although TicketObject does not mark them nullable.
 */
const TICKET_GAPS = {
  nullable: {
    TicketObject: [
      'assignee_id',
      'brand_id',
      'external_id',
      'forum_topic_id',
      'group_id',
      'organization_id',
      'priority',
      'problem_id',
      'recipient',
      'satisfaction_rating',
      'ticket_form_id',
      'type',
    ],
  },
} as const;

let runtime: RuntimeProcess;
/** Every response node-zendesk and `call` received, for the wire checks at the end. */
const seen: RecordedResponse[] = [];
/** Admin client; errors come back as node-zendesk's own (status-carrying) exceptions. */
let zd: Loose;
/** Admin client with node-zendesk's default error wrapping, as most integrations use it. */
let zdDefault: Loose;

interface RawResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions
  body: any;
  text: string;
}

const basic = (email: string, token: string) =>
  `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;

/** A plain HTTP call, authenticated as the admin unless `authorization` says otherwise. */
const call = async (
  method: string,
  path: string,
  options: { body?: unknown; authorization?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResult> => {
  const url = path.startsWith('http') ? path : `${runtime.baseUrl}${path}`;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const authorization =
    options.authorization === undefined ? basic(ADMIN_EMAIL, ADMIN_TOKEN) : options.authorization;
  if (authorization) headers.authorization = authorization;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  seen.push({ method, url, status: response.status, headers: response.headers });
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
    text,
  };
};

const clientFor = (options: { asUser?: string; query?: Record<string, unknown>; strict?: boolean } = {}) =>
  zendeskClient({
    apiUrl: runtime.apiUrl,
    username: ADMIN_EMAIL,
    token: ADMIN_TOKEN,
    record: seen,
    throwOriginalException: options.strict ?? true,
    ...(options.asUser ? { asUser: options.asUser } : {}),
    ...(options.query ? { query: options.query } : {}),
  });

/** Waits until the clock is past `iso`'s second: safe_update compares stamps at second precision. */
const afterSecondOf = async (iso: string) => {
  const nextSecond = (Math.floor(Date.parse(iso) / 1000) + 1) * 1000;
  for (let tries = 0; tries < 40 && Date.now() < nextSecond; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

beforeAll(async () => {
  runtime = await startRuntimeProcess({ adminEmail: ADMIN_EMAIL, adminToken: ADMIN_TOKEN });
  zd = clientFor();
  zdDefault = clientFor({ strict: false });
});

afterAll(async () => {
  if (!runtime) return;
  const report = await runtime.stop();
  await removeDataDir(runtime.dataDir);
  if (!report.exitedOnSigint || report.survivingJava.length > 0 || report.dynamoDbPortOpen) {
    throw new Error(`The runtime did not stop cleanly: ${JSON.stringify(report)}\n${runtime.output()}`);
  }
});

// People and records the scenarios share.
let endUser: Loose;
let agent: Loose;
let tier1: Loose;
let ticket: Loose;
let requester: Loose;

describe('users', () => {
  it('creates an end-user and an agent, shows and updates them', async () => {
    const created = await zd.users.create({ user: { name: 'Erin End', email: 'erin@customer-e2e.test' } });
    endUser = created.result;
    expect(created.response.status).toBe(201);
    expect(endUser).toMatchObject({ name: 'Erin End', email: 'erin@customer-e2e.test', role: 'end-user' });
    expect(validateAgainst('UserResponse', { user: endUser }, USER_GAPS)).toEqual([]);

    agent = (
      await zd.users.create({ user: { name: 'Alan Agent', email: 'alan@relaydesk-e2e.test', role: 'agent' } })
    ).result;
    expect(agent.role).toBe('agent');

    const shown = (await zd.users.show(agent.id)).result;
    expect(shown).toMatchObject({ id: agent.id, email: 'alan@relaydesk-e2e.test', role: 'agent' });

    const updated = (await zd.users.update(endUser.id, { user: { notes: 'Prefers email' } })).result;
    expect(updated).toMatchObject({ id: endUser.id, notes: 'Prefers email' });
  });

  it('answers me() with the admin the runtime seeded', async () => {
    const me = (await zd.users.me()).result;
    expect(me).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
  });

  it('finds users by email and several at once', async () => {
    const found: Loose[] = await zd.users.search({ query: 'erin@customer-e2e.test' });
    expect(found.map((user) => user.id)).toEqual([endUser.id]);
    const many: Loose[] = (await zd.users.showMany([endUser.id, agent.id])).result;
    expect(many.map((user) => user.id).sort((a, b) => a - b)).toEqual(
      [endUser.id, agent.id].sort((a, b) => a - b),
    );
  });

  it('createOrUpdate updates an existing user (200) and creates a new one (201)', async () => {
    const existing = await zd.users.createOrUpdate({
      user: { email: 'erin@customer-e2e.test', name: 'Erin Endicott' },
    });
    expect(existing.response.status).toBe(200);
    expect(existing.result).toMatchObject({ id: endUser.id, name: 'Erin Endicott' });

    const fresh = await zd.users.createOrUpdate({
      user: { email: 'nina@customer-e2e.test', name: 'Nina New' },
    });
    expect(fresh.response.status).toBe(201);
    expect(fresh.result.id).not.toBe(endUser.id);
    expect(fresh.result).toMatchObject({ email: 'nina@customer-e2e.test', role: 'end-user' });
  });
});

describe('organizations', () => {
  it('puts a new end-user whose email domain it owns into it', async () => {
    const organization = (
      await zd.organizations.create({ organization: { name: 'Acme E2E', domain_names: ['acme-e2e.test'] } })
    ).result;
    expect(organization.domain_names).toEqual(['acme-e2e.test']);
    expect(validateAgainst('OrganizationObject', organization)).toEqual([]);

    const zoe = (await zd.users.create({ user: { name: 'Zoe Acme', email: 'zoe@acme-e2e.test' } })).result;
    expect(zoe.organization_id).toBe(organization.id);

    const members: Loose[] = await zd.users.listByOrganization(organization.id);
    expect(members.map((user) => user.id)).toEqual([zoe.id]);
  });
});

describe('groups', () => {
  it('has the seeded tiers, creates a group and adds the agent to Tier 1', async () => {
    const groups: Loose[] = await zd.groups.list();
    expect(groups.map((group) => group.name)).toEqual(expect.arrayContaining(['Tier 1', 'Tier 2', 'Tier 3']));
    tier1 = groups.find((group) => group.name === 'Tier 1');
    expect(validateAgainst('GroupObject', tier1)).toEqual([]);

    const escalations = (await zd.groups.create({ group: { name: 'Escalations' } })).result;
    expect(escalations).toMatchObject({ name: 'Escalations' });

    const membership = (
      await zd.groupmemberships.create({ group_membership: { user_id: agent.id, group_id: tier1.id } })
    ).result;
    expect(membership).toMatchObject({ user_id: agent.id, group_id: tier1.id });
    const inTier1: Loose[] = await zd.groupmemberships.listByGroup(tier1.id);
    expect(inTier1.map((m) => m.user_id)).toContain(agent.id);
  });
});

describe('tickets', () => {
  it('creates a ticket for a new requester given by name and email', async () => {
    const created = await zd.tickets.create({
      ticket: {
        subject: 'Printer on fire',
        comment: { body: 'It is on fire, again.' },
        requester: { name: 'Rita Requester', email: 'rita@customer-e2e.test' },
      },
    });
    expect(created.response.status).toBe(201);
    ticket = created.result;
    expect(ticket).toMatchObject({
      subject: 'Printer on fire',
      status: 'new',
      description: 'It is on fire, again.',
    });

    const [found]: Loose[] = await zd.users.search({ query: 'rita@customer-e2e.test' });
    requester = found;
    expect(requester).toMatchObject({ name: 'Rita Requester', role: 'end-user' });
    expect(ticket.requester_id).toBe(requester.id);

    const shown = await call('GET', `/api/v2/tickets/${ticket.id}.json`);
    expect(shown.status).toBe(200);
    expect(validateAgainst('TicketResponse', shown.body, TICKET_GAPS)).toEqual([]);
    expect((await zd.tickets.show(ticket.id)).result).toMatchObject({
      id: ticket.id,
      subject: 'Printer on fire',
    });
  });

  it('adds a public comment and an internal note', async () => {
    await zd.tickets.update(ticket.id, { ticket: { comment: { body: 'We are on it.' } } });
    await zd.tickets.update(ticket.id, {
      ticket: { comment: { body: 'Secret: toner vendor is late.', public: false } },
    });
    const comments: Loose[] = await zd.tickets.getComments(ticket.id);
    expect(comments.map((comment) => [comment.body, comment.public])).toEqual([
      ['It is on fire, again.', true],
      ['We are on it.', true],
      ['Secret: toner vendor is late.', false],
    ]);
  });

  it('assigning a new ticket to an agent in Tier 1 opens it', async () => {
    const updated = (
      await zd.tickets.update(ticket.id, { ticket: { assignee_id: agent.id, group_id: tier1.id } })
    ).result;
    expect(updated).toMatchObject({ assignee_id: agent.id, group_id: tier1.id, status: 'open' });
  });

  it('adds, sets and removes tags', async () => {
    // node-zendesk documents `addTags(id, ['a'])`, but it drops an array body on the floor (its request
    // helper only sends plain objects), so the `{tags}` envelope is what actually reaches the server.
    await zd.tickets.addTags(ticket.id, { tags: ['printer', 'urgent'] });
    expect((await call('GET', `/api/v2/tickets/${ticket.id}/tags.json`)).body.tags.sort()).toEqual([
      'printer',
      'urgent',
    ]);
    await zd.tickets.updateTags(ticket.id, { tags: ['hardware', 'fire'] });
    expect((await call('GET', `/api/v2/tickets/${ticket.id}/tags.json`)).body.tags.sort()).toEqual([
      'fire',
      'hardware',
    ]);
    const removed = await call('DELETE', `/api/v2/tickets/${ticket.id}/tags.json`, {
      body: { tags: ['fire'] },
    });
    expect(removed.status).toBe(204);
    expect((await zd.tickets.show(ticket.id)).result.tags).toEqual(['hardware']);
  });

  it('lists comments and audits', async () => {
    const audits: Loose[] = await zd.tickets.exportAudit(ticket.id);
    // create, comment, note, assignment, two tag changes, tag removal
    expect(audits.length).toBeGreaterThanOrEqual(7);
    expect(audits.every((audit) => audit.ticket_id === ticket.id && Array.isArray(audit.events))).toBe(true);
    const kinds = new Set(audits.flatMap((audit) => audit.events.map((event: Loose) => event.type)));
    expect([...kinds]).toEqual(expect.arrayContaining(['Create', 'Comment', 'Change']));
  });

  it('pages through every ticket with page[size], and node-zendesk list() follows links.next to the end', async () => {
    for (let n = 1; n <= 7; n++) {
      await zd.tickets.create({ ticket: { subject: `Bulk ${n}`, comment: { body: `Bulk ticket ${n}` } } });
    }
    const pagedIds: number[] = [];
    let next: string | null = `/api/v2/tickets.json?page%5Bsize%5D=3`;
    let pages = 0;
    let last: RawResult | undefined;
    while (next && pages < 20) {
      last = await call('GET', next);
      expect(last.status).toBe(200);
      pagedIds.push(...last.body.tickets.map((t: Loose) => t.id));
      next = last.body.links.next;
      if (next) expect(next.startsWith(`${runtime.baseUrl}/api/v2/tickets.json?`)).toBe(true);
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(last?.body.links.next).toBeNull();
    expect(last?.body.meta.has_more).toBe(false);
    expect(pagedIds).toEqual([...pagedIds].sort((a, b) => a - b));
    expect(new Set(pagedIds).size).toBe(pagedIds.length);
    expect(pagedIds.length).toBeGreaterThanOrEqual(8);

    const listed: Loose[] = await zd.tickets.list();
    expect(listed.map((t) => t.id)).toEqual(pagedIds);
    // The `query` option overrides node-zendesk's automatic page[size]=100, so list() must follow links.
    const smallPages = clientFor({ query: { page: { size: 2 } } });
    const followed: Loose[] = await smallPages.tickets.list();
    expect(followed.map((t) => t.id)).toEqual(pagedIds);
    expect(seen.filter((r) => r.url.includes('page%5Bafter%5D')).length).toBeGreaterThanOrEqual(3);
  });

  it('shows several tickets at once and deletes one (then 404)', async () => {
    const victim = (await zd.tickets.create({ ticket: { subject: 'Delete me', comment: { body: 'bye' } } }))
      .result;
    const many: Loose[] = (await zd.tickets.showMany([ticket.id, victim.id])).result;
    expect(many.map((t) => t.id).sort((a, b) => a - b)).toEqual([ticket.id, victim.id].sort((a, b) => a - b));

    await zd.tickets.delete(victim.id);
    expect(await failureStatus(zd.tickets.show(victim.id))).toBe(404);
    await expect(zdDefault.tickets.show(victim.id)).rejects.toThrow(/Zendesk Error \(404\)/);
    const afterDelete: Loose[] = await zd.tickets.list();
    expect(afterDelete.map((t) => t.id)).not.toContain(victim.id);
  });
});

describe('safe update', () => {
  it('rejects the second of two updates made from the same stale updated_stamp with 409', async () => {
    const fresh = (await zd.tickets.create({ ticket: { subject: 'Race', comment: { body: 'two agents' } } }))
      .result;
    const stamp: string = fresh.updated_at;
    await afterSecondOf(stamp);
    const first = await zd.tickets.update(fresh.id, {
      ticket: { subject: 'Race (first)', safe_update: true, updated_stamp: stamp },
    });
    expect(first.result.subject).toBe('Race (first)');

    let conflict: Loose;
    try {
      await zd.tickets.update(fresh.id, {
        ticket: { subject: 'Race (second)', safe_update: true, updated_stamp: stamp },
      });
    } catch (error) {
      conflict = error;
    }
    expect(conflict?.statusCode).toBe(409);
    expect(conflict?.result?.error).toBe('UpdateConflict');
    await expect(
      zdDefault.tickets.update(fresh.id, {
        ticket: { subject: 'Race (third)', safe_update: true, updated_stamp: stamp },
      }),
    ).rejects.toThrow(/Zendesk Error \(409\)/);
    expect((await zd.tickets.show(fresh.id)).result.subject).toBe('Race (first)');
  });
});

describe("an end-user's view", () => {
  let erinsTicket: Loose;
  let erin: Loose;

  beforeAll(async () => {
    erinsTicket = (
      await zd.tickets.create({
        ticket: { subject: 'My laptop', comment: { body: 'It will not boot.' }, requester_id: endUser.id },
      })
    ).result;
    await zd.tickets.update(erinsTicket.id, {
      ticket: { comment: { body: 'Internal: warranty expired last week.', public: false } },
    });
    erin = clientFor({ asUser: endUser.email });
  });

  it('acts as the end-user named by X-On-Behalf-Of', async () => {
    expect((await erin.users.me()).result).toMatchObject({ id: endUser.id, role: 'end-user' });
  });

  it('lists only their own requests and hides everyone else’s as 404', async () => {
    const requests: Loose[] = await erin.requests.list();
    expect(requests.map((r) => r.id)).toEqual([erinsTicket.id]);
    expect(requests.every((r) => r.requester_id === endUser.id)).toBe(true);
    expect((await erin.requests.show(erinsTicket.id)).result).toMatchObject({
      id: erinsTicket.id,
      subject: 'My laptop',
    });
    expect(await failureStatus(erin.requests.show(ticket.id))).toBe(404);
    expect(await failureStatus(erin.requests.listComments(ticket.id))).toBe(404);
  });

  it('never sees an internal note', async () => {
    // Requests' jsonAPINames lack `comments`, so node-zendesk hands back each page's whole body.
    const pages: Loose[] = await erin.requests.listComments(erinsTicket.id);
    const comments: Loose[] = pages.flatMap((page) => page.comments);
    expect(comments.map((comment) => comment.body)).toEqual(['It will not boot.']);
    expect(JSON.stringify(comments)).not.toContain('warranty');
    const raw = await call('GET', `/api/v2/requests/${erinsTicket.id}/comments.json`, {
      headers: { 'x-on-behalf-of': endUser.email },
    });
    expect(raw.text).not.toContain('warranty');
  });

  it('is forbidden from the agents’ Tickets API', async () => {
    expect(await failureStatus(erin.tickets.show(erinsTicket.id))).toBe(403);
    const raw = await call('GET', `/api/v2/tickets/${erinsTicket.id}`, {
      headers: { 'x-on-behalf-of': endUser.email },
    });
    expect(raw.status).toBe(403);
    expect(raw.body).toEqual({ error: 'Forbidden', description: 'You do not have access to this resource' });
  });

  it('reopens a solved request by commenting on it', async () => {
    const solved = (
      await zd.tickets.update(erinsTicket.id, {
        ticket: {
          assignee_id: agent.id,
          group_id: tier1.id,
          status: 'solved',
          comment: { body: 'Replaced the disk.' },
        },
      })
    ).result;
    expect(solved.status).toBe('solved');
    const reopened = (
      await erin.requests.update(erinsTicket.id, { request: { comment: { body: 'Broken again.' } } })
    ).result;
    expect(reopened.status).toBe('open');
    expect((await zd.tickets.show(erinsTicket.id)).result.status).toBe('open');
  });
});

describe('ticket metrics', () => {
  it('eventually count the agent reply and the solve', async () => {
    const measured = (
      await zd.tickets.create({
        ticket: { subject: 'Measure me', comment: { body: 'Help' }, requester_id: requester.id },
      })
    ).result;
    await zd.tickets.update(measured.id, { ticket: { comment: { body: 'Here is the fix.', public: true } } });
    await zd.tickets.update(measured.id, {
      ticket: { assignee_id: agent.id, group_id: tier1.id, status: 'solved' },
    });

    // Computed asynchronously: stream → publisher → bus → queue → consumer.
    let metric: Loose;
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        metric = (await zd.tickets.listMetrics(measured.id)).result.ticket_metric;
        if (metric.replies >= 1 && metric.solved_at) break;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(metric).toMatchObject({ ticket_id: measured.id });
    expect(metric.replies).toBeGreaterThanOrEqual(1);
    expect(metric.solved_at).toEqual(expect.any(String));
  });
});

describe('wire details', () => {
  it('serves paths with and without .json', async () => {
    const withSuffix = await call('GET', `/api/v2/tickets/${ticket.id}.json`);
    const without = await call('GET', `/api/v2/tickets/${ticket.id}`);
    expect(withSuffix.status).toBe(200);
    expect(without.status).toBe(200);
    expect(without.body).toEqual(withSuffix.body);
  });

  it('answers an unknown route with InvalidEndpoint', async () => {
    const response = await call('GET', '/api/v2/no_such_things.json');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'InvalidEndpoint' });
  });

  it('answers a wrong token with 401 and Zendesk’s body', async () => {
    const response = await call('GET', '/api/v2/users/me.json', {
      authorization: basic(ADMIN_EMAIL, 'wrong-token'),
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "Couldn't authenticate you" });
    expect(
      await failureStatus(
        zendeskClient({
          apiUrl: runtime.apiUrl,
          username: ADMIN_EMAIL,
          token: 'nope',
          throwOriginalException: true,
        }).users.me(),
      ),
    ).toBe(401);
  });

  it('answers a missing record with RecordNotFound and bad input with RecordInvalid', async () => {
    const missing = await call('GET', '/api/v2/tickets/999999.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    const invalid = await call('POST', '/api/v2/tickets.json', {
      body: { ticket: { subject: 'no comment' } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ error: 'RecordInvalid' });
  });

  it('puts links.next on absolute public URLs, and null on the last page', async () => {
    const first = await call('GET', '/api/v2/users.json?page%5Bsize%5D=2');
    expect(first.body.links.next).toMatch(new RegExp(`^${runtime.baseUrl}/api/v2/users\\.json\\?`));
    const all = await call('GET', '/api/v2/users.json?page%5Bsize%5D=100');
    expect(all.body.links.next).toBeNull();
    expect(all.body.meta.has_more).toBe(false);
  });

  it('sent JSON with charset on every response with a body, and Retry-After on none (no 429 happened)', () => {
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.filter((r) => r.status === 429)).toEqual([]);
    const withRetryAfter = seen
      .filter((r) => r.headers.has('retry-after'))
      .map((r) => `${r.method} ${r.url}`);
    expect(withRetryAfter).toEqual([]);
    const statuses = new Set(seen.map((r) => r.status));
    for (const status of [200, 201, 401, 403, 404, 409, 422]) expect(statuses).toContain(status);
    const wrongType = seen
      .filter((r) => r.status !== 204 && r.headers.get('content-type') !== JSON_UTF8)
      .map((r) => `${r.method} ${r.url} → ${r.status} ${r.headers.get('content-type')}`);
    expect(wrongType).toEqual([]);
  });
});
