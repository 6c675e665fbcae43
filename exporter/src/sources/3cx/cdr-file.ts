import { EventEmitter } from 'node:events';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CdrInput } from './cdr-input';
import type { Checkpoint } from './checkpoint';
import { PollLoop } from './poll-loop';

/** Where the tail stands: the file (by inode, which survives a rename) and the byte after the last whole line. */
export interface TailPosition {
  dev: number;
  ino: number;
  offset: number;
  /** the file's first bytes (hex, up to HEAD_BYTES): a file truncated and rewritten past the offset has other ones */
  head?: string;
}

export interface CdrFileTailOptions {
  path: string;
  pollMs: number;
  maxLineBytes?: number;
}

export interface CdrFileTailEvents {
  opened: [path: string, offset: number];
  missing: [path: string];
  rotated: [path: string];
  failed: [reason: string];
}

interface Open {
  fh: FileHandle;
  dev: number;
  ino: number;
  offset: number;
  head: string;
  pending: Buffer;
  skipping: boolean;
  name: string;
}

const NL = 0x0a;
const CHUNK = 64 * 1024;
const HEAD_BYTES = 64;

async function headOf(fh: FileHandle): Promise<string> {
  const buf = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
  return buf.subarray(0, bytesRead).toString('hex');
}

/**
 * "Single file" CDR output: 3CX appends one line per finished call to `cdr.log`. The tail polls the file, reads
 * only whole lines and remembers the byte after the last one (with the file's inode) in its checkpoint, so:
 * - after a restart it resumes exactly there, and a line half-written at the crash is read once it is whole;
 * - when the file is rotated (renamed away, a new one created) the old file is read to its end first — also after a
 *   restart, by finding the remembered inode among the files next to it — then the new one from its start;
 * - when the file is truncated in place (copy-truncate) it starts over at 0 — also when it has meanwhile grown past
 *   the old offset again, which its first bytes having changed gives away.
 */
export class CdrFileTail extends EventEmitter<CdrFileTailEvents> {
  private cur?: Open;
  private readonly loop: PollLoop<void>;
  private wasMissing = false;

  constructor(
    private readonly opts: CdrFileTailOptions,
    private readonly input: CdrInput,
    private readonly position: Checkpoint<TailPosition>,
  ) {
    super();
    // a failed pass is reported, and the next one comes at the usual interval
    const pass = (): Promise<void> => this.tick().catch((err: Error) => void this.emit('failed', err.message));
    this.loop = new PollLoop(pass, () => opts.pollMs);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.cur?.fh.close();
    this.cur = undefined;
    this.position.flush();
  }

  /** Read what is there now (tests and the first start use it to avoid waiting a poll interval). */
  poll(): Promise<void> {
    return this.loop.poll();
  }

  private async tick(): Promise<void> {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(this.opts.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // renamed away and not yet recreated: whatever the old file still holds is ours
      if (this.cur) await this.readAll(this.cur);
      if (!this.wasMissing) this.emit('missing', this.opts.path);
      this.wasMissing = true;
      return;
    }
    this.wasMissing = false;
    if (!this.cur) {
      const saved = this.position.load();
      if (saved && (saved.ino !== st.ino || saved.dev !== st.dev)) await this.drainRotated(saved);
      const same = saved && saved.ino === st.ino && saved.dev === st.dev && saved.offset <= st.size;
      this.cur = await this.openAt(this.opts.path, st.dev, st.ino, same ? saved.offset : 0);
      if (same && saved.head !== undefined && !(await this.sameHead(this.cur, saved.head))) this.restart(this.cur);
      else if (same && saved.head !== undefined) this.cur.head = saved.head;
    } else if (st.ino !== this.cur.ino || st.dev !== this.cur.dev) {
      await this.readAll(this.cur, true);
      await this.cur.fh.close();
      this.emit('rotated', this.opts.path);
      this.cur = await this.openAt(this.opts.path, st.dev, st.ino, 0);
    } else if (
      st.size < this.cur.offset ||
      (st.size !== this.cur.offset && !(await this.sameHead(this.cur, this.cur.head)))
    ) {
      this.restart(this.cur);
    }
    await this.readAll(this.cur);
  }

  /** Do the file's first bytes still read as they did when we passed them? (Unknown head: assume so.) */
  private async sameHead(o: Open, head: string): Promise<boolean> {
    if (!head) return true;
    const now = await headOf(o.fh);
    return now.slice(0, head.length) === head;
  }

  private restart(o: Open): void {
    o.offset = 0;
    o.head = '';
    o.pending = Buffer.alloc(0);
    o.skipping = false;
    this.save(o);
  }

  private async openAt(path: string, dev: number, ino: number, offset: number): Promise<Open> {
    const fh = await open(path, 'r');
    const o: Open = { fh, dev, ino, offset, head: '', pending: Buffer.alloc(0), skipping: false, name: path };
    this.emit('opened', path, offset);
    return o;
  }

  /** The file we were reading before a restart was rotated meanwhile: finish it if it is still next to the new one. */
  private async drainRotated(saved: TailPosition): Promise<void> {
    const dir = dirname(this.opts.path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === basename(this.opts.path)) continue;
      const full = join(dir, name);
      const st = await stat(full).catch(() => undefined);
      if (!st?.isFile() || st.ino !== saved.ino || st.dev !== saved.dev) continue;
      if (saved.offset > st.size) return;
      const old = await this.openAt(full, st.dev, st.ino, saved.offset);
      try {
        await this.readAll(old, true);
      } finally {
        await old.fh.close();
      }
      return;
    }
  }

  /**
   * Reads from the offset to the end. Only whole lines are handed over and only their end is saved; `finished`
   * (a rotated file, which will not grow) also hands over a last line that has no newline.
   */
  private async readAll(o: Open, finished = false): Promise<void> {
    const max = this.opts.maxLineBytes ?? 64 * 1024;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const readAt = o.offset + o.pending.length;
      const { bytesRead } = await o.fh.read(buf, 0, CHUNK, readAt);
      if (bytesRead === 0) break;
      let data = o.pending.length
        ? Buffer.concat([o.pending, buf.subarray(0, bytesRead)])
        : Buffer.from(buf.subarray(0, bytesRead));
      let lineStart = o.offset;
      for (let nl = data.indexOf(NL); nl !== -1; nl = data.indexOf(NL)) {
        const line = data.subarray(0, nl);
        if (o.skipping) {
          o.skipping = false;
        } else if (line.length > max) {
          this.input.oversized(line.length, `file:${o.name}@${lineStart}`);
        } else {
          const text = line.toString('utf8').replace(/\r$/, '');
          if (text.trim()) this.input.line(text, `file:${o.name}@${lineStart}`);
        }
        lineStart += nl + 1;
        data = data.subarray(nl + 1);
      }
      o.offset = lineStart;
      if (data.length > max) {
        // no newline in sight: count it once, then skip to the next newline without buffering it all
        if (!o.skipping) this.input.oversized(data.length, `file:${o.name}@${lineStart}`);
        o.skipping = true;
        o.offset += data.length;
        data = Buffer.alloc(0);
      }
      o.pending = Buffer.from(data);
      if (o.head.length < HEAD_BYTES * 2) o.head = await headOf(o.fh);
      this.save(o);
    }
    if (finished && o.pending.length && !o.skipping) {
      const text = o.pending.toString('utf8').replace(/\r$/, '');
      if (text.trim()) this.input.line(text, `file:${o.name}@${o.offset}`);
      o.offset += o.pending.length;
      o.pending = Buffer.alloc(0);
      this.save(o);
    }
  }

  private save(o: Open): void {
    this.position.save({ dev: o.dev, ino: o.ino, offset: o.offset, head: o.head });
  }
}
