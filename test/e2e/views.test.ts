/**
 * End to end: node-zendesk's `views` client against the local runtime, on the views seeded at first
 * start, with tickets created through the same local.client(); "hours since" conditions measured by
 * the runtime's movable clock (POST /_local/clock).
 */
import { describe, expect, it } from 'vitest';
import { advanceClock, eventually, useLocalRuntime } from '../support/e2e-runtime.ts';

const ADMIN_EMAIL = 'owner@relaydesk-views.test';
const ADMIN_TOKEN = 'views-admin-token-0123456789';

const local = useLocalRuntime({ email: ADMIN_EMAIL, token: ADMIN_TOKEN });

describe('views through node-zendesk', () => {
  it('lists the seeded views and runs one over tickets made through the API', async () => {
    const seeded: { id: number; title: string; default: boolean }[] = await local.client().views.list();
    expect(seeded.filter((view) => view.default).map((view) => view.title)).toEqual(
      expect.arrayContaining(['Your unsolved tickets', 'All unsolved tickets', 'Tier 1 queue']),
    );
    const allUnsolved = seeded.find((view) => view.title === 'All unsolved tickets');
    if (!allUnsolved) throw new Error('All unsolved tickets was not seeded');

    const created: number[] = [];
    for (const subject of ['Printer on fire', 'Cannot log in']) {
      const { result } = await local
        .client()
        .tickets.create({ ticket: { subject, comment: { body: subject } } });
      created.push(result.id);
    }

    const pages = await local.client().views.tickets(allUnsolved.id);
    const listed = pages.flatMap((page: { tickets: { id: number }[] }) =>
      page.tickets.map((ticket) => ticket.id),
    );
    expect(listed).toEqual(expect.arrayContaining(created));
    const { result: count } = await local.client().views.showCount(allUnsolved.id);
    expect(count.view_count).toMatchObject({ view_id: allUnsolved.id, fresh: true });
    expect(count.view_count.value).toBeGreaterThanOrEqual(created.length);

    const { result: view } = await local.client().views.create({
      view: {
        title: 'Printer trouble',
        all: [{ field: 'status', operator: 'less_than', value: 'solved' }],
        any: [{ field: 'current_tags', operator: 'includes', value: 'printer' }],
      },
    });
    expect((await local.client().views.show(view.id)).result.title).toBe('Printer trouble');
    // execute() is a getAll whose pages node-zendesk reduces to their `view` key.
    expect(await local.client().views.execute(view.id)).toEqual([expect.objectContaining({ id: view.id })]);
  });

  it('keeps a solved ticket in "Recently solved tickets" for a week of the local clock', async () => {
    const client = local.client();
    const seeded: { id: number; title: string }[] = await client.views.list();
    const recentlySolved = seeded.find((view) => view.title === 'Recently solved tickets');
    if (!recentlySolved) throw new Error('Recently solved tickets was not seeded');
    const { result: me } = await client.users.me();
    const { result: ticket } = await client.tickets.create({
      ticket: { subject: 'Toner low', comment: { body: 'Toner low' } },
    });
    await client.tickets.update(ticket.id, { ticket: { status: 'solved', assignee_id: me.id } });
    const listedIds = async (): Promise<number[]> =>
      (await client.views.tickets(recentlySolved.id)).flatMap((page: { tickets: { id: number }[] }) =>
        page.tickets.map((each) => each.id),
      );

    // "Hours since solved" reads the ticket metrics, which the metrics consumer writes moments later.
    await eventually(local.runtime(), 'the solved ticket in Recently solved tickets', async () =>
      (await listedIds()).includes(ticket.id) ? true : undefined,
    );

    await advanceClock(local.runtime(), 168 * 60);
    expect(await listedIds()).not.toContain(ticket.id);
  });
});
