import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  checkPolicyMetrics,
  compileSlaFilter,
  type PolicyMetricInput,
  policySelector,
  type SlaPolicy,
} from '../../shared/domain/sla/sla-policy.ts';
import { ticketSnapshots } from '../../shared/domain/sla/ticket-snapshots.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

const policy = (id: number, position: number, filter: SlaPolicy['filter']): SlaPolicy => ({
  id,
  title: `P${id}`,
  description: '',
  position,
  filter,
  policy_metrics: [],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
});

describe('policy metrics', () => {
  it('defaults business_hours to false', () => {
    expect(checkPolicyMetrics([{ priority: 'urgent', metric: 'first_reply_time', target: 30 }])).toEqual([
      { priority: 'urgent', metric: 'first_reply_time', target: 30, business_hours: false },
    ]);
  });

  it.each<[string, PolicyMetricInput[], string]>([
    [
      'unknown metric',
      [{ priority: 'high', metric: 'total_resolution_time', target: 5 }],
      "unknown metric 'total_resolution_time'",
    ],
    [
      'unknown priority',
      [{ priority: 'critical', metric: 'first_reply_time', target: 5 }],
      "unknown priority 'critical'",
    ],
    [
      'zero target',
      [{ priority: 'high', metric: 'first_reply_time', target: 0 }],
      'target must be a positive whole number',
    ],
    [
      'fractional target',
      [{ priority: 'high', metric: 'first_reply_time', target: 1.5 }],
      'target must be a positive whole number',
    ],
    [
      'duplicate',
      [
        { priority: 'high', metric: 'first_reply_time', target: 5 },
        { priority: 'high', metric: 'first_reply_time', target: 9 },
      ],
      'Policy metric 2: first_reply_time for high priority is already targeted',
    ],
  ])('rejects a %s with a 422 naming it', (_case, inputs, message) => {
    const details = problemsOf(() => checkPolicyMetrics(inputs));
    expect(details.policy_metrics?.map((problem) => problem.description).join(' ')).toContain(message);
  });
});

describe('policy filters', () => {
  it('rejects trigger-only and unknown fields under `filter`', () => {
    const details = problemsOf(() =>
      compileSlaFilter({
        all: [
          { field: 'update_type', value: 'Create' },
          { field: 'nonsense', operator: 'is', value: 1 },
        ],
      }),
    );
    expect(details.filter?.map((problem) => problem.description)).toEqual([
      "Condition 1 in all: field 'update_type' is only valid in triggers",
      "Condition 2 in all: unknown field 'nonsense'",
    ]);
  });

  it('picks the first matching policy by position; an empty filter matches every ticket', () => {
    const select = policySelector([
      policy(1, 3, { all: [], any: [] }),
      policy(2, 1, { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] }),
      policy(3, 2, { all: [], any: [{ field: 'current_tags', operator: 'includes', value: 'vip' }] }),
    ]);
    const [created, tagged] = ticketSnapshots(7, [
      {
        id: 1,
        ticket_id: 7,
        author_id: 5,
        created_at: '2026-01-01T00:00:00Z',
        via: apiVia(),
        metadata: { system: {}, custom: {} },
        events: [{ id: 1, type: 'Create', field_name: 'priority', value: 'low' }],
      },
      {
        id: 2,
        ticket_id: 7,
        author_id: 5,
        created_at: '2026-01-01T00:01:00Z',
        via: apiVia(),
        metadata: { system: {}, custom: {} },
        events: [{ id: 2, type: 'Change', field_name: 'tags', value: ['vip'], previous_value: [] }],
      },
    ]);
    expect(select({ ticket: created?.ticket ?? ({} as never) })?.id).toBe(1);
    expect(select({ ticket: tagged?.ticket ?? ({} as never) })?.id).toBe(3);
  });
});
