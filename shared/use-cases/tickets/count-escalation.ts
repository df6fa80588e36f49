/**
 * Counts the group transfer a ticket change describes (consumer of ticket.created/updated), labelled
 * with the groups' names as they are now.
 *
 * 1. Find the transfer in the audit's changes; none (routing, unassignment, other fields) counts nothing.
 * 2. Read both groups; a deleted group keeps its name, one whose record is gone is labelled by its id.
 * 3. Emit one TicketGroupTransfers line.
 *
 * Not idempotent: an SQS redelivery counts the transfer again. The metric shows trends; the audit is
 * the record of each escalation.
 */
import { groupTransferIn, type RecordedFieldChange } from '../../domain/tickets/group-transfer.ts';
import { countGroupTransfer } from '../../observability/escalation-metrics.ts';
import { getGroups } from '../../store/directory/groups.ts';

export const countEscalation = async (changes: readonly RecordedFieldChange[]): Promise<void> => {
  const transfer = groupTransferIn(changes);
  if (!transfer) return;
  const groups = await getGroups([transfer.fromGroupId, transfer.toGroupId]);
  const labelOf = (groupId: number) => groups.find((group) => group.id === groupId)?.name ?? String(groupId);
  countGroupTransfer({ fromGroup: labelOf(transfer.fromGroupId), toGroup: labelOf(transfer.toGroupId) });
};
