/**
 * End to end: node-zendesk's `views` client against the local runtime, on the views seeded at first
 * start, with tickets created through the same local.client().
 */
import { describe, expect, it } from 'vitest';
import { useLocalRuntime } from '../support/e2e-runtime.ts';

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
});
