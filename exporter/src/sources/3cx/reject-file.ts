import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rejected {
  reason: string;
  detail: string;
  /** where the input came from: `tcp:10.0.0.5:51234`, `file:/var/…/cdr.log@1024`, `db:cdroutput/<call_history_id>` */
  origin: string;
  /** the line or row as received */
  input: string;
}

/**
 * Input that could not become a call is kept, one JSON object per line with where it came from, so nothing is
 * silently dropped and a fixed parser can replay it. The file is capped: at `maxBytes` it moves to `<file>.1`
 * (replacing an older one) and a new file starts.
 */
export class RejectFile {
  private size: number;

  constructor(
    readonly path: string,
    private readonly maxBytes = 10 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.size = statSync(path).size;
    } catch {
      this.size = 0;
    }
  }

  write(r: Rejected): void {
    const line = `${JSON.stringify({ at: new Date(this.now()).toISOString(), ...r })}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      renameSync(this.path, `${this.path}.1`);
      this.size = 0;
    }
    appendFileSync(this.path, line);
    this.size += bytes;
  }
}
