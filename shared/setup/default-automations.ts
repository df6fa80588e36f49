/**
 * The automations a new account starts with, as Zendesk seeds its defaults: solved tickets close
 * after four days, and a pending request gets one reminder after three days and is solved a week
 * after that if the requester stays silent. Admins edit or deactivate them like any other.
 */
import type { RuleDefinitionInput } from '../domain/rules/compile-rule.ts';
import { allocateRuleId, putRule } from '../store/rules.ts';
import { compileDefinition } from '../use-cases/rules/manage-rules.ts';
import type { SeedStep } from './default-content.ts';

interface DefaultAutomation extends RuleDefinitionInput {
  title: string;
  description: string;
}

export const DEFAULT_AUTOMATIONS: readonly DefaultAutomation[] = [
  {
    title: 'Close ticket 4 days after status is set to solved',
    description: 'Solved tickets are closed after 96 hours; a reply after that starts a follow-up.',
    conditions: {
      all: [
        { field: 'status', operator: 'is', value: 'solved' },
        { field: 'SOLVED', operator: 'greater_than', value: '96' },
      ],
    },
    actions: [{ field: 'status', value: 'closed' }],
  },
  {
    title: 'Pending notification 72 hours',
    description: 'Reminds the requester once when their request has waited on them for three days.',
    conditions: {
      all: [
        { field: 'status', operator: 'is', value: 'pending' },
        { field: 'PENDING', operator: 'is', value: '72' },
      ],
    },
    actions: [
      {
        field: 'notification_user',
        value: [
          'requester_id',
          'Waiting for your reply: {{ticket.title}}',
          'Hello {{ticket.requester.first_name}},\n\n' +
            'We are waiting for your reply on request #{{ticket.id}} "{{ticket.title}}". ' +
            'Reply to this message to continue; without a reply the request will be solved in 7 days.',
        ],
      },
    ],
  },
  {
    title: 'Solve pending tickets after 7 more days',
    description: 'Pending requests with no reply 7 days after the reminder (240 hours pending) are solved.',
    conditions: {
      all: [
        { field: 'status', operator: 'is', value: 'pending' },
        { field: 'PENDING', operator: 'greater_than', value: '240' },
      ],
    },
    actions: [{ field: 'status', value: 'solved' }],
  },
];

export const seedDefaultAutomations: SeedStep = async ({ now }) => {
  for (const [index, automation] of DEFAULT_AUTOMATIONS.entries()) {
    // The same checks an admin's save gets, fire-once rules included.
    const rule = compileDefinition(automation, 'automation');
    await putRule({
      id: await allocateRuleId('automation'),
      kind: 'automation',
      title: automation.title,
      description: automation.description,
      active: true,
      position: index + 1,
      category_id: null,
      default: true,
      conditions: rule.conditions,
      actions: rule.actions,
      created_at: now,
      updated_at: now,
      version: 1,
    });
  }
};
