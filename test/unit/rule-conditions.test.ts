import { describe, expect, it } from 'vitest';
import { type ConditionInput, compileCondition } from '../../shared/domain/rules/conditions.ts';
import type { RuleContext, RuleTicket } from '../../shared/domain/rules/rule-context.ts';

const ticket = (overrides: Partial<RuleTicket> = {}): RuleTicket => ({
  id: 7,
  subject: 'Refund request for my invoice',
  status: 'open',
  priority: 'normal',
  type: 'question',
  requester_id: 10,
  assignee_id: 20,
  group_id: 30,
  organization_id: 40,
  tags: ['vip', 'billing'],
  custom_fields: [
    { id: 500, value: 'enterprise plan' },
    { id: 501, value: null },
    { id: 502, value: ['red', 'blue'] },
  ],
  collaborator_ids: [],
  via: { channel: 'email', source: { from: {}, to: {}, rel: null } },
  ticket_form_id: 9,
  satisfaction_score: 'good',
  ...overrides,
});

const HOUR = 3_600_000;
const NOW = Date.parse('2026-02-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW - hours * HOUR).toISOString();

const context = (overrides: Partial<RuleContext> = {}): RuleContext => ({
  ticket: ticket(),
  previous: ticket({ status: 'new', priority: 'low', group_id: null, assignee_id: null }),
  updateType: 'Change',
  updateVia: 'api',
  comment: { body: 'Please cancel my account, thanks!', public: true },
  requester: { id: 10, role: 'end-user', user_fields: { plan: 'enterprise', region: 'EMEA' } },
  organization: { id: 40, organization_fields: { tier: 'gold', seats: 250 } },
  currentUser: { id: 20, role: 'agent' },
  reopens: 2,
  ...overrides,
});

const automationContext = (overrides: Partial<RuleContext> = {}): RuleContext => ({
  ticket: ticket({ status: 'solved' }),
  clock: {
    now: new Date(NOW).toISOString(),
    statusEnteredAt: { new: hoursAgo(200), open: hoursAgo(150), solved: hoursAgo(97) },
    created_at: hoursAgo(200),
    updated_at: hoursAgo(97),
    assigned_at: hoursAgo(120),
    requester_updated_at: hoursAgo(30),
    assignee_updated_at: null,
  },
  ...overrides,
});

type Case = [string, ConditionInput, RuleContext, boolean];

const created = context({ updateType: 'Create', previous: undefined });
const privateNote = context({ comment: { body: 'internal', public: false } });
const noComment = context({ comment: undefined });

const triggerCases: Case[] = [
  // update_type
  ['update_type Change on an update', { field: 'update_type', value: 'Change' }, context(), true],
  ['update_type Create on an update', { field: 'update_type', value: 'Create' }, context(), false],
  ['update_type Create on a create', { field: 'update_type', value: 'Create' }, created, true],
  [
    'update_type with explicit is',
    { field: 'update_type', operator: 'is', value: 'Change' },
    context(),
    true,
  ],
  // sla_breached: tickets that predate the field read false
  [
    'sla_breached is true on a breached ticket',
    { field: 'sla_breached', operator: 'is', value: 'true' },
    context({ ticket: ticket({ sla_breached: true }) }),
    true,
  ],
  [
    'sla_breached is true without the field',
    { field: 'sla_breached', operator: 'is', value: true },
    context(),
    false,
  ],
  [
    'sla_breached is false without the field',
    { field: 'sla_breached', operator: 'is', value: 'false' },
    context(),
    true,
  ],
  [
    'sla_breached changed to true by the breach audit',
    { field: 'sla_breached', operator: 'value', value: 'true' },
    context({ ticket: ticket({ sla_breached: true }), previous: ticket({ sla_breached: false }) }),
    true,
  ],
  // status
  ['status is open', { field: 'status', operator: 'is', value: 'open' }, context(), true],
  ['status is pending', { field: 'status', operator: 'is', value: 'pending' }, context(), false],
  ['status is_not solved', { field: 'status', operator: 'is_not', value: 'solved' }, context(), true],
  ['status is_not open', { field: 'status', operator: 'is_not', value: 'open' }, context(), false],
  ['status less_than solved', { field: 'status', operator: 'less_than', value: 'solved' }, context(), true],
  ['status less_than open', { field: 'status', operator: 'less_than', value: 'open' }, context(), false],
  ['status greater_than new', { field: 'status', operator: 'greater_than', value: 'new' }, context(), true],
  [
    'status greater_than open',
    { field: 'status', operator: 'greater_than', value: 'open' },
    context(),
    false,
  ],
  ['status changed', { field: 'status', operator: 'changed' }, context(), true],
  ['status not_changed', { field: 'status', operator: 'not_changed' }, context(), false],
  ['status changed to open', { field: 'status', operator: 'value', value: 'open' }, context(), true],
  ['status changed to solved', { field: 'status', operator: 'value', value: 'solved' }, context(), false],
  ['status changed from new', { field: 'status', operator: 'value_previous', value: 'new' }, context(), true],
  [
    'status changed from open',
    { field: 'status', operator: 'value_previous', value: 'open' },
    context(),
    false,
  ],
  ['status not changed to open', { field: 'status', operator: 'not_value', value: 'open' }, context(), false],
  [
    'status not changed to solved',
    { field: 'status', operator: 'not_value', value: 'solved' },
    context(),
    true,
  ],
  [
    'status not changed from new',
    { field: 'status', operator: 'not_value_previous', value: 'new' },
    context(),
    false,
  ],
  [
    'status not changed from pending',
    { field: 'status', operator: 'not_value_previous', value: 'pending' },
    context(),
    true,
  ],
  ['status changed on create (from nothing)', { field: 'status', operator: 'changed' }, created, true],
  // priority
  ['priority is normal', { field: 'priority', operator: 'is', value: 'normal' }, context(), true],
  ['priority is high', { field: 'priority', operator: 'is', value: 'high' }, context(), false],
  ['priority less_than high', { field: 'priority', operator: 'less_than', value: 'high' }, context(), true],
  [
    'priority less_than normal',
    { field: 'priority', operator: 'less_than', value: 'normal' },
    context(),
    false,
  ],
  [
    'priority greater_than low',
    { field: 'priority', operator: 'greater_than', value: 'low' },
    context(),
    true,
  ],
  [
    'priority greater_than urgent',
    { field: 'priority', operator: 'greater_than', value: 'urgent' },
    context(),
    false,
  ],
  [
    'no priority is less than low',
    { field: 'priority', operator: 'less_than', value: 'low' },
    context({ ticket: ticket({ priority: null }) }),
    true,
  ],
  [
    'priority is none',
    { field: 'priority', operator: 'is', value: '' },
    context({ ticket: ticket({ priority: null }) }),
    true,
  ],
  [
    'priority changed from low',
    { field: 'priority', operator: 'value_previous', value: 'low' },
    context(),
    true,
  ],
  ['priority changed to normal', { field: 'priority', operator: 'value', value: 'normal' }, context(), true],
  // type
  ['type is question', { field: 'type', operator: 'is', value: 'question' }, context(), true],
  ['type is incident', { field: 'type', operator: 'is', value: 'incident' }, context(), false],
  ['type is_not task', { field: 'type', operator: 'is_not', value: 'task' }, context(), true],
  ['type not_changed', { field: 'type', operator: 'not_changed' }, context(), true],
  [
    'type is none',
    { field: 'type', operator: 'is', value: '' },
    context({ ticket: ticket({ type: null }) }),
    true,
  ],
  // references
  ['group_id is 30', { field: 'group_id', operator: 'is', value: 30 }, context(), true],
  ['group_id is "30"', { field: 'group_id', operator: 'is', value: '30' }, context(), true],
  ['group_id is 31', { field: 'group_id', operator: 'is', value: 31 }, context(), false],
  ['group_id is none', { field: 'group_id', operator: 'is', value: '' }, context(), false],
  [
    'group_id is none when ungrouped',
    { field: 'group_id', operator: 'is', value: '' },
    context({ ticket: ticket({ group_id: null }) }),
    true,
  ],
  ['group_id is_not none', { field: 'group_id', operator: 'is_not', value: '' }, context(), true],
  ['group_id changed', { field: 'group_id', operator: 'changed' }, context(), true],
  ['group_id changed to 30', { field: 'group_id', operator: 'value', value: '30' }, context(), true],
  [
    'group_id changed from none',
    { field: 'group_id', operator: 'value_previous', value: '' },
    context(),
    true,
  ],
  [
    'assignee_id is current_user',
    { field: 'assignee_id', operator: 'is', value: 'current_user' },
    context(),
    true,
  ],
  [
    'assignee_id is current_user (someone else)',
    { field: 'assignee_id', operator: 'is', value: 'current_user' },
    context({ currentUser: { id: 99, role: 'agent' } }),
    false,
  ],
  [
    'assignee_id is current_user with no updater',
    { field: 'assignee_id', operator: 'is', value: 'current_user' },
    context({ currentUser: undefined }),
    false,
  ],
  [
    'assignee_id is_not current_user',
    { field: 'assignee_id', operator: 'is_not', value: 'current_user' },
    context(),
    false,
  ],
  ['assignee_id is 20', { field: 'assignee_id', operator: 'is', value: 20 }, context(), true],
  [
    'assignee_id changed from none',
    { field: 'assignee_id', operator: 'value_previous', value: '' },
    context(),
    true,
  ],
  ['assignee_id not_changed', { field: 'assignee_id', operator: 'not_changed' }, context(), false],
  ['requester_id is 10', { field: 'requester_id', operator: 'is', value: '10' }, context(), true],
  ['requester_id is_not 10', { field: 'requester_id', operator: 'is_not', value: 10 }, context(), false],
  ['requester_id not_changed', { field: 'requester_id', operator: 'not_changed' }, context(), true],
  [
    'requester_id is current_user',
    { field: 'requester_id', operator: 'is', value: 'current_user' },
    context({ currentUser: { id: 10, role: 'end-user' } }),
    true,
  ],
  ['organization_id is 40', { field: 'organization_id', operator: 'is', value: 40 }, context(), true],
  [
    'organization_id is none',
    { field: 'organization_id', operator: 'is', value: '' },
    context({ ticket: ticket({ organization_id: null }) }),
    true,
  ],
  ['organization_id is_not 41', { field: 'organization_id', operator: 'is_not', value: 41 }, context(), true],
  // via
  ['via_id is mail (email channel)', { field: 'via_id', operator: 'is', value: 4 }, context(), true],
  ['via_id is web_service', { field: 'via_id', operator: 'is', value: '5' }, context(), false],
  [
    'via_id is web_service (api channel)',
    { field: 'via_id', operator: 'is', value: 5 },
    context({ ticket: ticket({ via: { channel: 'api', source: { from: {}, to: {}, rel: null } } }) }),
    true,
  ],
  [
    'via_id is web_form (web channel)',
    { field: 'via_id', operator: 'is', value: 0 },
    context({ ticket: ticket({ via: { channel: 'web', source: { from: {}, to: {}, rel: null } } }) }),
    true,
  ],
  ['via_id is_not mail', { field: 'via_id', operator: 'is_not', value: 4 }, context(), false],
  ['current_via_id is web_service', { field: 'current_via_id', operator: 'is', value: 5 }, context(), true],
  [
    'current_via_id is rule',
    { field: 'current_via_id', operator: 'is', value: 8 },
    context({ updateVia: 'rule' }),
    true,
  ],
  // tags
  ['tags includes vip', { field: 'current_tags', operator: 'includes', value: 'vip' }, context(), true],
  [
    'tags includes one of several',
    { field: 'current_tags', operator: 'includes', value: 'urgent billing' },
    context(),
    true,
  ],
  [
    'tags includes none listed',
    { field: 'current_tags', operator: 'includes', value: 'urgent spam' },
    context(),
    false,
  ],
  [
    'tags includes is case-insensitive',
    { field: 'current_tags', operator: 'includes', value: 'VIP' },
    context(),
    true,
  ],
  [
    'tags not_includes spam',
    { field: 'current_tags', operator: 'not_includes', value: 'spam' },
    context(),
    true,
  ],
  [
    'tags not_includes when one is present',
    { field: 'current_tags', operator: 'not_includes', value: 'spam vip' },
    context(),
    false,
  ],
  [
    'tags includes from a list value',
    { field: 'current_tags', operator: 'includes', value: ['billing'] },
    context(),
    true,
  ],
  // words
  [
    'subject includes word refund',
    { field: 'subject_includes_word', operator: 'includes', value: 'refund' },
    context(),
    true,
  ],
  [
    'subject includes word, case-insensitive',
    { field: 'subject_includes_word', operator: 'includes', value: 'INVOICE' },
    context(),
    true,
  ],
  [
    'subject includes whole words only',
    { field: 'subject_includes_word', operator: 'includes', value: 'fund' },
    context(),
    false,
  ],
  [
    'subject not_includes word',
    { field: 'subject_includes_word', operator: 'not_includes', value: 'outage' },
    context(),
    true,
  ],
  [
    'subject with no subject',
    { field: 'subject_includes_word', operator: 'includes', value: 'refund' },
    context({ ticket: ticket({ subject: null }) }),
    false,
  ],
  [
    'comment includes any of the words',
    { field: 'comment_includes_word', operator: 'includes', value: 'delete cancel' },
    context(),
    true,
  ],
  [
    'comment includes ignores punctuation',
    { field: 'comment_includes_word', operator: 'includes', value: 'thanks' },
    context(),
    true,
  ],
  [
    'comment includes whole words only',
    { field: 'comment_includes_word', operator: 'includes', value: 'cancell' },
    context(),
    false,
  ],
  [
    'comment not_includes when present',
    { field: 'comment_includes_word', operator: 'not_includes', value: 'account' },
    context(),
    false,
  ],
  [
    'comment includes with no comment',
    { field: 'comment_includes_word', operator: 'includes', value: 'cancel' },
    noComment,
    false,
  ],
  // comment visibility
  ['comment is public', { field: 'comment_is_public', operator: 'is', value: 'true' }, context(), true],
  [
    'comment is public (boolean)',
    { field: 'comment_is_public', operator: 'is', value: true },
    context(),
    true,
  ],
  [
    'comment is private on a public comment',
    { field: 'comment_is_public', operator: 'is', value: false },
    context(),
    false,
  ],
  [
    'comment is private on a note',
    { field: 'comment_is_public', operator: 'is', value: 'false' },
    privateNote,
    true,
  ],
  [
    'comment is public with no comment',
    { field: 'comment_is_public', operator: 'is', value: true },
    noComment,
    false,
  ],
  [
    'comment not_relevant',
    { field: 'comment_is_public', operator: 'is', value: 'not_relevant' },
    noComment,
    true,
  ],
  // requester role
  [
    'requester_role is end-user',
    { field: 'requester_role', operator: 'is', value: 'end-user' },
    context(),
    true,
  ],
  ['requester_role is agent', { field: 'requester_role', operator: 'is', value: 'agent' }, context(), false],
  [
    'requester_role is_not admin',
    { field: 'requester_role', operator: 'is_not', value: 'admin' },
    context(),
    true,
  ],
  // user and organization custom fields
  [
    'user plan is enterprise',
    { field: 'user.custom_fields_plan', operator: 'is', value: 'enterprise' },
    context(),
    true,
  ],
  [
    'user plan is_not enterprise',
    { field: 'user.custom_fields_plan', operator: 'is_not', value: 'enterprise' },
    context(),
    false,
  ],
  ['user plan present', { field: 'user.custom_fields_plan', operator: 'present' }, context(), true],
  [
    'user industry not_present',
    { field: 'user.custom_fields_industry', operator: 'not_present' },
    context(),
    true,
  ],
  [
    'user region includes text',
    { field: 'user.custom_fields_region', operator: 'includes', value: 'em' },
    context(),
    true,
  ],
  [
    'user field with no requester',
    { field: 'user.custom_fields_plan', operator: 'present' },
    context({ requester: undefined }),
    false,
  ],
  [
    'organization tier is gold',
    { field: 'organization.custom_fields_tier', operator: 'is', value: 'gold' },
    context(),
    true,
  ],
  [
    'organization seats is 250 (number)',
    { field: 'organization.custom_fields_seats', operator: 'is', value: '250' },
    context(),
    true,
  ],
  [
    'organization tier is_not silver',
    { field: 'organization.custom_fields_tier', operator: 'is_not', value: 'silver' },
    context(),
    true,
  ],
  [
    'organization tier not_present',
    { field: 'organization.custom_fields_tier', operator: 'not_present' },
    context(),
    false,
  ],
  // ticket custom fields
  [
    'ticket field is',
    { field: 'custom_fields_500', operator: 'is', value: 'enterprise plan' },
    context(),
    true,
  ],
  [
    'ticket field includes text',
    { field: 'custom_fields_500', operator: 'includes', value: 'PLAN' },
    context(),
    true,
  ],
  [
    'ticket field not_present when null',
    { field: 'custom_fields_501', operator: 'not_present' },
    context(),
    true,
  ],
  ['ticket field present when null', { field: 'custom_fields_501', operator: 'present' }, context(), false],
  [
    'ticket field never set is not present',
    { field: 'custom_fields_999', operator: 'present' },
    context(),
    false,
  ],
  [
    'multiselect includes option',
    { field: 'custom_fields_502', operator: 'includes', value: 'blue' },
    context(),
    true,
  ],
  [
    'multiselect does not include part of an option',
    { field: 'custom_fields_502', operator: 'includes', value: 'blu' },
    context(),
    false,
  ],
  [
    'ticket field changed',
    { field: 'custom_fields_500', operator: 'changed' },
    context({ previous: ticket({ custom_fields: [] }) }),
    true,
  ],
  // form, satisfaction, reopens
  ['ticket_form_id is 9', { field: 'ticket_form_id', operator: 'is', value: 9 }, context(), true],
  ['ticket_form_id is_not 9', { field: 'ticket_form_id', operator: 'is_not', value: '9' }, context(), false],
  ['satisfaction is good', { field: 'satisfaction_score', operator: 'is', value: 'good' }, context(), true],
  [
    'satisfaction defaults to unoffered',
    { field: 'satisfaction_score', operator: 'is', value: 'unoffered' },
    context({ ticket: ticket({ satisfaction_score: undefined }) }),
    true,
  ],
  [
    'satisfaction changed to good',
    { field: 'satisfaction_score', operator: 'value', value: 'good' },
    context({ previous: ticket({ satisfaction_score: 'offered' }) }),
    true,
  ],
  ['reopens greater_than 1', { field: 'reopens', operator: 'greater_than', value: 1 }, context(), true],
  ['reopens less_than 2', { field: 'reopens', operator: 'less_than', value: 2 }, context(), false],
  ['reopens is 2', { field: 'reopens', operator: 'is', value: '2' }, context(), true],
];

const automationCases: Case[] = [
  [
    'hours since solved greater_than 96',
    { field: 'SOLVED', operator: 'greater_than', value: 96 },
    automationContext(),
    true,
  ],
  [
    'hours since solved less_than 96',
    { field: 'SOLVED', operator: 'less_than', value: 96 },
    automationContext(),
    false,
  ],
  ['hours since solved is 97', { field: 'SOLVED', operator: 'is', value: '97' }, automationContext(), true],
  [
    'hours_since_solved alias',
    { field: 'hours_since_solved', operator: 'greater_than', value: 96 },
    automationContext(),
    true,
  ],
  ['hours since created is 200', { field: 'NEW', operator: 'is', value: 200 }, automationContext(), true],
  [
    'hours_since_created alias',
    { field: 'hours_since_created', operator: 'greater_than', value: 199 },
    automationContext(),
    true,
  ],
  [
    'hours since open less_than 151',
    { field: 'OPEN', operator: 'less_than', value: 151 },
    automationContext(),
    true,
  ],
  [
    'hours since pending: never pending',
    { field: 'PENDING', operator: 'greater_than', value: 0 },
    automationContext(),
    false,
  ],
  [
    'hours since update',
    { field: 'updated_at', operator: 'greater_than', value: 72 },
    automationContext(),
    true,
  ],
  [
    'hours_since_update alias',
    { field: 'hours_since_update', operator: 'less_than', value: 72 },
    automationContext(),
    false,
  ],
  ['hours since assigned', { field: 'assigned_at', operator: 'is', value: 120 }, automationContext(), true],
  [
    'hours since requester update',
    { field: 'requester_updated_at', operator: 'less_than', value: 48 },
    automationContext(),
    true,
  ],
  [
    'hours since assignee update, never updated',
    { field: 'assignee_updated_at', operator: 'greater_than', value: 1 },
    automationContext(),
    false,
  ],
  [
    'hours_since_agent_update alias',
    { field: 'hours_since_agent_update', operator: 'less_than', value: 1000 },
    automationContext(),
    false,
  ],
  [
    'status is solved in an automation',
    { field: 'status', operator: 'is', value: 'solved' },
    automationContext(),
    true,
  ],
  [
    'hours with no clock',
    { field: 'SOLVED', operator: 'greater_than', value: 1 },
    { ticket: ticket() },
    false,
  ],
];

describe('trigger conditions', () => {
  it.each(triggerCases)('%s', (_name, input, ruleContext, expected) => {
    const compiled = compileCondition(input, 'trigger', false);
    if (!compiled.ok) throw new Error(compiled.problem);
    expect(compiled.test(ruleContext)).toBe(expected);
  });
});

describe('automation conditions', () => {
  it.each(automationCases)('%s', (_name, input, ruleContext, expected) => {
    const compiled = compileCondition(input, 'automation', false);
    if (!compiled.ok) throw new Error(compiled.problem);
    expect(compiled.test(ruleContext)).toBe(expected);
  });
});

describe('invalid conditions', () => {
  it.each<[string, ConditionInput, 'trigger' | 'automation', boolean, string]>([
    ['an unknown field', { field: 'foo', operator: 'is', value: 1 }, 'trigger', false, "unknown field 'foo'"],
    [
      'an unknown operator',
      { field: 'status', operator: 'contains', value: 'open' },
      'trigger',
      false,
      "unknown operator 'contains'",
    ],
    [
      'an operator the field does not take',
      { field: 'type', operator: 'less_than', value: 'task' },
      'trigger',
      false,
      "operator 'less_than' is not valid for field 'type'",
    ],
    [
      'a change operator in an automation',
      { field: 'status', operator: 'changed' },
      'automation',
      false,
      "operator 'changed' is only valid in triggers",
    ],
    [
      'a breach flag that is no boolean',
      { field: 'sla_breached', operator: 'is', value: 'yes' },
      'trigger',
      false,
      "invalid value '\"yes\"' for field 'sla_breached'",
    ],
    [
      'an unknown status',
      { field: 'status', operator: 'is', value: 'archived' },
      'trigger',
      false,
      "invalid value '\"archived\"' for field 'status'",
    ],
    [
      'an ordered test for no priority',
      { field: 'priority', operator: 'less_than', value: '' },
      'trigger',
      false,
      "invalid value '\"\"' for field 'priority'",
    ],
    [
      'a non-numeric id',
      { field: 'group_id', operator: 'is', value: 'tier-2' },
      'trigger',
      false,
      "invalid value '\"tier-2\"' for field 'group_id'",
    ],
    [
      'an unknown via id',
      { field: 'via_id', operator: 'is', value: 999 },
      'trigger',
      false,
      "invalid value '999' for field 'via_id'",
    ],
    [
      'an empty tag list',
      { field: 'current_tags', operator: 'includes', value: '  ' },
      'trigger',
      false,
      "invalid value '\"  \"' for field 'current_tags'",
    ],
    [
      'a missing operator',
      { field: 'status', value: 'open' },
      'trigger',
      false,
      "field 'status' needs an operator",
    ],
    [
      'an update_type outside triggers',
      { field: 'update_type', value: 'Create' },
      'automation',
      false,
      "field 'update_type' is only valid in triggers",
    ],
    [
      'a time condition in a trigger',
      { field: 'SOLVED', operator: 'greater_than', value: 1 },
      'trigger',
      false,
      "field 'SOLVED' is only valid in automations and views",
    ],
    [
      'a time condition in any',
      { field: 'SOLVED', operator: 'greater_than', value: 1 },
      'automation',
      true,
      "field 'SOLVED' is only valid in 'all'",
    ],
    [
      'negative hours',
      { field: 'SOLVED', operator: 'greater_than', value: -1 },
      'automation',
      false,
      "invalid value '-1' for field 'SOLVED'",
    ],
    [
      'an unknown role',
      { field: 'requester_role', operator: 'is', value: 'owner' },
      'trigger',
      false,
      "invalid value '\"owner\"' for field 'requester_role'",
    ],
  ])('rejects %s', (_name, input, kind, inAny, problem) => {
    const compiled = compileCondition(input, kind, inAny);
    expect(compiled).toEqual({ ok: false, problem });
  });
});
