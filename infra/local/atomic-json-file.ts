/**
 * A JSON file replaced atomically (temp file + rename), so a crash mid-write leaves the previous
 * version, never a torn one. Writes are serialized and coalesced: callers that ask while a write is
 * running share the next write, which always carries the latest state.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class AtomicJsonFile<T> {
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    readonly path: string,
    private readonly snapshot: () => T,
  ) {}

  async read(): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Resolves once a write that includes the state at the time of the call is on disk. */
  save(): Promise<void> {
    this.dirty = true;
    const next = this.chain.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${randomUUID()}.tmp`;
      await writeFile(temporary, JSON.stringify(this.snapshot()));
      await rename(temporary, this.path);
    });
    // A failed write must not poison later ones; its own caller still sees the rejection.
    this.chain = next.catch(() => {});
    return next;
  }
}
