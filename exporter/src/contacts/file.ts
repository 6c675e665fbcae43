import { readFileSync, statSync, type Stats } from 'node:fs';
import { extname } from 'node:path';
import type { Logger } from 'pino';
import { fromCsv, fromVcard, type Directory } from './directory';

/** Reads a contacts file by its extension: .vcf / .vcard as vCard, anything else as CSV. */
export function loadContactsFile(path: string, region?: string): { directory: Directory; skipped: number } {
  const text = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  return ext === '.vcf' || ext === '.vcard' ? fromVcard(text, region) : fromCsv(text, region);
}

/**
 * A contacts file kept loaded: read at start (a missing or broken file is an error then), re-read when its size or
 * time changes (polled: a file replaced by an editor or a sync job is noticed too). A broken new version is logged
 * and the last good directory stays.
 */
export class WatchedContactsFile {
  private current: Directory;
  /** re-reads that failed (the last good directory stayed) */
  failures = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly opts: { region?: string; log?: Logger; pollMs?: number } = {},
  ) {
    // our own poll, compared with the file as it was before we read it: fs.watchFile compares each look with its own
    // first one, taken a poll after start, so a file changed in between was never re-read
    let loaded = statSync(path);
    this.current = this.read();
    this.timer = setInterval(() => {
      let now: Stats;
      try {
        now = statSync(path);
      } catch {
        return; // gone for a moment (an editor's save-by-rename): keep what was loaded
      }
      if (now.mtimeMs === loaded.mtimeMs && now.size === loaded.size) return;
      loaded = now;
      try {
        this.current = this.read();
      } catch (err) {
        this.failures += 1;
        opts.log?.error({ err, path }, 'contacts file unreadable; keeping the contacts loaded before');
      }
    }, opts.pollMs ?? 2000);
    this.timer.unref();
  }

  get directory(): Directory {
    return this.current;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private read(): Directory {
    const { directory, skipped } = loadContactsFile(this.path, this.opts.region);
    this.opts.log?.info({ path: this.path, contacts: directory.size, skipped }, 'contacts loaded');
    return directory;
  }
}
