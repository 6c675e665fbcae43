import { StringDecoder } from 'node:string_decoder';

export interface LineSink {
  line(text: string): void;
  /** a line longer than the limit: dropped up to its newline, reported once */
  oversized(bytes: number): void;
}

/**
 * Bytes → CDR lines, for sockets and files alike. 3CX sends one record per line (CRLF on Windows); in
 * one-record-per-connection mode the last record may end with the connection instead of a newline, which `end()`
 * flushes. UTF-8 is decoded across chunk boundaries so a name split between two TCP segments stays whole.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private skipping = false;
  private skipped = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  /** The stream ended: whatever is left is the last record. */
  end(): void {
    this.feed(this.decoder.end());
    if (this.skipping) this.finishSkip();
    else if (this.pending.trim()) this.sink.line(this.pending.replace(/\r$/, ''));
    this.pending = '';
  }

  /** The connection broke mid-record: hand back the unfinished line instead of treating it as a record. */
  leftover(): string {
    const rest = this.skipping ? '' : this.pending + this.decoder.end();
    this.pending = '';
    this.skipping = false;
    this.skipped = 0;
    return rest.trim() ? rest : '';
  }

  private feed(text: string): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const piece = text.slice(from, nl);
      from = nl + 1;
      if (this.skipping) {
        this.skipped += Buffer.byteLength(piece);
        this.finishSkip();
        continue;
      }
      const line = (this.pending + piece).replace(/\r$/, '');
      this.pending = '';
      if (Buffer.byteLength(line) > this.maxLineBytes) this.sink.oversized(Buffer.byteLength(line));
      else if (line.trim()) this.sink.line(line);
    }
    const rest = text.slice(from);
    if (this.skipping) this.skipped += Buffer.byteLength(rest);
    else {
      this.pending += rest;
      if (Buffer.byteLength(this.pending) > this.maxLineBytes) {
        this.skipping = true;
        this.skipped = Buffer.byteLength(this.pending);
        this.pending = '';
      }
    }
  }

  private finishSkip(): void {
    this.sink.oversized(this.skipped);
    this.skipping = false;
    this.skipped = 0;
  }
}
