/**
 * Rule conditions: `{all: [...], any: [...]}` of `{field, operator, value}`. A condition is compiled
 * once into a predicate; compiling is also the save-time check, so a rule that was saved can run.
 */
import * as z from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../tickets/ticket.ts';
import { type ConditionField, conditionField, operatorsFor, type RuleKind } from './condition-fields.ts';
import {
  CHANGE_OPERATORS,
  changeOperatorHolds,
  compareOrdered,
  FIELD_ORDERS,
  isOperator,
  type Operator,
  VALUELESS_OPERATORS,
} from './operators.ts';
import { type RuleContext, SATISFACTION_SCORES } from './rule-context.ts';
import {
  parseBoolean,
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parseReference,
  parseTagList,
  parseViaId,
  sameValue,
} from './rule-values.ts';

const conditionValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
]);

export const conditionSchema = z.object({
  field: z.string(),
  operator: z.string().optional(),
  value: conditionValue.optional(),
});

export const conditionsSchema = z.object({
  all: z.array(conditionSchema).nullish(),
  any: z.array(conditionSchema).nullish(),
});

export type ConditionInput = z.infer<typeof conditionSchema>;
export type ConditionValue = z.infer<typeof conditionValue>;

/** A condition as stored: the operator is always explicit (`update_type` gets `is`). */
export interface Condition {
  field: string;
  operator: Operator;
  value: string | null;
}

export interface Conditions {
  all: Condition[];
  any: Condition[];
}

export type ConditionPredicate = (context: RuleContext) => boolean;

export type CompiledCondition =
  | { ok: true; condition: Condition; field: ConditionField; test: ConditionPredicate }
  | { ok: false; problem: string };

const CURRENT_USER_NOBODY = Symbol('no current user');

const wordsOf = (text: string): Set<string> => new Set(text.toLowerCase().match(/[\p{L}\p{N}_'-]+/gu) ?? []);

const isPresent = (value: unknown): boolean =>
  value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);

const customIncludes = (actual: unknown, expected: unknown): boolean => {
  const needle = String(expected).toLowerCase();
  if (Array.isArray(actual)) return actual.some((item) => String(item).toLowerCase() === needle);
  return isPresent(actual) && String(actual).toLowerCase().includes(needle);
};

const ENUMS: Partial<Record<ConditionField['kind'], readonly string[]>> = {
  update_type: ['Create', 'Change'],
  status: TICKET_STATUSES,
  priority: TICKET_PRIORITIES,
  type: TICKET_TYPES,
  role: ['end-user', 'agent', 'admin'],
  satisfaction: SATISFACTION_SCORES,
};

/** The expected value in the form the predicate compares, or undefined when it is not valid. */
const parseExpected = (field: ConditionField, operator: Operator, value: unknown): unknown => {
  const enumValues = ENUMS[field.kind];
  if (enumValues) {
    // Priority and type may be tested for "none" (`""`) with equality, never with an order.
    const noneAllowed = (field.kind === 'priority' || field.kind === 'type') && !operator.endsWith('_than');
    if (noneAllowed && (value === '' || value === null)) return null;
    return typeof value === 'string' && enumValues.includes(value) ? value : undefined;
  }
  switch (field.kind) {
    case 'reference':
      return parseReference(value, true);
    case 'via':
      return parseViaId(value);
    case 'tags':
      return parseTagList(value);
    case 'words': {
      const words = typeof value === 'string' ? [...wordsOf(value)] : [];
      return words.length ? words : undefined;
    }
    case 'comment_public':
      return value === 'not_relevant' ? value : parseBoolean(value);
    case 'flag':
      return parseBoolean(value);
    case 'custom':
      return value === undefined || Array.isArray(value) ? undefined : value;
    case 'hours':
      return parseNonNegativeNumber(value);
    case 'count':
    case 'id':
      return parseNonNegativeInteger(value);
    default:
      return undefined;
  }
};

const describeValue = (value: unknown): string =>
  value === undefined ? 'no value' : `'${JSON.stringify(value)}'`;

/** Builds the predicate for a valid field/operator/value. */
const predicateOf = (field: ConditionField, operator: Operator, expected: unknown): ConditionPredicate => {
  const read = field.read;
  const resolve = (context: RuleContext): unknown =>
    expected === 'current_user' && field.kind === 'reference'
      ? (context.currentUser?.id ?? CURRENT_USER_NOBODY)
      : expected;
  if ((CHANGE_OPERATORS as readonly string[]).includes(operator)) {
    return (context) =>
      changeOperatorHolds(
        operator as (typeof CHANGE_OPERATORS)[number],
        {
          previous: context.previous ? read(context.previous, context) : null,
          current: read(context.ticket, context),
        },
        resolve(context),
        sameValue,
      );
  }
  switch (field.kind) {
    case 'tags': {
      const tags = expected as string[];
      const includesAny = (context: RuleContext) =>
        tags.some((tag) => (read(context.ticket, context) as string[]).includes(tag));
      return operator === 'includes' ? includesAny : (context) => !includesAny(context);
    }
    case 'words': {
      const words = expected as string[];
      const includesAny = (context: RuleContext) => {
        const present = wordsOf(String(read(context.ticket, context)));
        return words.some((word) => present.has(word));
      };
      return operator === 'includes' ? includesAny : (context) => !includesAny(context);
    }
    case 'comment_public':
      return (context) => {
        if (expected === 'not_relevant') return true;
        const comment = context.comment;
        return comment !== undefined && comment.public === expected;
      };
    case 'hours':
    case 'count':
      return (context) => {
        const actual = read(context.ticket, context);
        if (typeof actual !== 'number') return false;
        const limit = expected as number;
        return operator === 'less_than'
          ? actual < limit
          : operator === 'greater_than'
            ? actual > limit
            : actual === limit;
      };
    default:
      break;
  }
  switch (operator) {
    case 'less_than':
    case 'greater_than': {
      const order = FIELD_ORDERS[field.kind as 'status' | 'priority'];
      return (context) => {
        const comparison = compareOrdered(order, read(context.ticket, context), expected as string);
        return operator === 'less_than' ? comparison < 0 : comparison > 0;
      };
    }
    case 'present':
      return (context) => isPresent(read(context.ticket, context));
    case 'not_present':
      return (context) => !isPresent(read(context.ticket, context));
    case 'includes':
      return (context) => customIncludes(read(context.ticket, context), expected);
    case 'is_not':
      return (context) => !sameValue(read(context.ticket, context), resolve(context));
    default:
      return (context) => sameValue(read(context.ticket, context), resolve(context));
  }
};

/** Values are stored as Zendesk returns them: text (`"96"`, `"true"`, tags space-separated). */
const storedValue = (value: ConditionValue | undefined): string | null => {
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.join(' ') : String(value);
};

/** Checks one condition for a rule kind and, when it is valid, compiles it. */
export const compileCondition = (
  input: ConditionInput,
  kind: RuleKind,
  inAny: boolean,
): CompiledCondition => {
  const field = conditionField(input.field);
  if (!field) return { ok: false, problem: `unknown field '${input.field}'` };
  if (field.only && !field.only.includes(kind)) {
    const kinds = field.only.map((only) => `${only}s`).join(' and ');
    return { ok: false, problem: `field '${input.field}' is only valid in ${kinds}` };
  }
  if (inAny && field.allOnly) return { ok: false, problem: `field '${input.field}' is only valid in 'all'` };
  const rawOperator = input.operator ?? (field.kind === 'update_type' ? 'is' : undefined);
  if (rawOperator === undefined) return { ok: false, problem: `field '${input.field}' needs an operator` };
  if (!isOperator(rawOperator)) return { ok: false, problem: `unknown operator '${rawOperator}'` };
  if (!operatorsFor(field, kind).includes(rawOperator)) {
    const changeOnly = (CHANGE_OPERATORS as readonly string[]).includes(rawOperator) && field.changeOperators;
    return {
      ok: false,
      problem: changeOnly
        ? `operator '${rawOperator}' is only valid in triggers`
        : `operator '${rawOperator}' is not valid for field '${input.field}'`,
    };
  }
  const needsValue = !VALUELESS_OPERATORS.has(rawOperator);
  const expected = needsValue ? parseExpected(field, rawOperator, input.value) : null;
  if (needsValue && expected === undefined) {
    return { ok: false, problem: `invalid value ${describeValue(input.value)} for field '${input.field}'` };
  }
  const condition: Condition = {
    field: input.field,
    operator: rawOperator,
    value: needsValue ? storedValue(input.value) : null,
  };
  return { ok: true, condition, field, test: predicateOf(field, rawOperator, expected) };
};
