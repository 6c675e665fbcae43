import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where a source keeps its place (file offset, database high-water mark, recent keys) across restarts. */
export interface Checkpoint<T> {
  load(): T | undefined;
  /** remember `value`; written soon, and at the latest by `flush()` */
  save(value: T): void;
  flush(): void;
}

/**
 * A JSON file written whole to a temporary name and renamed over the old one, so a crash leaves either the old or
 * the new checkpoint, never half of one. Saves in one tick are coalesced into one write.
 */
export class FileCheckpoint<T> implements Checkpoint<T> {
  private pending?: { value: T };
  private scheduled = false;

  constructor(private readonly path: string) {}

  load(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      // a checkpoint we cannot read is no checkpoint: start over rather than refuse to start
      return undefined;
    }
  }

  save(value: T): void {
    this.pending = { value };
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (!this.pending) return;
    const { value } = this.pending;
    this.pending = undefined;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, this.path);
  }
}
