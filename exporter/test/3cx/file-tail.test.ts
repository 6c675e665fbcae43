import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdrFileTail, type TailPosition } from '../../src/sources/3cx/cdr-file';
import { FileCheckpoint } from '../../src/sources/3cx/checkpoint';
import { until } from '../ami/harness';
import { tempDir } from '../helpers/tmp';
import { cdrLine } from './cdr-lines';
import { make3cx } from './harness';

/** A tail driven by hand (`poll()`), recording the lines and where they started. */
function tail(dir: string) {
  const path = join(dir, 'cdr.log');
  const lines: string[] = [];
  const origins: string[] = [];
  const rejects: string[] = [];
  const t = new CdrFileTail(
    { path, pollMs: 60_000, maxLineBytes: 200 },
    {
      line: (text, origin) => {
        lines.push(text);
        origins.push(origin);
      },
      oversized: (bytes) => rejects.push(`oversized ${bytes}`),
      truncated: (text) => rejects.push(`truncated ${text}`),
    },
    new FileCheckpoint<TailPosition>(join(dir, 'tail.json')),
  );
  return { t, path, lines, origins, rejects };
}

describe('3CX CDR file tail', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('sb-3cx-tail-')));
  afterEach(() => tmp.cleanup());

  it('reads whole lines only; a line finished later is read once, with its byte offset', async () => {
    const a = tail(tmp.dir);
    writeFileSync(a.path, 'A\r\nB\n');
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B']);
    expect(a.origins).toEqual([`file:${a.path}@0`, `file:${a.path}@3`]);
    appendFileSync(a.path, 'C-par');
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B']);
    appendFileSync(a.path, 'tial\nD\n');
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B', 'C-partial', 'D']);
    await a.t.stop();
  });

  it('rotation while running: the old file is read to its end, then the new one from its start', async () => {
    const a = tail(tmp.dir);
    writeFileSync(a.path, 'A\n');
    await a.t.poll();
    appendFileSync(a.path, 'B\nC-unterminated');
    renameSync(a.path, `${a.path}.1`);
    writeFileSync(a.path, 'D\n');
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B', 'C-unterminated', 'D']);
    await a.t.stop();
  });

  it('restart: resumes at the saved offset, finishing a file rotated while it was down, and a half line written before', async () => {
    const a = tail(tmp.dir);
    writeFileSync(a.path, 'A\nB\nC-half');
    await a.t.poll();
    await a.t.stop();
    expect(a.lines).toEqual(['A', 'B']);

    appendFileSync(a.path, '-done\nD\n');
    const b = tail(tmp.dir);
    await b.t.poll();
    expect(b.lines).toEqual(['C-half-done', 'D']);
    await b.t.stop();

    // down again; meanwhile the PBX writes one more line, rotates, and starts a new file
    appendFileSync(b.path, 'E\n');
    renameSync(b.path, join(tmp.dir, 'cdr-2026-03-02.log'));
    writeFileSync(b.path, 'F\n');
    const c = tail(tmp.dir);
    await c.t.poll();
    expect(c.lines).toEqual(['E', 'F']);
    await c.t.stop();

    // and nothing is read twice
    const d = tail(tmp.dir);
    await d.t.poll();
    expect(d.lines).toEqual([]);
    await d.t.stop();
  });

  it('truncated in place (copy-truncate): starts over at the beginning', async () => {
    const a = tail(tmp.dir);
    writeFileSync(a.path, 'A\nB\n');
    await a.t.poll();
    truncateSync(a.path, 0);
    appendFileSync(a.path, 'C\n');
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B', 'C']);
    // rewritten past the old offset before we looked: the first bytes changed
    truncateSync(a.path, 0);
    appendFileSync(a.path, 'DDDDDD\nEEEEEE\n');
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B', 'C', 'DDDDDD', 'EEEEEE']);
    await a.t.stop();
    // and after a restart too
    truncateSync(a.path, 0);
    appendFileSync(a.path, 'FFFFFFFFFFFFFFFF\n');
    const b = tail(tmp.dir);
    await b.t.poll();
    expect(b.lines).toEqual(['FFFFFFFFFFFFFFFF']);
    await b.t.stop();
  });

  it('a line without a newline for longer than the limit is reported once and skipped, not buffered', async () => {
    const a = tail(tmp.dir);
    writeFileSync(a.path, `A\n${'x'.repeat(500)}`);
    await a.t.poll();
    appendFileSync(a.path, `${'y'.repeat(300)}\nB\n`);
    await a.t.poll();
    expect(a.lines).toEqual(['A', 'B']);
    expect(a.rejects).toEqual(['oversized 500']);
    await a.t.stop();
  });

  it('the source in file mode: calls across rotation and restart, each exactly once', async () => {
    const path = join(tmp.dir, 'cdr.log');
    const line = (n: number): string =>
      cdrLine({
        historyid: `Call ${n}`,
        'time-start': '2026/03/02 09:00:00',
        'time-end': '2026/03/02 09:00:20',
        'from-no': 'Ext.101',
        'to-no': 'Ext.102',
        'from-type': 'Extension',
        'to-type': 'Extension',
      });
    writeFileSync(path, `${line(1)}\r\n${line(2)}\r\n`);
    const first = make3cx({ mode: 'file', file: { path, pollSeconds: 0.05 } }, tmp.dir);
    await first.start();
    expect(first.status).toEqual(['up']);
    await until(() => first.records.length === 2 || undefined, 'the two calls already in the file');
    expect(first.records.map((r) => r.id)).toEqual(['pbx3-1', 'pbx3-2']);
    appendFileSync(path, `${line(3)}\r\n`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${line(4)}\r\n`);
    await until(() => first.records.length === 4 || undefined, 'the rotated and the new file');
    await first.stop();

    appendFileSync(path, `${line(4)}\r\n${line(5)}\r\n`); // 3CX re-wrote call 4 after its own restart
    const second = make3cx({ mode: 'file', file: { path, pollSeconds: 0.05 } }, tmp.dir);
    await second.start();
    await until(() => second.records.length === 1 || undefined, 'the call written while we were down');
    expect(second.records.map((r) => r.id)).toEqual(['pbx3-5']);
    await second.stop();
  });

  it('a missing file is an outage with its path; the file appearing ends it', async () => {
    const path = join(tmp.dir, 'later.log');
    const r = make3cx({ mode: 'file', file: { path, pollSeconds: 0.05 } }, tmp.dir);
    await r.start();
    expect(r.status).toEqual([`down: CDR file ${path} not found`]);
    writeFileSync(path, '');
    await until(() => r.status.length === 2 || undefined, 'up once the file exists');
    expect(r.status[1]).toBe('up');
    await r.stop();
  });
});
