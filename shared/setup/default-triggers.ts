/**
 * The triggers a new account starts with (Zendesk's defaults, editable and deactivatable like any
 * other): the acknowledgement of a new request, comment mail to the requester and CCs (also for a
 * ticket an agent opens for a customer), the assignee's
 * and the group's notifications, and an inactive example of segment routing. Comment mail exists only
 * through "Notify requester and CCs of comment update": deactivating it stops comment mail.
 */
import type { RuleDefinitionInput } from '../domain/rules/compile-rule.ts';
import type { RuleRecord } from '../domain/rules/rule-record.ts';
import { allocateRuleId, listAllRules, putRule } from '../store/rules.ts';
import { compileDefinition } from '../use-cases/rules/manage-rules.ts';
import type { SeedContext, SeedStep } from './default-content.ts';

export interface DefaultTrigger extends RuleDefinitionInput {
  title: string;
  description: string;
  active: boolean;
}

/** Zendesk's comment mail: the latest public comment, to the requester and CCs, threaded by ticket. */
const MAIL_LATEST_PUBLIC_COMMENT: RuleDefinitionInput['actions'][number] = {
  field: 'notification_user',
  value: [
    'requester_and_ccs',
    '[Ticket #{{ticket.id}}] {{ticket.title}}',
    '{{ticket.latest_public_comment}}',
  ],
};

export const defaultTriggers = (groupIds: SeedContext['groupIds']): DefaultTrigger[] => [
  {
    title: 'Notify requester of received request',
    description:
      'Acknowledges a request its requester opened. Never sent in answer to automated mail or to ' +
      'no-reply addresses, capped per address, and without the request text to unverified addresses.',
    active: true,
    conditions: {
      all: [
        { field: 'update_type', operator: 'is', value: 'Create' },
        // The requester opened it themselves: not an agent opening it on their behalf.
        { field: 'requester_id', operator: 'is', value: 'current_user' },
        { field: 'status', operator: 'is_not', value: 'solved' },
      ],
    },
    actions: [
      {
        field: 'notification_user',
        value: [
          'requester_id',
          'Request received: {{ticket.title}}',
          'Your request (#{{ticket.id}}) has been received and is being reviewed by our support staff.\n\n' +
            'To add a comment, reply to this email.',
        ],
      },
    ],
  },
  {
    title: 'Notify requester and CCs of comment update',
    description: 'Mails every public comment to the requester and CCs, threaded on the ticket.',
    active: true,
    conditions: {
      all: [
        { field: 'update_type', operator: 'is', value: 'Change' },
        { field: 'comment_is_public', operator: 'is', value: true },
      ],
    },
    actions: [MAIL_LATEST_PUBLIC_COMMENT],
  },
  {
    title: 'Notify requester of new proactive ticket',
    description: 'Mails a ticket an agent opened for a customer with a public comment to that customer.',
    active: true,
    conditions: {
      all: [
        { field: 'update_type', operator: 'is', value: 'Create' },
        { field: 'requester_id', operator: 'is_not', value: 'current_user' },
        { field: 'comment_is_public', operator: 'is', value: true },
      ],
    },
    actions: [MAIL_LATEST_PUBLIC_COMMENT],
  },
  {
    title: 'Notify assignee of assignment',
    description: 'Tells an agent a ticket was assigned to them, unless they assigned it themselves.',
    active: true,
    conditions: {
      all: [
        { field: 'assignee_id', operator: 'changed' },
        { field: 'assignee_id', operator: 'is_not', value: 'current_user' },
      ],
    },
    actions: [
      {
        field: 'notification_user',
        value: [
          'assignee_id',
          '[{{ticket.id}}] Assignment: {{ticket.title}}',
          'Ticket #{{ticket.id}} "{{ticket.title}}" has been assigned to you.\n\n' +
            'Requester: {{ticket.requester.name}}\nPriority: {{ticket.priority}}\n\n{{ticket.latest_comment}}',
        ],
      },
    ],
  },
  {
    title: 'Notify group of new unassigned ticket',
    description: "Tells the ticket's group about a new ticket nobody is assigned to.",
    active: true,
    conditions: {
      all: [
        { field: 'update_type', operator: 'is', value: 'Create' },
        { field: 'assignee_id', operator: 'is', value: '' },
      ],
    },
    actions: [
      {
        field: 'notification_group',
        value: [
          'group_id',
          '[{{ticket.id}}] New ticket in {{ticket.group.name}}: {{ticket.title}}',
          'A new ticket is waiting in {{ticket.group.name}}, unassigned.\n\n' +
            'Ticket #{{ticket.id}} from {{ticket.requester.name}}: {{ticket.title}}\n\n{{ticket.description}}',
        ],
      },
    ],
  },
  {
    title: 'VIP: enterprise organizations go to Tier 2',
    description: 'Example of segment routing (inactive): needs an organization field with the key `plan`.',
    active: false,
    conditions: {
      all: [
        { field: 'update_type', operator: 'is', value: 'Create' },
        { field: 'organization.custom_fields_plan', operator: 'is', value: 'enterprise' },
      ],
    },
    actions: [
      { field: 'priority', value: 'high' },
      { field: 'group_id', value: groupIds['Tier 2'] },
    ],
  },
];

/** Seeds the default triggers, first in execution order; a rerun of an interrupted seeding adds none twice. */
export const seedDefaultTriggers: SeedStep = async ({ groupIds, now }) => {
  const existing = new Set((await listAllRules('trigger')).map((rule) => rule.title));
  for (const [index, trigger] of defaultTriggers(groupIds).entries()) {
    if (existing.has(trigger.title)) continue;
    const compiled = compileDefinition(trigger, 'trigger');
    const record: RuleRecord = {
      id: await allocateRuleId('trigger'),
      kind: 'trigger',
      title: trigger.title,
      description: trigger.description,
      active: trigger.active,
      position: index + 1,
      category_id: null,
      default: true,
      conditions: compiled.conditions,
      actions: compiled.actions,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await putRule(record);
  }
};
