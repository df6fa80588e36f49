/**
 * `/slas/policies/definitions`: the condition fields a policy filter may use, in Zendesk's
 * SLAPolicyFilterDefinition shape. Derived from the trigger definitions (one catalog), keeping the
 * fields and operators the `sla` rule kind accepts.
 */
import { conditionField, operatorsFor } from '../rules/condition-fields.ts';
import { triggerDefinitions } from '../rules/rule-definitions.ts';

type TriggerCondition = ReturnType<typeof triggerDefinitions>['conditions_all'][number];

const slaDefinition = (condition: TriggerCondition) => {
  const field = conditionField(condition.subject);
  if (!field || field.only) return [];
  const allowed = operatorsFor(field, 'sla');
  return [
    {
      group: condition.group,
      title: condition.title,
      value: condition.subject,
      target: null,
      operators: condition.operators
        .filter((operator) => allowed.includes(operator.value))
        .map((operator) => ({ title: operator.title, value: operator.value })),
      values: {
        type: condition.type,
        list: ('values' in condition ? (condition.values ?? []) : []).map((value) => ({
          title: value.title,
          value: value.value,
        })),
      },
    },
  ];
};

export const slaPolicyDefinitions = () => {
  const definitions = triggerDefinitions();
  return {
    all: definitions.conditions_all.flatMap(slaDefinition),
    any: definitions.conditions_any.flatMap(slaDefinition),
  };
};
