/**
 * Drives mail the way production does: the trigger cycle runs on an update's audit, and each
 * `Notification` event its rule audit records becomes the `notification.requested` record the
 * send-notification-mail consumer receives.
 */
import type { SQSRecord } from 'aws-lambda';
import type { Audit } from '../../shared/domain/tickets/ticket.ts';
import { seedDefaultTriggers } from '../../shared/setup/default-triggers.ts';
import { getAudit } from '../../shared/store/tickets/tickets.ts';
import { createGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { applyTriggers } from '../../shared/use-cases/rules/apply-triggers.ts';
import { asFunction } from './function-grants.ts';
import { ticketEventRecord } from './sqs-event.ts';

/** The account's default triggers, as a first start seeds them (with tiers of their own). */
export const seedTriggersForTest = async (adminId: number, now = new Date().toISOString()): Promise<void> => {
  const tier = async (name: string) => (await createGroup({ name }, now)).id;
  const groupIds = {
    'Tier 1': await tier('Tier 1'),
    'Tier 2': await tier('Tier 2'),
    'Tier 3': await tier('Tier 3'),
  };
  await seedDefaultTriggers({ adminId, groupIds, now });
};

/** One `notification.requested` record per Notification event of a rule audit. */
export const notificationRecords = (audit: Audit, options: { id?: string } = {}): SQSRecord[] =>
  audit.events
    .filter((event) => event.type === 'Notification')
    .map((event, index) =>
      ticketEventRecord(
        'notification.requested',
        {
          version: 1,
          ticket_id: audit.ticket_id,
          audit_id: audit.id,
          event_id: event.id,
          author_id: audit.author_id,
          via: audit.via,
          created_at: audit.created_at,
        },
        options.id ? { id: `${options.id}-${index}` } : {},
      ),
    );

/**
 * Runs the trigger cycle for an update, under the apply-triggers function's grants, and returns its
 * rule audit, if any trigger fired.
 */
export const runTriggers = async (ticketId: number, auditId: number): Promise<Audit | undefined> => {
  const outcome = await asFunction('apply-triggers', () =>
    applyTriggers({ ticketId, auditId, now: () => new Date().toISOString() }),
  );
  return outcome.result === 'applied' ? getAudit(ticketId, outcome.auditId) : undefined;
};

/** The notification records the trigger cycle of an update produces (none when nothing fired). */
export const triggeredNotifications = async (ticketId: number, auditId: number): Promise<SQSRecord[]> => {
  const audit = await runTriggers(ticketId, auditId);
  return audit ? notificationRecords(audit) : [];
};
