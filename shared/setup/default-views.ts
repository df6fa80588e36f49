/**
 * The views a support team expects on day one, modelled on Zendesk's defaults, "recently" ones
 * included: they keep tickets by hours since update or since solved.
 */
import type { ViewInput } from '../http/schemas/view-input.ts';
import { createView } from '../use-cases/views/manage-views.ts';
import type { SeedContext, SeedStep } from './default-content.ts';

const UNSOLVED = { field: 'status', operator: 'less_than', value: 'solved' };
const QUEUE_COLUMNS = ['status', 'description', 'requester', 'created', 'priority', 'assignee'];
/** "Recently": updated in the past day, solved in the past week. */
const RECENTLY_UPDATED_HOURS = 24;
const RECENTLY_SOLVED_HOURS = 168;

const queue = (title: string, groupId: number): ViewInput => ({
  title,
  description: `Unsolved tickets in ${title.replace(/ queue$/, '')}`,
  all: [UNSOLVED, { field: 'group_id', operator: 'is', value: String(groupId) }],
  output: { columns: QUEUE_COLUMNS, sort_by: 'updated', sort_order: 'asc' },
});

export const defaultViews = ({ groupIds }: Pick<SeedContext, 'groupIds'>): ViewInput[] => [
  {
    title: 'Your unsolved tickets',
    all: [UNSOLVED, { field: 'assignee_id', operator: 'is', value: 'current_user' }],
    output: { columns: ['status', 'description', 'requester', 'created', 'priority'], sort_by: 'updated' },
  },
  {
    title: 'Unassigned tickets',
    all: [UNSOLVED, { field: 'assignee_id', operator: 'is', value: '' }],
    output: { columns: QUEUE_COLUMNS, sort_by: 'created', sort_order: 'asc' },
  },
  {
    title: 'All unsolved tickets',
    all: [UNSOLVED],
    output: { columns: QUEUE_COLUMNS, sort_by: 'updated' },
  },
  queue('Tier 1 queue', groupIds['Tier 1']),
  queue('Tier 2 queue', groupIds['Tier 2']),
  queue('Tier 3 queue', groupIds['Tier 3']),
  {
    title: 'Recently updated tickets',
    all: [
      { field: 'status', operator: 'less_than', value: 'closed' },
      { field: 'updated_at', operator: 'less_than', value: String(RECENTLY_UPDATED_HOURS) },
    ],
    output: { columns: ['status', 'description', 'requester', 'updated', 'assignee'], sort_by: 'updated' },
  },
  {
    title: 'Pending tickets',
    all: [{ field: 'status', operator: 'is', value: 'pending' }],
    output: { columns: QUEUE_COLUMNS, sort_by: 'updated' },
  },
  {
    title: 'Recently solved tickets',
    // Closed ones too: the default automation closes solved tickets after 96 hours, within the week.
    all: [
      { field: 'status', operator: 'greater_than', value: 'hold' },
      { field: 'SOLVED', operator: 'less_than', value: String(RECENTLY_SOLVED_HOURS) },
    ],
    output: { columns: ['description', 'requester', 'solved', 'assignee'], sort_by: 'solved' },
  },
];

export const seedDefaultViews: SeedStep = async (context) => {
  // One at a time: each new view takes the next position.
  for (const view of defaultViews(context)) await createView(view, context.now, { seeded: true });
};
