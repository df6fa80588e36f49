/**
 * The NPS daily selection over 100,000 end-users in DynamoDB Local: seeds each one's NPS item (last
 * interactions spread uniformly over the past year, so about 30/365 fall in the 30-day window), runs
 * the selection once, and reports elapsed time and consumed capacity per DynamoDB command. Any Scan
 * fails the benchmark: the selection must read through the byUpdated index. User records are created
 * for the people in the window only: the selection reads users by key, and only ones it drew from the
 * window, so the others' records would change no figure (and cost minutes of seeding).
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { buildUser } from '../../shared/domain/directory/user.ts';
import { allocateIds } from '../../shared/store/counters.ts';
import { createUser } from '../../shared/store/directory/users.ts';
import { documentClient } from '../../shared/store/dynamo.ts';
import { NPS_CANDIDATE_KIND, npsPersonKey } from '../../shared/store/nps/nps-people.ts';
import { physicalTableName } from '../../shared/store/tables.ts';
import { updateNpsSettings } from '../../shared/use-cases/nps/manage-nps-settings.ts';
import { selectNpsRecipients } from '../../shared/use-cases/nps/select-nps-recipients.ts';
import { capacityTotals, type RecordedCall, recordDocumentClient } from './dynamo-recorder.ts';

const DAY_MS = 86_400_000;
const SEED_CONCURRENCY = 16;
const BATCH = 25;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface NpsSelectionFigures {
  users: number;
  candidates: number;
  queued: number;
  seedMs: number;
  elapsedMs: number;
  byCommand: { command: string; calls: number; readUnits: number; writeUnits: number }[];
  readUnits: number;
  writeUnits: number;
}

const inParallel = async (count: number, work: (index: number) => Promise<unknown>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) await work(index);
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
};

const byCommand = (calls: readonly RecordedCall[]) => {
  const groups = new Map<string, RecordedCall[]>();
  for (const call of calls) groups.set(call.command, [...(groups.get(call.command) ?? []), call]);
  return [...groups.entries()].map(([command, group]) => ({
    command: command.replace(/Command$/, ''),
    calls: group.length,
    ...capacityTotals(group),
  }));
};

export const measureNpsSelection = async (users = 100_000, dailyCap = 500): Promise<NpsSelectionFigures> => {
  const now = Date.now();
  const seedStart = performance.now();
  const { user: firstId } = await allocateIds('directory', { user: users });
  const createdAt = iso(now - 400 * DAY_MS);
  const windowStart = iso(now - 30 * DAY_MS);
  const people = Array.from({ length: users }, (_, index) => ({
    id: firstId + index,
    interactedAt: iso(now - Math.floor(Math.random() * 365 * DAY_MS)),
  }));
  const table = physicalTableName('tickets');
  await inParallel(Math.ceil(users / BATCH), async (batch) => {
    let pending: unknown[] | undefined = people.slice(batch * BATCH, (batch + 1) * BATCH).map((person) => ({
      PutRequest: {
        Item: {
          ...npsPersonKey(person.id),
          user_id: person.id,
          last_interaction_at: person.interactedAt,
          kind: NPS_CANDIDATE_KIND,
          gsi_updated: person.interactedAt,
        },
      },
    }));
    while (pending?.length) {
      const result: BatchWriteCommandOutput = await documentClient().send(
        new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
      );
      pending = result.UnprocessedItems?.[table];
    }
  });
  const inWindow = people.filter((person) => person.interactedAt >= windowStart);
  await inParallel(inWindow.length, async (index) => {
    const id = inWindow[index]?.id ?? 0;
    await createUser(
      buildUser(
        { name: `Customer ${id}`, email: `customer${id}@bench.test`, role: 'end-user' },
        id,
        createdAt,
      ),
    );
  });
  const seedMs = performance.now() - seedStart;
  await updateNpsSettings({ enabled: true, daily_cap: dailyCap });

  const recorder = recordDocumentClient(documentClient());
  const started = performance.now();
  const { result, calls } = await recorder.record(() =>
    selectNpsRecipients({ nowMs: now, random: Math.random }),
  );
  const elapsedMs = performance.now() - started;
  if (calls.some((call) => call.command === 'ScanCommand'))
    throw new Error('The NPS selection scanned a table');
  const totals = capacityTotals(calls);
  return {
    users,
    candidates: result.candidates,
    queued: result.queued.length,
    seedMs,
    elapsedMs,
    byCommand: byCommand(calls),
    readUnits: totals.readUnits,
    writeUnits: totals.writeUnits,
  };
};
