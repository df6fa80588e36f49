/**
 * Macro definitions. Every save compiles the actions (an unknown action, a bad value or Liquid that
 * does not parse is a 422 naming it) and checks the groups, agents and field values they name, so a
 * stored macro always applies. Admins manage every macro; agents see shared macros, their groups' and
 * their own, and manage only their personal ones (restriction `{type: "User", id: <self>}`).
 */
import { isStaff } from '../../domain/directory/user.ts';
import { ForbiddenError, NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import {
  canManageMacro,
  canSeeMacro,
  type MacroRecord,
  type MacroRestriction,
  type MacroViewer,
} from '../../domain/macros/macro.ts';
import {
  type CompiledMacroActions,
  compileMacroActions,
  storedActions,
} from '../../domain/macros/macro-actions.ts';
import type { ActionInput } from '../../domain/rules/actions.ts';
import { parseReference } from '../../domain/rules/rule-values.ts';
import type { Caller } from '../../http/caller.ts';
import type { MacroChange, MacroInput, RestrictionInput } from '../../http/schemas/macro-input.ts';
import { allMemberships } from '../../store/directory/group-memberships.ts';
import { getGroups } from '../../store/directory/groups.ts';
import { getUser } from '../../store/directory/users.ts';
import {
  allocateMacroId,
  getMacro,
  listAllMacros,
  putMacro,
  putMacros,
  deleteMacro as removeMacro,
} from '../../store/macros.ts';
import { ticketCustomFieldChanges } from '../fields/check-field-values.ts';

const TICKET_CUSTOM_FIELD = /^custom_fields_(\d+)$/;

export const viewerOf = async (caller: Caller): Promise<MacroViewer> => ({
  userId: caller.userId,
  role: caller.role,
  // Admins see every macro: their memberships are not needed.
  groupIds:
    caller.role === 'admin'
      ? []
      : (await allMemberships({ userId: caller.userId })).map((membership) => membership.group_id),
});

/** A macro the caller may see; one they may not is as absent as one that never existed. */
export const getVisibleMacro = async (caller: Caller, id: number): Promise<MacroRecord> => {
  const macro = await getMacro(id);
  if (!macro || !canSeeMacro(await viewerOf(caller), macro)) throw new NotFoundError();
  return macro;
};

export const listVisibleMacros = async (caller: Caller): Promise<MacroRecord[]> => {
  const viewer = await viewerOf(caller);
  return (await listAllMacros()).filter((macro) => canSeeMacro(viewer, macro));
};

/** Compiles actions, or throws the 422 naming every problem. */
export const compileMacroOrThrow = (actions: readonly ActionInput[]): CompiledMacroActions => {
  const compilation = compileMacroActions(actions);
  if (!compilation.ok) throw new ValidationError({ actions: compilation.problems });
  return compilation.compiled;
};

/** Group and assignee ids the actions name must exist (and the assignee be an agent); field values fit. */
const checkActionReferences = async (actions: readonly ActionInput[]): Promise<void> => {
  const referenced = (field: string) =>
    actions.flatMap((action) => {
      const reference = action.field === field ? parseReference(action.value, false) : undefined;
      return typeof reference === 'number' ? [reference] : [];
    });
  const groupIds = referenced('group_id');
  const liveGroups = (await getGroups(groupIds)).filter((group) => !group.deleted).map((group) => group.id);
  const problems = groupIds
    .filter((id) => !liveGroups.includes(id))
    .map((id) => ({ description: `Actions: group ${id} does not exist`, error: 'InvalidValue' }));
  for (const id of referenced('assignee_id')) {
    const user = await getUser(id);
    if (!user?.active || !isStaff(user))
      problems.push({ description: `Actions: assignee ${id} is not an agent`, error: 'InvalidValue' });
  }
  if (problems.length) throw new ValidationError({ actions: problems });
  const customFields = actions.flatMap((action) => {
    const id = TICKET_CUSTOM_FIELD.exec(action.field)?.[1];
    return id ? [{ id: Number(id), value: action.value === '' ? null : (action.value ?? null) }] : [];
  });
  await ticketCustomFieldChanges(customFields, { portal: false, creating: false });
};

/** Zendesk accepts a group restriction as `id` or `ids` and answers with both. */
const checkedRestriction = async (input: RestrictionInput): Promise<MacroRestriction | null> => {
  if (input === null) return null;
  if (input.type === 'User') {
    const user = input.id === undefined ? undefined : await getUser(input.id);
    if (!user?.active || !isStaff(user))
      throw ValidationError.field('restriction', 'Restriction: must name an agent', 'InvalidValue');
    return { type: 'User', id: user.id };
  }
  const ids = [...new Set([...(input.id === undefined ? [] : [input.id]), ...(input.ids ?? [])])];
  const live = (await getGroups(ids)).filter((group) => !group.deleted);
  const [first] = ids;
  if (first === undefined || live.length !== ids.length)
    throw ValidationError.field('restriction', 'Restriction: must name existing groups', 'InvalidValue');
  return { type: 'Group', id: first, ids };
};

const checkManager = (caller: Caller, restriction: MacroRestriction | null): void => {
  if (!canManageMacro(caller, restriction))
    throw new ForbiddenError(
      'Agents may only manage their personal macros (restriction type User, their id)',
    );
};

/** Title, actions and references checked; the parts of `input` that were given, ready to store. */
const checkedChanges = async (input: MacroInput, existing?: MacroRecord) => {
  if (input.title !== undefined && !input.title.trim())
    throw ValidationError.field('title', 'Title: cannot be blank', 'BlankValue');
  if (input.actions) {
    compileMacroOrThrow(input.actions);
    await checkActionReferences(input.actions);
  }
  const restriction =
    input.restriction === undefined ? existing?.restriction : await checkedRestriction(input.restriction);
  return {
    ...(input.title !== undefined ? { title: input.title.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(input.position !== undefined ? { position: input.position } : {}),
    ...(input.actions ? { actions: storedActions(input.actions) } : {}),
    restriction: restriction ?? null,
  };
};

export const createMacro = async (
  caller: Caller,
  input: MacroInput,
  now: string,
  options: { default?: boolean } = {},
): Promise<MacroRecord> => {
  if (input.title === undefined) throw ValidationError.field('title', 'Title: cannot be blank', 'BlankValue');
  if (!input.actions) throw ValidationError.field('actions', 'Actions: cannot be blank', 'BlankValue');
  // Checked before an id is spent on it.
  const changes = await checkedChanges(input);
  checkManager(caller, changes.restriction);
  const last = (await listAllMacros()).reduce((max, macro) => Math.max(max, macro.position), 0);
  return putMacro({
    id: await allocateMacroId(),
    title: input.title,
    description: null,
    active: true,
    position: last + 1,
    default: options.default ?? false,
    actions: [],
    ...changes,
    created_at: now,
    updated_at: now,
    version: 1,
  });
};

/** Re-reads and re-applies `change` when someone else wrote the macro in between. */
const changeMacro = async (
  caller: Caller,
  id: number,
  change: (macro: MacroRecord) => Promise<MacroRecord>,
): Promise<MacroRecord> => {
  for (let attempt = 1; ; attempt++) {
    const macro = await getVisibleMacro(caller, id);
    checkManager(caller, macro.restriction);
    const next = await change(macro);
    checkManager(caller, next.restriction);
    try {
      return await putMacro(next, macro);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

export const updateMacro = (caller: Caller, id: number, input: MacroInput, now: string) =>
  changeMacro(caller, id, async (macro) => ({
    ...macro,
    ...(await checkedChanges(input, macro)),
    updated_at: now,
  }));

export const deleteMacro = async (caller: Caller, id: number): Promise<void> => {
  const macro = await getVisibleMacro(caller, id);
  checkManager(caller, macro.restriction);
  await removeMacro(id);
};

/** Zendesk's update_many: `active` and `position` of several macros, all or none. */
export const updateManyMacros = async (
  caller: Caller,
  changes: readonly MacroChange[],
  now: string,
): Promise<MacroRecord[]> => {
  if (new Set(changes.map((change) => change.id)).size !== changes.length)
    throw ValidationError.field('macros', 'Macros: each macro may appear only once', 'InvalidValue');
  const viewer = await viewerOf(caller);
  const macros = await listAllMacros();
  const pairs = changes.map((change) => {
    const previous = macros.find((macro) => macro.id === change.id);
    if (!previous || !canSeeMacro(viewer, previous)) throw new NotFoundError();
    checkManager(caller, previous.restriction);
    const next: MacroRecord = {
      ...previous,
      ...(change.active !== undefined ? { active: change.active } : {}),
      ...(change.position !== undefined ? { position: change.position } : {}),
      updated_at: now,
    };
    return { previous, next };
  });
  return putMacros(pairs);
};
