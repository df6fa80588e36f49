/**
 * Local-only control endpoints on the runtime's HTTP port, for tests and demos; they exist in no
 * deployment (not in the topology, not in API Gateway):
 * - `GET /_local/clock` → `{clock: {now, offset_minutes}}`
 * - `POST /_local/clock` `{"advance_minutes": N}` → the clock after moving it N minutes forward
 * - `POST /_local/schedules/{name}/run` → runs that topology schedule now; answers once it finished
 */
import * as z from 'zod';
import { toTimestamp } from '../../shared/domain/clock.ts';
import type { ClockReading } from './local-clock.ts';
import type { ScheduleRun } from './scheduler.ts';

export const LOCAL_CONTROL_PREFIX = '/_local/';

/** What the endpoints act on: the runtime's clock and scheduler. */
export interface LocalControlTargets {
  clock: { read(): ClockReading; advance(minutes: number): Promise<ClockReading> };
  scheduler: { runNow(name: string): Promise<ScheduleRun> };
}

export interface ControlReply {
  statusCode: number;
  body: unknown;
}

/** A year: far enough for any timer, small enough to keep timestamps sane. */
const MAX_ADVANCE_MINUTES = 366 * 24 * 60;

const advanceRequest = z.object({
  advance_minutes: z.number().int().min(0).max(MAX_ADVANCE_MINUTES),
});

const SCHEDULE_RUN_PATH = /^\/_local\/schedules\/([^/]+)\/run$/;

const invalid = (description: string): ControlReply => ({
  statusCode: 400,
  body: { error: 'InvalidRequest', description },
});

const notFound = (description: string): ControlReply => ({
  statusCode: 404,
  body: { error: 'InvalidEndpoint', description },
});

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
};

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export const handleLocalControl = async (
  targets: LocalControlTargets,
  method: string,
  path: string,
  body: Buffer,
): Promise<ControlReply> => {
  if (path === '/_local/clock' && method === 'GET') {
    return { statusCode: 200, body: { clock: targets.clock.read() } };
  }
  if (path === '/_local/clock' && method === 'POST') {
    const parsed = advanceRequest.safeParse(parseJson(body));
    if (!parsed.success) {
      return invalid(`advance_minutes must be a whole number of minutes from 0 to ${MAX_ADVANCE_MINUTES}`);
    }
    return { statusCode: 200, body: { clock: await targets.clock.advance(parsed.data.advance_minutes) } };
  }
  const scheduleName = SCHEDULE_RUN_PATH.exec(path)?.[1];
  if (scheduleName !== undefined && method === 'POST') {
    const name = safeDecode(scheduleName);
    const run = await targets.scheduler.runNow(name);
    if (!run.ran) return notFound(`No schedule named ${name} in the topology`);
    const ranAt = toTimestamp(new Date(run.startedAt));
    if (run.error !== undefined) {
      const description = run.error instanceof Error ? run.error.message : String(run.error);
      return {
        statusCode: 500,
        body: { error: 'ScheduleFailed', description, schedule: name, ran_at: ranAt },
      };
    }
    return { statusCode: 200, body: { schedule: name, ran_at: ranAt } };
  }
  return notFound('Not found');
};
