/**
 * A view's conditions and output checked and compiled as a whole, the way Zendesk accepts them:
 * conditions go through the rule engine as a `view` rule, `all` must narrow the tickets by status,
 * type, group, assignee or requester, and every column, `group_by` and `sort_by` must be one Relaydesk
 * can fill. A 422 names each problem; a definition that compiled runs without re-checking.
 */
import { type FieldError, ValidationError } from '../errors.ts';
import { type CompiledRule, compileRule } from '../rules/compile-rule.ts';
import type { ConditionInput, Conditions } from '../rules/conditions.ts';
import type { ColumnId, SortOrder, ViewColumn, ViewExecution } from './view.ts';
import {
  type ColumnDefinition,
  canonicalColumnId,
  columnDefinition,
  storedColumnDefinition,
} from './view-columns.ts';

export interface ViewOutputInput {
  columns?: ColumnId[] | undefined;
  group_by?: ColumnId | null | undefined;
  group_order?: SortOrder | null | undefined;
  sort_by?: ColumnId | null | undefined;
  sort_order?: SortOrder | null | undefined;
}

export interface ViewDefinitionInput {
  conditions: { all?: ConditionInput[] | null | undefined; any?: ConditionInput[] | null | undefined };
  output: ViewOutputInput;
}

/** Zendesk: "at least one condition in `all` that checks status, type, group_id, assignee_id or requester_id". */
export const NARROWING_FIELDS = ['status', 'type', 'group_id', 'assignee_id', 'requester_id'] as const;

export const MAX_COLUMNS = 10;

/** Used when a view names no columns: what Zendesk's own ticket lists show. */
export const DEFAULT_COLUMNS: readonly string[] = [
  'status',
  'description',
  'requester',
  'created',
  'priority',
];
const DEFAULT_SORT_BY = 'updated';

export interface CompiledView {
  conditions: Conditions;
  execution: ViewExecution;
}

type Problems = Record<string, FieldError[]>;

const addProblem = (problems: Problems, key: string, description: string, error = 'InvalidValue') => {
  problems[key] = [...(problems[key] ?? []), { description, error }];
};

const describeColumn = (id: ColumnId) => (typeof id === 'number' ? `ticket field ${id}` : `'${id}'`);

const resolveColumns = (
  input: ViewOutputInput,
  ticketFieldTitles: ReadonlyMap<number, string>,
  problems: Problems,
): ViewColumn[] => {
  const requested = input.columns ?? DEFAULT_COLUMNS;
  if (requested.length > MAX_COLUMNS)
    addProblem(problems, 'columns', `Columns: a view shows at most ${MAX_COLUMNS} columns`);
  const columns: ViewColumn[] = [];
  for (const raw of requested) {
    const id = canonicalColumnId(raw);
    const definition = columnDefinition(id, ticketFieldTitles);
    if (!definition) addProblem(problems, 'columns', `Columns: unknown column ${describeColumn(raw)}`);
    else if (!columns.some((column) => column.id === id)) columns.push({ id, title: definition.title });
  }
  return columns;
};

/** The canonical id of a sortable column for `group_by`/`sort_by`, or undefined after recording why not. */
const resolveOrdering = (
  key: 'group_by' | 'sort_by',
  raw: ColumnId,
  ticketFieldTitles: ReadonlyMap<number, string>,
  problems: Problems,
): ColumnId | undefined => {
  const id = canonicalColumnId(raw);
  const definition = columnDefinition(id, ticketFieldTitles);
  if (!definition) {
    addProblem(problems, key, `${key}: unknown column ${describeColumn(raw)}`);
    return undefined;
  }
  if (!definition.order) {
    addProblem(problems, key, `${key}: tickets cannot be ordered by ${describeColumn(raw)}`);
    return undefined;
  }
  return id;
};

export const compileViewDefinition = (
  input: ViewDefinitionInput,
  ticketFieldTitles: ReadonlyMap<number, string>,
): CompiledView => {
  const problems: Problems = {};
  const compiled = compileRule({ conditions: input.conditions, actions: [] }, 'view');
  if (!compiled.ok) problems.conditions = compiled.problems.conditions;
  const all = input.conditions.all ?? [];
  if (!all.some((condition) => (NARROWING_FIELDS as readonly string[]).includes(condition.field))) {
    addProblem(
      problems,
      'conditions',
      `Conditions: 'all' must test one of ${NARROWING_FIELDS.join(', ')}`,
      'BlankValue',
    );
  }
  const columns = resolveColumns(input.output, ticketFieldTitles, problems);
  const output = input.output;
  const sort = resolveOrdering('sort_by', output.sort_by ?? DEFAULT_SORT_BY, ticketFieldTitles, problems);
  const group =
    output.group_by === null || output.group_by === undefined
      ? null
      : resolveOrdering('group_by', output.group_by, ticketFieldTitles, problems);
  if (!compiled.ok || sort === undefined || group === undefined || Object.keys(problems).length)
    throw new ValidationError(problems);
  return {
    conditions: compiled.rule.conditions,
    execution: {
      columns,
      group_by: group,
      group_order: output.group_order ?? 'asc',
      sort_by: sort,
      // Zendesk sorts descending unless told otherwise (newest, most urgent first).
      sort_order: output.sort_order ?? 'desc',
    },
  };
};

/** Recompiles stored conditions for execution (they compiled when saved, so this cannot fail). */
export const compileStoredConditions = (conditions: Conditions): CompiledRule => {
  const compiled = compileRule({ conditions, actions: [] }, 'view');
  if (!compiled.ok)
    throw new Error(`Stored view conditions no longer compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.rule;
};

/** The definition of a stored column, group or sort key (checked when the view was saved). */
export const storedColumn = (execution: ViewExecution, id: ColumnId): ColumnDefinition | undefined =>
  storedColumnDefinition(id, execution.columns.find((column) => column.id === id)?.title ?? String(id));
