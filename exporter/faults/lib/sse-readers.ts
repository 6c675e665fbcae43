/**
 * A child process of the sse scenario: `count` stream clients reading as fast as a browser's EventSource would, and
 * resuming the way it does (after the server's `retry`, with Last-Event-ID) when the exporter drops one. The clients
 * run apart from the fake PBX and from each other's processes, so what the table says about the exporter is not the
 * test process falling behind. The parent asks for a report over IPC (`{ report: seq }`, answered with that seq) and ends it with `close`.
 */
import { request, type ClientRequest } from 'node:http';

export interface ReaderReport {
  /** the request this answers */
  seq: number;
  /** per client: the first id seen (its first snapshot's), the newest id seen; null before any (IPC is JSON) */
  first: (number | null)[];
  last: (number | null)[];
  messages: number;
  /** ids skipped over a resume or within one stream */
  gaps: number;
  duplicates: number;
  /** streams the exporter ended that the client reopened with Last-Event-ID */
  resumes: number;
  /** resumes answered with a fresh snapshot instead of the missed deltas (what was missed had left the buffer) */
  resnapshots: number;
}

const MESSAGE = /(?:^|\n)id: (\d+)\nevent: (\w+)/g;

class Reader {
  first?: number;
  last?: number;
  messages = 0;
  gaps = 0;
  duplicates = 0;
  resumes = 0;
  resnapshots = 0;
  private rest = '';
  private retryMs = 3000;
  private req?: ClientRequest;
  private closing = false;

  constructor(private readonly url: string) {}

  open(): void {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.last !== undefined) headers['Last-Event-ID'] = String(this.last);
    const resuming = this.last !== undefined;
    let firstMessage = true;
    this.rest = '';
    this.req = request(`${this.url}/api/v1/stream`, { agent: false, headers }, (res) => {
      res.setEncoding('latin1');
      res.on('data', (d: string) => {
        const text = this.rest + d;
        const end = text.lastIndexOf('\n\n');
        if (end < 0) {
          this.rest = text;
          return;
        }
        this.rest = text.slice(end + 2);
        const block = text.slice(0, end);
        const retry = /(?:^|\n)retry: (\d+)/.exec(block);
        if (retry) this.retryMs = Number(retry[1]);
        for (const m of block.matchAll(MESSAGE)) {
          const id = Number(m[1]);
          if (m[2] === 'snapshot') {
            // a snapshot stands for everything up to its id: on a resume that means what was missed is gone
            if (resuming && firstMessage) this.resnapshots++;
            if (this.first === undefined) this.first = id;
            if (this.last !== undefined && id > this.last) this.gaps += id - this.last;
            this.last = this.last === undefined ? id : Math.max(this.last, id);
          } else {
            if (this.last === undefined) this.first = id;
            else if (id <= this.last) this.duplicates++;
            else if (id !== this.last + 1) this.gaps += id - this.last - 1;
            if (this.last === undefined || id > this.last) this.last = id;
            this.messages++;
          }
          firstMessage = false;
        }
      });
      res.on('close', () => this.ended());
    });
    this.req.on('error', () => this.ended());
    this.req.end();
  }

  private ended(): void {
    if (this.closing || !this.req) return;
    this.req = undefined;
    this.resumes++;
    setTimeout(() => this.open(), this.retryMs);
  }

  close(): void {
    this.closing = true;
    this.req?.destroy();
  }
}

const [url, count] = [process.argv[2], Number(process.argv[3])];
const readers = Array.from({ length: count }, () => new Reader(url));
for (const r of readers) r.open();

process.on('message', (msg: { report: number } | 'close') => {
  if (msg !== 'close') {
    const report: ReaderReport = {
      seq: msg.report,
      first: readers.map((r) => r.first ?? null),
      last: readers.map((r) => r.last ?? null),
      messages: readers.reduce((a, r) => a + r.messages, 0),
      gaps: readers.reduce((a, r) => a + r.gaps, 0),
      duplicates: readers.reduce((a, r) => a + r.duplicates, 0),
      resumes: readers.reduce((a, r) => a + r.resumes, 0),
      resnapshots: readers.reduce((a, r) => a + r.resnapshots, 0),
    };
    process.send!(report);
  } else {
    for (const r of readers) r.close();
    process.disconnect();
  }
});
