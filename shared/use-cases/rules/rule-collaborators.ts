/** The `cc` action: adds users by id or by the email of a known user; unknown emails are logged and skipped. */
import type { Ticket } from '../../domain/tickets/ticket.ts';
import { logger } from '../../observability/logger.ts';
import { findUserByEmail } from '../../store/directory/users.ts';

/** The ticket's collaborators with the rule's CCs added, or undefined when that adds nobody. */
export const collaboratorsWithCcs = async (
  ticket: Ticket,
  ccs: ReadonlyArray<number | string>,
): Promise<number[] | undefined> => {
  if (!ccs.length) return undefined;
  const ids = await Promise.all(
    ccs.map(async (cc) => {
      if (typeof cc === 'number') return cc;
      const user = await findUserByEmail(cc);
      if (!user) logger.info('Rule CC names no known user; skipped', { ticketId: ticket.id });
      return user?.id;
    }),
  );
  const added = ids.filter((id): id is number => id !== undefined && !ticket.collaborator_ids.includes(id));
  return added.length ? [...ticket.collaborator_ids, ...added] : undefined;
};
