/**
 * View definitions. Every save compiles the view (conditions through the rule engine, columns and
 * ordering against the column catalog and the ticket fields), so a stored view always executes.
 * New views go last unless given a position. Agents see the views their restriction allows; admins all.
 */

import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import type { TicketField } from '../../domain/fields/field-definition.ts';
import {
  byPosition,
  canSeeView,
  type Viewer,
  type ViewRecord,
  type ViewRestriction,
} from '../../domain/views/view.ts';
import {
  compileViewDefinition,
  type ViewDefinitionInput,
  type ViewOutputInput,
} from '../../domain/views/view-definition.ts';
import type { Caller } from '../../http/caller.ts';
import type { RestrictionInput, ViewInput, ViewListSort } from '../../http/schemas/view-input.ts';
import { allMemberships } from '../../store/directory/group-memberships.ts';
import { getGroups } from '../../store/directory/groups.ts';
import { getUser } from '../../store/directory/users.ts';
import { allDefinitions } from '../../store/fields/field-definitions.ts';
import {
  allocateViewId,
  getView,
  listAllViews,
  putView,
  deleteView as removeView,
} from '../../store/views.ts';

export const viewerOf = async (caller: Caller): Promise<Viewer> => {
  const isAdmin = caller.role === 'admin';
  // Admins see everything, so their groups never matter.
  const groupIds = isAdmin
    ? []
    : (await allMemberships({ userId: caller.userId })).map((membership) => membership.group_id);
  return { userId: caller.userId, isAdmin, groupIds };
};

/** A view the viewer may see; one they may not is as absent as one that does not exist. */
export const getVisibleView = async (id: number, viewer: Viewer): Promise<ViewRecord> => {
  const view = await getView(id);
  if (!view || !canSeeView(view, viewer)) throw new NotFoundError();
  return view;
};

const LIST_ORDERS: Record<ViewListSort, (a: ViewRecord, b: ViewRecord) => number> = {
  position: byPosition,
  alphabetical: (a, b) => a.title.localeCompare(b.title) || a.id - b.id,
  created_at: (a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id,
  updated_at: (a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id,
};

/** The views the viewer may see, ascending by `sortBy`; `active` keeps only active (or inactive) ones. */
export const listVisibleViews = async (
  viewer: Viewer,
  options: { active?: boolean | undefined; sortBy?: ViewListSort | undefined },
): Promise<ViewRecord[]> =>
  (await listAllViews())
    .filter(
      (view) => canSeeView(view, viewer) && (options.active === undefined || view.active === options.active),
    )
    .sort(LIST_ORDERS[options.sortBy ?? 'position']);

const ticketFieldTitles = async (): Promise<Map<number, string>> =>
  new Map((await allDefinitions<TicketField>('ticket_field')).map((field) => [field.id, field.title]));

const restrictionProblem = (description: string) =>
  ValidationError.field('restriction', description, 'InvalidValue');

/** Checks that the group(s) or user a restriction names exist (and that a user is staff). */
const resolveRestriction = async (input: RestrictionInput | null): Promise<ViewRestriction | null> => {
  if (input === null) return null;
  if (input.type === 'User') {
    if (input.id === undefined) throw restrictionProblem('Restriction: a User restriction needs an id');
    const user = await getUser(input.id);
    if (!user?.active || user.role === 'end-user')
      throw restrictionProblem(`Restriction: no agent with id ${input.id}`);
    return { type: 'User', id: input.id };
  }
  const ids = [...new Set(input.ids ?? (input.id === undefined ? [] : [input.id]))];
  if (!ids.length) throw restrictionProblem('Restriction: a Group restriction needs ids');
  const found = (await getGroups(ids)).filter((group) => !group.deleted).map((group) => group.id);
  const missing = ids.filter((id) => !found.includes(id));
  if (missing.length) throw restrictionProblem(`Restriction: no group with id ${missing.join(', ')}`);
  return { type: 'Group', ids };
};

type ViewDraft = Omit<ViewRecord, 'conditions' | 'execution'> & ViewDefinitionInput;

/** A draft with its definition compiled (the 422 names every problem). */
const checked = async (draft: ViewDraft): Promise<ViewRecord> => {
  if (!draft.title.trim()) throw ValidationError.field('title', 'Title: cannot be blank', 'BlankValue');
  const { conditions: input, output, ...record } = draft;
  const { conditions, execution } = compileViewDefinition(
    { conditions: input, output },
    await ticketFieldTitles(),
  );
  return { ...record, conditions, execution };
};

/** Top-level `all`/`any` (Zendesk's write format) win over a nested `conditions` object. */
const conditionsOf = (input: ViewInput) => ({
  all: input.all !== undefined ? input.all : input.conditions?.all,
  any: input.any !== undefined ? input.any : input.conditions?.any,
});

/** `seeded` marks Relaydesk's default views (Zendesk's `default: true`); they are checked like any other. */
export const createView = async (
  input: ViewInput,
  now: string,
  options: { seeded?: boolean } = {},
): Promise<ViewRecord> => {
  const conditions = conditionsOf(input);
  // Checked before an id is spent on it.
  const valid = await checked({
    id: 0,
    title: input.title ?? '',
    description: input.description ?? null,
    active: input.active ?? true,
    position: 0,
    default: options.seeded ?? false,
    restriction: await resolveRestriction(input.restriction ?? null),
    conditions: { all: conditions.all ?? [], any: conditions.any ?? [] },
    output: input.output ?? {},
    created_at: now,
    updated_at: now,
    version: 1,
  });
  const position = input.position ?? ((await listAllViews()).at(-1)?.position ?? 0) + 1;
  return putView({ ...valid, id: await allocateViewId(), position });
};

const outputOf = (view: ViewRecord): ViewOutputInput => ({
  columns: view.execution.columns.map((column) => column.id),
  group_by: view.execution.group_by,
  group_order: view.execution.group_order,
  sort_by: view.execution.sort_by,
  sort_order: view.execution.sort_order,
});

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;

const changeView = async (
  id: number,
  change: (view: ViewRecord) => Promise<ViewRecord>,
): Promise<ViewRecord> => {
  for (let attempt = 1; ; attempt++) {
    const view = await getView(id);
    if (!view) throw new NotFoundError();
    try {
      return await putView(await change(view), view);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

/** Each of `all` and `any` given replaces its list (Zendesk); output settings given replace theirs. */
export const updateView = (id: number, input: ViewInput, now: string): Promise<ViewRecord> =>
  changeView(id, async (view) => {
    const conditions = conditionsOf(input);
    return checked({
      ...view,
      ...definedOnly({
        title: input.title,
        description: input.description,
        active: input.active,
        position: input.position,
      }),
      ...(input.restriction !== undefined
        ? { restriction: await resolveRestriction(input.restriction) }
        : {}),
      conditions: {
        all: conditions.all !== undefined ? (conditions.all ?? []) : view.conditions.all,
        any: conditions.any !== undefined ? (conditions.any ?? []) : view.conditions.any,
      },
      output: { ...outputOf(view), ...definedOnly(input.output ?? {}) },
      updated_at: now,
    });
  });

export const deleteView = async (id: number): Promise<void> => {
  if (!(await getView(id))) throw new NotFoundError();
  await removeView(id);
};

/**
 * The listed views take positions 1..n in the order given; the others keep their order after them.
 * Each view is written on its own (no transaction: a list may exceed DynamoDB's 100-item limit).
 */
export const reorderViews = async (requested: readonly number[], now: string): Promise<ViewRecord[]> => {
  const ids = [...new Set(requested)];
  const views = await listAllViews();
  const unknown = ids.filter((id) => !views.some((view) => view.id === id));
  if (unknown.length)
    throw ValidationError.field('view_order', `view ids not found: ${unknown.join(', ')}`, 'InvalidValue');
  const ordered = [
    ...ids.map((id) => views.find((view) => view.id === id) as ViewRecord),
    ...views.filter((view) => !ids.includes(view.id)),
  ];
  return Promise.all(
    ordered.map((view, index) =>
      view.position === index + 1 ? view : putView({ ...view, position: index + 1, updated_at: now }, view),
    ),
  );
};
