/**
 * The macros a new account starts with: escalation from tier to tier (the ticket moves to the next
 * tier's queue, unassigned, with an internal note saying who escalated it) and Zendesk's sample
 * "Close and redirect to topics". Shared with every agent; admins edit or deactivate them.
 */
import type { MacroInput } from '../http/schemas/macro-input.ts';
import { createMacro } from '../use-cases/macros/manage-macros.ts';
import type { SeedContext, SeedStep } from './default-content.ts';

const escalation = (tier: 'Tier 2' | 'Tier 3', context: SeedContext): MacroInput => ({
  title: `Escalate to ${tier}`,
  description: `Moves the ticket to the ${tier} queue, unassigned, with an internal note for the next tier.`,
  actions: [
    { field: 'group_id', value: context.groupIds[tier] },
    // Unassigned: the current assignee is not in the next tier's group, and its agents pick from the queue.
    { field: 'assignee_id', value: '' },
    { field: 'status', value: 'open' },
    { field: 'current_tags', value: `escalated ${tier.toLowerCase().replace(' ', '_')}` },
    {
      field: 'comment_value',
      value:
        `Escalated to ${tier}: {{current_user.name}} handed this ticket on for further investigation.\n\n` +
        'Requester: {{ticket.requester.name}} <{{ticket.requester.email}}>. Add what was tried below.',
    },
    { field: 'comment_mode_is_public', value: false },
  ],
});

export const defaultMacros = (context: SeedContext): MacroInput[] => [
  escalation('Tier 2', context),
  escalation('Tier 3', context),
  {
    title: 'Close and redirect to topics',
    description: 'Solves the ticket with a public pointer to the help center for known issues.',
    actions: [
      { field: 'status', value: 'solved' },
      { field: 'assignee_id', value: 'current_user' },
      {
        field: 'comment_value',
        value:
          'Hello {{ticket.requester.first_name}},\n\nThanks for your request. The issue you reported is ' +
          'a known issue; our help center has the latest on it.\n\n{{current_user.name}}',
      },
    ],
  },
];

export const seedDefaultMacros: SeedStep = async (context) => {
  const admin = { userId: context.adminId, role: 'admin' as const, email: '' };
  for (const macro of defaultMacros(context)) await createMacro(admin, macro, context.now, { default: true });
};
