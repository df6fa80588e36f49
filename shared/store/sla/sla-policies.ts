/** SLA policies in the config table, one item each under kind `sla_policy` (see config-records.ts). */
import { byPosition, type SlaPolicy } from '../../domain/sla/sla-policy.ts';
import { configRecords } from '../config-records.ts';

const policies = configRecords<SlaPolicy>('sla_policy');

export const allocateSlaPolicyId = policies.allocateId;
export const getSlaPolicy = policies.get;
/** Every policy, in position order (the first that matches a ticket applies). */
export const listAllSlaPolicies = async (): Promise<SlaPolicy[]> =>
  (await policies.listAll()).sort(byPosition);
/** Writes a new policy, or `next` over `previous` unless someone changed it meanwhile. */
export const putSlaPolicy = policies.put;
export const deleteSlaPolicy = policies.remove;
