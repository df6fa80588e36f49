/**
 * The local runtime's movable clock: `POST /_local/clock` advances every function's "now" (and the
 * scheduler's) so automations, SLA timers and survey delays can be exercised without waiting. Time
 * only moves forward, and the offset is kept in the data folder: a restart must not send the clock
 * back behind the timestamps already written.
 */
import { join } from 'node:path';
import { clockOffset, nowTimestamp, setClockOffset } from '../../shared/domain/clock.ts';
import { AtomicJsonFile } from './atomic-json-file.ts';

interface ClockState {
  offset_ms: number;
}

const MINUTE_MS = 60_000;

export interface ClockReading {
  now: string;
  offset_minutes: number;
}

export class LocalClock {
  private constructor(private readonly file: AtomicJsonFile<ClockState>) {}

  static async open(dataDir: string): Promise<LocalClock> {
    const file = new AtomicJsonFile<ClockState>(join(dataDir, 'clock.json'), () => ({
      offset_ms: clockOffset(),
    }));
    setClockOffset((await file.read())?.offset_ms ?? 0);
    return new LocalClock(file);
  }

  read(): ClockReading {
    return { now: nowTimestamp(), offset_minutes: clockOffset() / MINUTE_MS };
  }

  async advance(minutes: number): Promise<ClockReading> {
    setClockOffset(clockOffset() + minutes * MINUTE_MS);
    await this.file.save();
    return this.read();
  }
}
