import { canonicalHeader } from './headers';
import type { AmiMessage } from './messages';

/**
 * The AMI v2 wire format, read incrementally: `Key: Value` lines ended by CRLF (a bare LF is accepted too), a blank
 * line ends a frame. Frame text only ever becomes values in a null-prototype object: it never names an emitter event
 * and never reaches a property path. Every frame that cannot be used is reported and skipped, and the reader never
 * holds more than one bounded frame: an oversized frame is skipped up to its blank line, an unterminated legacy
 * `Response: Follows` is given up after `maxFollowsBytes` (or when the transport's timer calls `abandonFollows()`),
 * and its bytes are read again as ordinary frames so nothing after it is lost.
 */
export interface FrameSink {
  frame(msg: AmiMessage): void;
  reject(reason: string, detail: string): void;
  /** a `Response: Follows` body began (true) or ended (false): the transport bounds it in time */
  follows?(open: boolean): void;
}

export interface FrameLimits {
  /** bytes of one ordinary frame; more is counted as `oversized frame` and skipped */
  maxFrameBytes?: number;
  /** bytes of one `Response: Follows` body before it is given up */
  maxFollowsBytes?: number;
  /**
   * Whether an action of ours with this ActionID still waits for its answer. Only an answer to our own action can be
   * a Follows body: a `Response: Follows` naming no such action is a stray frame, skipped at once, not a body that
   * holds back every frame after it until its limits run out (a fuzzed stream of them stalled a real call for minutes).
   */
  awaits?: (actionId: string) => boolean;
}

const GREETING = 'Asterisk Call Manager';
const FOLLOWS_END = new Set(['--END COMMAND--', '--END SMS EVENT--']);
const DETAIL_CHARS = 200;

/**
 * A copy of `s` that keeps nothing else alive. V8 makes a substring of 13 characters or more a view into the string it
 * was cut from, here the socket's whole chunk: a Uniqueid a leg keeps, or a key this file caches, would hold its 64 KiB
 * to 1 MiB chunk for as long as it lives (heap snapshots of the fuzz run found 37 MiB of chunks held by cached keys,
 * and every leg, bridge and queue caller holding one). Shorter substrings are copies already.
 */
const own = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));

/** raw key → canonical spelling, bounded so a stream of invented keys cannot grow it */
const keyCache = new Map<string, string>();
const KEY_CACHE_MAX = 4096;

function headerName(raw: string): string {
  const hit = keyCache.get(raw);
  if (hit !== undefined) return hit;
  // Asterisk's keys carry no spaces; a space in one is the sender's typo, as asterisk-manager treated it
  const name = canonicalHeader(raw.replace(/\s+/g, '').toLowerCase());
  if (keyCache.size < KEY_CACHE_MAX && raw.length <= 64) keyCache.set(own(raw), own(name));
  return name;
}

type Mode = 'frame' | 'skip' | 'follows';

export class FrameReader {
  private readonly maxFrameBytes: number;
  private readonly maxFollowsBytes: number;
  private rest = '';
  private mode: Mode = 'frame';
  /** the bytes dropped by the oversize check ended inside a line: the next line read is that line's tail */
  private midLine = false;

  private headers: AmiMessage = Object.create(null) as AmiMessage;
  private headerCount = 0;
  private frameBytes = 0;
  private badLine?: string;

  private followsLines: string[] = [];
  private followsBytes = 0;
  private followsEnded = false;
  /** still in the head of a Follows (Privilege, ActionID), before its raw output */
  private followsHead = false;
  private readonly awaits: (actionId: string) => boolean;

  constructor(
    private readonly sink: FrameSink,
    limits: FrameLimits = {},
  ) {
    this.maxFrameBytes = limits.maxFrameBytes ?? 1024 * 1024;
    this.maxFollowsBytes = limits.maxFollowsBytes ?? 1024 * 1024;
    this.awaits = limits.awaits ?? (() => true);
  }

  get inFollows(): boolean {
    return this.mode === 'follows';
  }

  /** Feeds decoded text (the socket's UTF-8 decoder keeps multi-byte characters whole across chunks). */
  push(chunk: string): void {
    const buf = this.rest.length ? this.rest + chunk : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0) break;
      const end = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const line = buf.slice(pos, end);
      pos = nl + 1;
      this.line(line);
    }
    this.rest = pos === 0 ? buf : buf.slice(pos);
    // a line that never ends must not grow without bound either
    const limit = this.mode === 'follows' ? this.maxFollowsBytes - this.followsBytes : this.maxFrameBytes - this.frameBytes;
    if (this.rest.length > limit) {
      const dropped = this.rest.length;
      this.rest = '';
      this.midLine = true;
      if (this.mode === 'follows') this.abandonFollows(`more than ${this.maxFollowsBytes} bytes without its end marker`);
      else if (this.mode === 'frame') {
        this.oversized(this.frameBytes + dropped);
        this.mode = 'skip';
      }
    }
  }

  /** Gives up an unterminated `Response: Follows`: reported once, its lines read again as ordinary frames. */
  abandonFollows(why = 'no end marker in time'): void {
    if (this.mode !== 'follows') return;
    const lines = this.followsLines;
    this.endFollows();
    this.sink.reject('unterminated Follows', why);
    // the Follows head ended at its first blank line; whatever came after it may be real frames
    const blank = lines.indexOf('');
    if (blank < 0) return;
    for (let i = blank + 1; i < lines.length; i++) this.line(lines[i]);
  }

  private line(line: string): void {
    if (this.midLine) {
      this.midLine = false;
      return;
    }
    if (this.mode === 'follows') return this.followsLine(line);
    if (this.mode === 'skip') {
      if (line === '') this.mode = 'frame';
      return;
    }
    if (line === '') {
      if (this.headerCount > 0) this.finish();
      return;
    }
    if (this.headerCount === 0 && this.badLine === undefined && line.startsWith(GREETING)) return;
    this.frameBytes += line.length + 2;
    if (this.frameBytes > this.maxFrameBytes) {
      this.oversized(this.frameBytes);
      this.mode = 'skip';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      this.badLine ??= line;
      this.headerCount++;
      return;
    }
    const key = headerName(line.slice(0, colon));
    const value = own(line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1));
    if (this.headerCount === 0 && key === 'Response' && value.toLowerCase() === 'follows') {
      this.startFollows(line);
      return;
    }
    const prev = this.headers[key];
    // repeated keys (Variable, ChanVariable, Output) keep every value, one per line
    this.headers[key] = prev === undefined ? value : `${prev}\n${value}`;
    this.headerCount++;
  }

  private finish(): void {
    const msg = this.headers;
    const bad = this.badLine;
    this.reset();
    if (msg.Event === undefined && msg.Response === undefined) {
      this.sink.reject('frame without Event or Response', (bad ?? JSON.stringify(msg)).slice(0, DETAIL_CHARS));
    } else if (bad !== undefined) {
      this.sink.reject('bad header line', bad.slice(0, DETAIL_CHARS));
    } else this.sink.frame(msg);
  }

  private oversized(bytes: number): void {
    this.reset();
    this.sink.reject('oversized frame', `${bytes} bytes without a frame end (limit ${this.maxFrameBytes})`);
  }

  private reset(): void {
    this.headers = Object.create(null) as AmiMessage;
    this.headerCount = 0;
    this.frameBytes = 0;
    this.badLine = undefined;
  }

  // ---- legacy `Response: Follows` (Command output before Asterisk 14): raw lines up to `--END COMMAND--` ----------

  private startFollows(first: string): void {
    this.reset();
    this.mode = 'follows';
    this.followsLines = [first];
    this.followsBytes = first.length + 2;
    this.followsEnded = false;
    this.followsHead = true;
    this.sink.follows?.(true);
  }

  private followsLine(line: string): void {
    if (this.followsHead && !/^privilege:/i.test(line)) {
      this.followsHead = false;
      const id = /^actionid:\s*(.*)$/i.exec(line)?.[1].trim();
      if (id === undefined || !this.awaits(id)) return this.unsolicited(line, id);
    }
    if (this.followsEnded) {
      if (line !== '') return; // text between the end marker and the blank line belongs to nobody
      const lines = this.followsLines;
      this.endFollows();
      const msg = Object.create(null) as AmiMessage;
      msg.Response = 'Follows';
      const id = lines.find((l) => /^actionid:/i.test(l));
      if (id !== undefined) msg.ActionID = id.slice(id.indexOf(':') + 1).trim();
      msg.Output = lines.slice(1).filter((l) => !/^(actionid|privilege):/i.test(l)).join('\n');
      this.sink.frame(msg);
      return;
    }
    if (FOLLOWS_END.has(line)) {
      this.followsEnded = true;
      return;
    }
    this.followsLines.push(line);
    this.followsBytes += line.length + 2;
    if (this.followsBytes > this.maxFollowsBytes) this.abandonFollows(`more than ${this.maxFollowsBytes} bytes without its end marker`);
  }

  /** A Follows head that answers no action of ours: counted, skipped to its blank line, the stream read on. */
  private unsolicited(line: string, id: string | undefined): void {
    this.endFollows();
    this.sink.reject('unsolicited Follows', id === undefined ? 'no ActionID' : `ActionID ${id.slice(0, DETAIL_CHARS)} awaits no answer`);
    this.mode = line === '' ? 'frame' : 'skip';
  }

  private endFollows(): void {
    this.mode = 'frame';
    this.followsLines = [];
    this.followsBytes = 0;
    this.followsEnded = false;
    this.followsHead = false;
    this.sink.follows?.(false);
  }
}
