/**
 * Pure trigger-engine throughput: ticket updates run through a full trigger cycle against 200 active
 * triggers, in process, no I/O. Most triggers do not match (as in a real account); a few fire, so the
 * cycle restarts and the restart cost is in the figure.
 */
import { performance } from 'node:perf_hooks';
import { compileRule, type RuleDefinitionInput } from '../../shared/domain/rules/compile-rule.ts';
import type { RuleContext, RuleTicket } from '../../shared/domain/rules/rule-context.ts';
import { type ActiveTrigger, runTriggerCycle } from '../../shared/domain/rules/trigger-cycle.ts';

export interface RuleEngineThroughput {
  triggers: number;
  tickets: number;
  elapsedMs: number;
  ticketsPerSecond: number;
  evaluationsPerSecond: number;
  firedPerTicket: number;
}

const TRIGGERS = 200;
const TICKETS = 5_000;

const definitionOf = (index: number): RuleDefinitionInput => {
  // Every 40th trigger matches VIP tickets; the rest test tags, words and fields that rarely match.
  if (index % 40 === 0) {
    return {
      conditions: {
        all: [
          { field: 'current_tags', operator: 'includes', value: 'vip' },
          { field: 'priority', operator: 'less_than', value: 'urgent' },
        ],
      },
      actions: [
        { field: 'priority', value: 'urgent' },
        { field: 'current_tags', value: `seen_${index}` },
      ],
    };
  }
  return {
    conditions: {
      all: [
        { field: 'update_type', value: 'Change' },
        { field: 'status', operator: 'less_than', value: 'solved' },
        { field: 'group_id', operator: 'is', value: String(1000 + index) },
      ],
      any: [
        { field: 'comment_includes_word', operator: 'includes', value: `refund${index} cancel${index}` },
        { field: 'user.custom_fields_plan', operator: 'is', value: `plan${index}` },
      ],
    },
    actions: [
      { field: 'assignee_id', value: index },
      { field: 'notification_group', value: ['group_id', 'Ticket {{ticket.id}}', '{{ticket.title}}'] },
    ],
  };
};

const triggers: ActiveTrigger[] = Array.from({ length: TRIGGERS }, (_, index) => {
  const compiled = compileRule(definitionOf(index), 'trigger');
  if (!compiled.ok) throw new Error(`bench trigger ${index} does not compile`);
  return { id: index + 1, title: `Trigger ${index}`, position: index + 1, rule: compiled.rule };
});

const ticketOf = (index: number): RuleTicket => ({
  id: index,
  subject: `Order ${index} arrived damaged`,
  status: 'open',
  priority: 'normal',
  type: 'incident',
  requester_id: 10,
  assignee_id: null,
  group_id: 5,
  organization_id: 40,
  tags: index % 10 === 0 ? ['vip', 'billing'] : ['billing'],
  custom_fields: [{ id: 500, value: 'x' }],
  collaborator_ids: [],
  via: { channel: 'email', source: { from: {}, to: {}, rel: null } },
});

const contextOf = (index: number): RuleContext => ({
  ticket: ticketOf(index),
  previous: { ...ticketOf(index), status: 'new' },
  updateType: 'Change',
  updateVia: 'email',
  comment: { body: 'My package arrived broken, I would like a replacement please.', public: true },
  requester: { id: 10, role: 'end-user', user_fields: { plan: 'enterprise' } },
  organization: { id: 40, organization_fields: {} },
  currentUser: { id: 10, role: 'end-user' },
});

export const measureRuleEngine = (): RuleEngineThroughput => {
  const contexts = Array.from({ length: TICKETS }, (_, index) => contextOf(index));
  for (const context of contexts.slice(0, 200)) runTriggerCycle(triggers, context);
  let fired = 0;
  const started = performance.now();
  for (const context of contexts) fired += runTriggerCycle(triggers, context).fired.length;
  const elapsedMs = performance.now() - started;
  const ticketsPerSecond = TICKETS / (elapsedMs / 1000);
  return {
    triggers: TRIGGERS,
    tickets: TICKETS,
    elapsedMs,
    ticketsPerSecond,
    evaluationsPerSecond: ticketsPerSecond * TRIGGERS,
    firedPerTicket: fired / TICKETS,
  };
};
