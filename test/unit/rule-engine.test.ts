import { describe, expect, it } from 'vitest';
import { automationProblems, runAutomation } from '../../shared/domain/rules/automation-rules.ts';
import {
  type CompiledRule,
  compileRule,
  type RuleDefinitionInput,
} from '../../shared/domain/rules/compile-rule.ts';
import type { RuleContext, RuleTicket } from '../../shared/domain/rules/rule-context.ts';
import { renderRuleText, ruleTextProblem } from '../../shared/domain/rules/rule-text.ts';
import { type ActiveTrigger, runTriggerCycle } from '../../shared/domain/rules/trigger-cycle.ts';

const ticket = (overrides: Partial<RuleTicket> = {}): RuleTicket => ({
  id: 7,
  subject: 'Printer on fire',
  status: 'new',
  priority: null,
  type: null,
  requester_id: 10,
  assignee_id: null,
  group_id: null,
  organization_id: null,
  tags: ['printer'],
  custom_fields: [],
  collaborator_ids: [],
  via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
  ...overrides,
});

const created = (overrides: Partial<RuleTicket> = {}): RuleContext => ({
  ticket: ticket(overrides),
  updateType: 'Create',
  updateVia: 'api',
  currentUser: { id: 20, role: 'agent' },
  comment: { body: 'It is on fire', public: true },
});

const compile = (input: RuleDefinitionInput, kind: 'trigger' | 'automation' = 'trigger'): CompiledRule => {
  const compiled = compileRule(input, kind);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.rule;
};

let nextId = 1;
const trigger = (
  title: string,
  all: RuleDefinitionInput['conditions']['all'],
  actions: RuleDefinitionInput['actions'],
  position = nextId,
): ActiveTrigger => ({ id: nextId++, title, position, rule: compile({ conditions: { all }, actions }) });

describe('applying actions', () => {
  it('sets fields, tags and custom fields, adds comments and reports side effects as data', () => {
    const rule = trigger(
      'Everything',
      [{ field: 'update_type', value: 'Create' }],
      [
        { field: 'status', value: 'open' },
        { field: 'priority', value: 'high' },
        { field: 'type', value: 'incident' },
        { field: 'group_id', value: '30' },
        { field: 'assignee_id', value: 'current_user' },
        { field: 'current_tags', value: 'urgent vip' },
        { field: 'remove_tags', value: 'printer' },
        { field: 'custom_fields_500', value: 'gold' },
        { field: 'comment_value', value: 'We are on it, {{ticket.requester.first_name}}' },
        { field: 'comment_mode_is_public', value: 'false' },
        { field: 'cc', value: 'Boss@Example.com' },
        { field: 'cc', value: 77 },
        { field: 'satisfaction_score', value: 'offered' },
        { field: 'notification_user', value: ['requester_id', 'Re: {{ticket.title}}', 'Hello'] },
        { field: 'notification_group', value: ['group_id', 'New ticket', 'Look'] },
        { field: 'notification_webhook', value: ['01HWEBHOOK', '{"id": {{ticket.id}}}'] },
      ],
    );
    const result = runTriggerCycle([rule], created());
    expect(result.changes).toEqual({
      status: 'open',
      priority: 'high',
      type: 'incident',
      group_id: 30,
      assignee_id: 20,
      tags: ['urgent', 'vip'],
      custom_fields: [{ id: 500, value: 'gold' }],
      satisfaction_score: 'offered',
    });
    expect(result.comments).toEqual([
      { body: 'We are on it, {{ticket.requester.first_name}}', public: false },
    ]);
    expect(result.ccs).toEqual(['boss@example.com', 77]);
    expect(result.sideEffects.map(({ effect }) => effect)).toEqual([
      {
        type: 'notification_user',
        recipient: 'requester_id',
        subject: 'Re: {{ticket.title}}',
        body: 'Hello',
      },
      { type: 'notification_group', group: 'group_id', subject: 'New ticket', body: 'Look' },
      { type: 'notification_webhook', webhook_id: '01HWEBHOOK', body: '{"id": {{ticket.id}}}' },
    ]);
    // Each names the trigger that asked for it: its audit event is attributed to that trigger.
    expect(result.sideEffects.map(({ rule }) => rule.title)).toEqual([
      'Everything',
      'Everything',
      'Everything',
    ]);
  });

  it('replaces tags with set_tags, clears a field with "" and never mutates the input ticket', () => {
    const context = created({ priority: 'low', group_id: 5, tags: ['a', 'b'] });
    const rule = trigger(
      'Reset',
      [{ field: 'update_type', value: 'Create' }],
      [
        { field: 'set_tags', value: ['c', 'D'] },
        { field: 'priority', value: '' },
        { field: 'group_id', value: '' },
        { field: 'comment_value_html', value: '<p>Hi</p>' },
      ],
    );
    const result = runTriggerCycle([rule], context);
    expect(result.changes).toEqual({ tags: ['c', 'd'], priority: null, group_id: null });
    expect(result.comments).toEqual([{ html_body: '<p>Hi</p>', public: true }]);
    expect(context.ticket.tags).toEqual(['a', 'b']);
  });

  it('reports no change when a later trigger sets a field back', () => {
    const up = trigger(
      'Up',
      [{ field: 'status', operator: 'is', value: 'new' }],
      [{ field: 'priority', value: 'high' }],
      1,
    );
    const down = trigger(
      'Down',
      [{ field: 'priority', operator: 'is', value: 'high' }],
      [{ field: 'priority', value: '' }],
      2,
    );
    const result = runTriggerCycle([up, down], created());
    expect(result.changes).toEqual({});
    expect(result.fired.map((fired) => fired.title)).toEqual(['Up', 'Down']);
  });
});

describe('the trigger cycle', () => {
  it('runs triggers in position order, not list order', () => {
    const second = trigger(
      'Second',
      [{ field: 'status', operator: 'is', value: 'new' }],
      [{ field: 'current_tags', value: 'two' }],
      2,
    );
    const first = trigger(
      'First',
      [{ field: 'status', operator: 'is', value: 'new' }],
      [{ field: 'current_tags', value: 'one' }],
      1,
    );
    const result = runTriggerCycle([second, first], created());
    expect(result.fired.map((fired) => fired.title)).toEqual(['First', 'Second']);
    expect(result.changes.tags).toEqual(['printer', 'one', 'two']);
  });

  it('restarts from the first trigger after one fires, so an earlier trigger sees a later change', () => {
    const escalate = trigger(
      'Escalate VIP',
      [{ field: 'current_tags', operator: 'includes', value: 'vip' }],
      [{ field: 'priority', value: 'urgent' }],
      1,
    );
    const tagVip = trigger(
      'Tag VIP',
      [{ field: 'subject_includes_word', operator: 'includes', value: 'fire' }],
      [{ field: 'current_tags', value: 'vip' }],
      2,
    );
    const result = runTriggerCycle([escalate, tagVip], created());
    expect(result.fired.map((fired) => fired.title)).toEqual(['Tag VIP', 'Escalate VIP']);
    expect(result.changes).toEqual({ tags: ['printer', 'vip'], priority: 'urgent' });
  });

  it('fires each trigger at most once even when its conditions still hold', () => {
    const notify = trigger(
      'Notify',
      [{ field: 'update_type', value: 'Create' }],
      [{ field: 'notification_user', value: ['assignee_id', 'New', 'Body'] }],
    );
    const result = runTriggerCycle([notify], created());
    expect(result.fired).toHaveLength(1);
    expect(result.sideEffects).toHaveLength(1);
  });

  it('terminates when triggers flip each other back and forth', () => {
    const toOpen = trigger(
      'To open',
      [{ field: 'status', operator: 'is_not', value: 'open' }],
      [{ field: 'status', value: 'open' }],
      1,
    );
    const toPending = trigger(
      'To pending',
      [{ field: 'status', operator: 'is', value: 'open' }],
      [{ field: 'status', value: 'pending' }],
      2,
    );
    const result = runTriggerCycle([toOpen, toPending], created());
    expect(result.fired.map((fired) => fired.title)).toEqual(['To open', 'To pending']);
    expect(result.changes.status).toBe('pending');
  });

  it('ends with no firing when nothing matches, and fires nothing twice with 200 always-true triggers', () => {
    expect(
      runTriggerCycle(
        [
          trigger(
            'Never',
            [{ field: 'status', operator: 'is', value: 'closed' }],
            [{ field: 'status', value: 'open' }],
          ),
        ],
        created(),
      ).fired,
    ).toEqual([]);
    const many = Array.from({ length: 200 }, (_, index) =>
      trigger(
        `Tag ${index}`,
        [{ field: 'status', operator: 'is_not', value: 'closed' }],
        [{ field: 'current_tags', value: `t${index}` }],
      ),
    );
    const result = runTriggerCycle(many, created());
    expect(result.fired).toHaveLength(200);
    expect(new Set(result.fired.map((fired) => fired.id)).size).toBe(200);
  });

  it('evaluates change operators against the ticket before the update', () => {
    const onAssign = trigger(
      'Assigned',
      [{ field: 'assignee_id', operator: 'changed' }],
      [{ field: 'current_tags', value: 'assigned' }],
      2,
    );
    const assign = trigger(
      'Assign',
      [{ field: 'update_type', value: 'Change' }],
      [{ field: 'assignee_id', value: 20 }],
      1,
    );
    const context: RuleContext = { ...created(), updateType: 'Change', previous: ticket() };
    expect(runTriggerCycle([onAssign, assign], context).fired.map((fired) => fired.title)).toEqual([
      'Assign',
      'Assigned',
    ]);
  });
});

const automation = (input: RuleDefinitionInput) => {
  const compiled = compileRule(input, 'automation');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return {
    rule: compiled.rule,
    problems: automationProblems(compiled.rule).map((problem) => problem.description),
  };
};

describe('automations', () => {
  const closeSolved: RuleDefinitionInput = {
    conditions: {
      all: [
        { field: 'status', operator: 'is', value: 'solved' },
        { field: 'SOLVED', operator: 'greater_than', value: 96 },
      ],
    },
    actions: [{ field: 'status', value: 'closed' }],
  };

  it.each<[string, RuleDefinitionInput]>([
    ['close solved after 96 h (status nullified)', closeSolved],
    [
      'remind pending once (tag added that the conditions exclude)',
      {
        conditions: {
          all: [
            { field: 'status', operator: 'is', value: 'pending' },
            { field: 'hours_since_pending', operator: 'greater_than', value: 72 },
            { field: 'current_tags', operator: 'not_includes', value: 'reminded' },
          ],
        },
        actions: [
          { field: 'current_tags', value: 'reminded' },
          { field: 'notification_user', value: ['requester_id', 'Still there?', 'Reply to keep it open'] },
        ],
      },
    ],
    [
      'solve pending after a reminder (status less_than solved nullified)',
      {
        conditions: {
          all: [
            { field: 'status', operator: 'less_than', value: 'solved' },
            { field: 'PENDING', operator: 'greater_than', value: 240 },
            { field: 'current_tags', operator: 'includes', value: 'reminded' },
          ],
        },
        actions: [{ field: 'status', value: 'solved' }],
      },
    ],
    [
      'tag removal nullifies an includes condition',
      {
        conditions: {
          all: [
            { field: 'type', operator: 'is', value: 'task' },
            { field: 'updated_at', operator: 'greater_than', value: 24 },
            { field: 'current_tags', operator: 'includes', value: 'chase' },
          ],
        },
        actions: [{ field: 'remove_tags', value: 'chase' }],
      },
    ],
    [
      'an hours `is` condition is true only once',
      {
        conditions: {
          all: [
            { field: 'status', operator: 'is', value: 'open' },
            { field: 'OPEN', operator: 'is', value: 48 },
          ],
        },
        actions: [{ field: 'notification_group', value: ['all', 'Stale', 'Open for 2 days'] }],
      },
    ],
  ])('accepts %s', (_name, input) => {
    expect(automation(input).problems).toEqual([]);
  });

  it.each<[string, RuleDefinitionInput, string]>([
    [
      'actions that leave the conditions true',
      {
        conditions: {
          all: [
            { field: 'status', operator: 'is', value: 'pending' },
            { field: 'PENDING', operator: 'greater_than', value: 72 },
          ],
        },
        actions: [{ field: 'notification_user', value: ['requester_id', 'Hi', 'Still pending'] }],
      },
      'must contain a condition that its actions nullify',
    ],
    [
      'a status change that keeps the condition true',
      {
        conditions: {
          all: [
            { field: 'status', operator: 'less_than', value: 'solved' },
            { field: 'OPEN', operator: 'greater_than', value: 10 },
          ],
        },
        actions: [{ field: 'status', value: 'pending' }],
      },
      'must contain a condition that its actions nullify',
    ],
    [
      'no time condition',
      {
        conditions: { all: [{ field: 'status', operator: 'is', value: 'solved' }] },
        actions: [{ field: 'status', value: 'closed' }],
      },
      "'all' must contain a time-based condition",
    ],
    [
      'no status, type, group, assignee or requester condition',
      {
        conditions: {
          all: [
            { field: 'priority', operator: 'is', value: 'low' },
            { field: 'NEW', operator: 'greater_than', value: 5 },
          ],
        },
        actions: [{ field: 'priority', value: 'normal' }],
      },
      "'all' must contain a condition on status, type, group, assignee or requester",
    ],
  ])('rejects %s', (_name, input, problem) => {
    expect(automation(input).problems.join('\n')).toContain(problem);
  });

  const solvedContext = (hours: number, status: RuleTicket['status'] = 'solved'): RuleContext => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    return {
      ticket: ticket({ status }),
      clock: {
        now: new Date(now).toISOString(),
        statusEnteredAt: { solved: new Date(now - hours * 3_600_000).toISOString() },
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      },
    };
  };

  it('closes a ticket solved for more than 96 hours by the injected clock, and only then', () => {
    const { rule } = automation(closeSolved);
    expect(runAutomation(rule, solvedContext(95))).toBeUndefined();
    expect(runAutomation(rule, solvedContext(97))?.changes).toEqual({ status: 'closed' });
  });

  it('never touches a closed ticket', () => {
    const { rule } = automation({
      conditions: {
        all: [
          { field: 'status', operator: 'is_not', value: 'open' },
          { field: 'NEW', operator: 'greater_than', value: 1 },
        ],
      },
      actions: [{ field: 'status', value: 'open' }],
    });
    expect(runAutomation(rule, solvedContext(200, 'closed'))).toBeUndefined();
  });
});

describe('save-time validation of rule definitions', () => {
  it('names every problem in conditions and actions', () => {
    const compiled = compileRule(
      {
        conditions: {
          all: [
            { field: 'status', operator: 'is', value: 'open' },
            { field: 'foo', operator: 'is', value: 1 },
          ],
          any: [{ field: 'priority', operator: 'bogus', value: 'high' }],
        },
        actions: [
          { field: 'status', value: 'done' },
          { field: 'teleport', value: 1 },
          { field: 'notification_user', value: ['requester_id', 'Hi {{ ticket.id', 'Body'] },
          { field: 'comment_value', value: '{% if x %}never closed' },
          { field: 'notification_user', value: ['nobody', 'Hi', 'Body'] },
        ],
      },
      'trigger',
    );
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems.conditions.map((problem) => problem.description)).toEqual([
      "Condition 2 in all: unknown field 'foo'",
      "Condition 1 in any: unknown operator 'bogus'",
    ]);
    const actions = compiled.problems.actions.map((problem) => problem.description);
    expect(actions[0]).toBe(`Action 1: invalid value '"done"' for action 'status'`);
    expect(actions[1]).toBe("Action 2: unknown action 'teleport'");
    expect(actions[2]).toMatch(
      /^Action 3: Subject of action 'notification_user' is not a valid Liquid template/,
    );
    expect(actions[3]).toMatch(/^Action 4: Text of action 'comment_value' is not a valid Liquid template/);
    expect(actions[4]).toBe("Action 5: unknown recipient for action 'notification_user'");
  });

  it('requires at least one condition and one action', () => {
    const compiled = compileRule({ conditions: { all: [], any: null }, actions: [] }, 'trigger');
    expect(compiled.ok).toBe(false);
  });
});

describe('Liquid rule texts', () => {
  it.each([
    ['Ticket #{{ticket.id}}: {{ticket.title}}', undefined],
    ['{% if ticket.status == "open" %}open{% endif %}', undefined],
    ['{{ ticket.title | upcase }}', undefined],
  ])('parses %s', (template, problem) => {
    expect(ruleTextProblem(template)).toBe(problem);
  });

  it.each(['{{ ticket.title', '{% if x %}', '{{ x | no_such_filter }}', '{% endfor %}'])(
    'rejects %s',
    (template) => {
      expect(ruleTextProblem(template)).toEqual(expect.any(String));
    },
  );

  it('escapes user content in HTML output and substitutes it only once', () => {
    const data = { ticket: { title: '<img src=x onerror=alert(1)> {{ ticket.id }}', id: 7 } };
    expect(renderRuleText('<p>{{ ticket.title }}</p>', data, 'html')).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; {{ ticket.id }}</p>',
    );
    expect(renderRuleText('{{ ticket.title }}', data)).toBe('<img src=x onerror=alert(1)> {{ ticket.id }}');
  });

  it('renders unknown placeholders empty and reads no files', () => {
    expect(renderRuleText('Hi {{ requester.nickname }}!', {})).toBe('Hi !');
    expect(() => renderRuleText('{% include "/etc/passwd" %}', {})).toThrow();
  });
});
