/**
 * SLA policy definitions. Every save checks the whole policy (filter compiled by the rule engine,
 * metrics known, targets positive, one target per priority and metric), so a stored policy always
 * applies cleanly. New policies go last unless given a position.
 */
import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { checkPolicyMetrics, compileSlaFilter, type SlaPolicy } from '../../domain/sla/sla-policy.ts';
import type { SlaPolicyInput } from '../../http/schemas/sla-input.ts';
import {
  allocateSlaPolicyId,
  getSlaPolicy,
  listAllSlaPolicies,
  putSlaPolicy,
  deleteSlaPolicy as removeSlaPolicy,
} from '../../store/sla/sla-policies.ts';

type PolicyDraft = Omit<SlaPolicy, 'filter' | 'policy_metrics'> & {
  filter: NonNullable<SlaPolicyInput['filter']>;
  policy_metrics: NonNullable<SlaPolicyInput['policy_metrics']>;
};

const checked = (draft: PolicyDraft): SlaPolicy => {
  if (!draft.title.trim()) throw ValidationError.field('title', 'Title: cannot be blank', 'BlankValue');
  return {
    ...draft,
    filter: compileSlaFilter(draft.filter).conditions,
    policy_metrics: checkPolicyMetrics(draft.policy_metrics),
  };
};

export const getLiveSlaPolicy = async (id: number): Promise<SlaPolicy> => {
  const policy = await getSlaPolicy(id);
  if (!policy) throw new NotFoundError();
  return policy;
};

export const listSlaPolicies = (): Promise<SlaPolicy[]> => listAllSlaPolicies();

export const createSlaPolicy = async (input: SlaPolicyInput, now: string): Promise<SlaPolicy> => {
  if (!input.filter) throw ValidationError.field('filter', 'Filter: cannot be blank', 'BlankValue');
  // Checked before an id is spent on it.
  const valid = checked({
    id: 0,
    title: input.title ?? '',
    description: input.description ?? '',
    position: 0,
    filter: input.filter,
    policy_metrics: input.policy_metrics ?? [],
    created_at: now,
    updated_at: now,
    version: 1,
  });
  const existing = await listAllSlaPolicies();
  const position = input.position ?? (existing.at(-1)?.position ?? 0) + 1;
  return putSlaPolicy({ ...valid, id: await allocateSlaPolicyId(), position });
};

const changeSlaPolicy = async (id: number, change: (policy: SlaPolicy) => SlaPolicy): Promise<SlaPolicy> => {
  for (let attempt = 1; ; attempt++) {
    const policy = await getLiveSlaPolicy(id);
    try {
      return await putSlaPolicy(change(policy), policy);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

/** Zendesk's PUT replaces what it names; omitted parts keep their stored values. */
export const updateSlaPolicy = (id: number, input: SlaPolicyInput, now: string): Promise<SlaPolicy> =>
  changeSlaPolicy(id, (policy) =>
    checked({
      ...policy,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description ?? '' } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      filter: input.filter ?? policy.filter,
      policy_metrics: input.policy_metrics ?? policy.policy_metrics,
      updated_at: now,
    }),
  );

export const deleteSlaPolicy = async (id: number): Promise<void> => {
  await getLiveSlaPolicy(id);
  await removeSlaPolicy(id);
};

/**
 * The listed policies take positions 1..n in the order given; the others keep their order after
 * them. Each policy is written on its own, each guarded by its version.
 */
export const reorderSlaPolicies = async (ids: readonly number[], now: string): Promise<SlaPolicy[]> => {
  const policies = await listAllSlaPolicies();
  const unknown = ids.filter((id) => !policies.some((policy) => policy.id === id));
  if (unknown.length) {
    throw ValidationError.field(
      'sla_policy_ids',
      `SLA policy ids not found: ${unknown.join(', ')}`,
      'InvalidValue',
    );
  }
  const ordered = [
    ...ids.map((id) => policies.find((policy) => policy.id === id) as SlaPolicy),
    ...policies.filter((policy) => !ids.includes(policy.id)),
  ];
  return Promise.all(
    ordered.map((policy, index) =>
      policy.position === index + 1
        ? policy
        : putSlaPolicy({ ...policy, position: index + 1, updated_at: now }, policy),
    ),
  );
};
