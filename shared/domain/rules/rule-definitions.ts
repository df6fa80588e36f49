/**
 * `/triggers/definitions`: the condition fields, operators and actions a trigger may use, generated
 * from the same catalogs that validate and run rules. Per-field custom conditions
 * (`custom_fields_{id}`, `user.custom_fields_{key}`, ...) are patterns, listed by the fields APIs.
 */
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../tickets/ticket.ts';
import { ACTION_FIELDS } from './actions.ts';
import { CONDITION_FIELDS, type ConditionField, operatorsFor } from './condition-fields.ts';
import { VALUELESS_OPERATORS } from './operators.ts';
import { SATISFACTION_SCORES } from './rule-context.ts';
import { VIA_IDS } from './rule-values.ts';

interface DefinitionValue {
  value: string;
  title: string;
  enabled: boolean;
}

const listOf = (values: readonly string[]): DefinitionValue[] =>
  values.map((value) => ({ value, title: value, enabled: true }));

const CONDITION_VALUES: Partial<Record<ConditionField['kind'], DefinitionValue[]>> = {
  update_type: listOf(['Create', 'Change']),
  status: listOf(TICKET_STATUSES),
  priority: listOf(TICKET_PRIORITIES),
  type: listOf(TICKET_TYPES),
  role: listOf(['end-user', 'agent', 'admin']),
  satisfaction: listOf(SATISFACTION_SCORES),
  comment_public: listOf(['true', 'false', 'not_relevant']),
  flag: listOf(['true', 'false']),
  via: Object.entries(VIA_IDS).map(([title, id]) => ({ value: String(id), title, enabled: true })),
};

const typeOf = (kind: ConditionField['kind']): string =>
  CONDITION_VALUES[kind] ? 'list' : kind === 'reference' ? 'autocomplete_list' : 'text';

const conditionDefinitions = (inAny: boolean) =>
  Object.entries(CONDITION_FIELDS)
    .filter(([, field]) => (!field.only || field.only.includes('trigger')) && !(inAny && field.allOnly))
    .map(([subject, field]) => ({
      subject,
      title: field.title,
      type: typeOf(field.kind),
      group: 'ticket',
      nullable: field.kind === 'reference' || field.kind === 'priority' || field.kind === 'type',
      repeatable: true,
      operators: operatorsFor(field, 'trigger').map((operator) => ({
        value: operator,
        title: operator.replaceAll('_', ' '),
        terminal: VALUELESS_OPERATORS.has(operator),
      })),
      ...(CONDITION_VALUES[field.kind] ? { values: CONDITION_VALUES[field.kind] } : {}),
    }));

const ACTION_VALUES: Partial<Record<(typeof ACTION_FIELDS)[number], DefinitionValue[]>> = {
  status: listOf(TICKET_STATUSES),
  priority: listOf(TICKET_PRIORITIES),
  type: listOf(TICKET_TYPES),
  satisfaction_score: listOf(['offered']),
  comment_mode_is_public: listOf(['true', 'false']),
};

export const triggerDefinitions = () => ({
  conditions_all: conditionDefinitions(false),
  conditions_any: conditionDefinitions(true),
  actions: ACTION_FIELDS.map((subject) => ({
    subject,
    title: subject.replaceAll('_', ' '),
    type: ACTION_VALUES[subject] ? 'list' : 'text',
    group: subject.startsWith('notification') ? 'notification' : 'ticket',
    nullable:
      subject === 'priority' || subject === 'type' || subject === 'group_id' || subject === 'assignee_id',
    repeatable: subject.startsWith('notification') || subject === 'cc',
    ...(ACTION_VALUES[subject] ? { values: ACTION_VALUES[subject] } : {}),
  })),
});
