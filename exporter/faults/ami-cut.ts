import { join } from 'node:path';
import { rng } from '../bench/ingest/synth';
import { committed, DayPbx, dayFrames, differs, handled, readDb, settled, stillOpen, summarize } from './lib/day';
import { exporterYaml, startExporter } from './lib/exporter';
import { amiSource } from './lib/pbx';
import { reference } from './lib/reference';
import { randomPoints } from './lib/random';
import { row, type Scenario } from './lib/scenario';

export const amiCut: Scenario = {
  name: 'ami-cut',
  title: 'the AMI connection cut mid-frame at random points of a replayed day: every call as in an uninterrupted run, one closed gap per cut',
  async run({ full, dir, log }) {
    const frames = dayFrames(full ? 100_000 : 15_000);
    const cuts = full ? 100 : 8;
    log(`${frames.length.toLocaleString('en')} frames; reference run`);
    const ref = await reference(frames, dir);
    const random = rng(101);
    const points = randomPoints(random, cuts, frames.length);
    const pbx = await DayPbx.start(frames);
    const db = join(dir, 'cut.db');
    const ex = await startExporter(exporterYaml(db, ['sources:', amiSource('day', pbx.port)]), dir);
    const cutAt: number[] = [];
    try {
      for (const [i, k] of points.entries()) {
        pbx.resumeTo(k);
        await pbx.paused();
        // every frame before the cut handled, so the comparison is about the cut, not about frames never sent
        if (!(await handled(ex.url, 'day', k))) throw new Error(`frames before cut ${i + 1} not handled`);
        pbx.stopAt = points[i + 1] ?? Infinity;
        cutAt.push(Date.now());
        pbx.cut(Math.floor(random() * 200));
        if (i % 10 === 9) log(`${i + 1} cuts`);
      }
      pbx.resumeTo(Infinity);
      await pbx.paused();
      if (!(await handled(ex.url, 'day', frames.length))) throw new Error('the day was not handled to its end');
      // the last cut's gap is queued with the frames after it: read the database once the queue is empty, or a day
      // that ends with no call open is read before that gap is committed (99 gaps, 0 open, in one loaded run)
      if (!(await committed(ex.url))) throw new Error('the write queue did not empty');
      const calls = await settled(db);
      const { gaps } = readDb(db);
      const warnings = ex.logs().filter((l) => /"level":(40|50|60)/.test(l));
      await ex.stop();
      const lost = [...ref.keys()].filter((id) => !calls.has(id));
      const changed = [...ref.values()].flatMap((r) => {
        const c = calls.get(r.id);
        const d = c && differs(r, c);
        return d ? [{ id: r.id, what: d }] : [];
      });
      const invented = [...calls.keys()].filter((id) => !ref.has(id));
      const sourceGaps = gaps.filter((g) => g.kind === 'source' && g.pbx === 'day');
      const openGaps = sourceGaps.filter((g) => g.ended_at === null).length;
      const open = stillOpen(calls);
      return [
        row('ami-cut', 'calls still open after the day ended and settled', calls.size, `${open.length} open${open.length ? ` (e.g. ${open[0].id}, started ${new Date(open[0].started_at).toISOString()})` : ''}`, open.length === 0),
        row('ami-cut', 'calls of the day lost / invented', `${ref.size} calls, ${cuts} cuts`, `${lost.length} lost, ${invented.length} invented${invented.length ? ` (${invented.slice(0, 2).join(', ')})` : ''}`, lost.length === 0 && invented.length === 0),
        row('ami-cut', 'calls reconstructed exactly (status, times, numbers)', ref.size, summarize(changed), changed.length === 0),
        row('ami-cut', 'one gap per cut, each closed', cuts, `${sourceGaps.length} gaps, ${openGaps} open${gapless(cutAt, sourceGaps, warnings)}`, sourceGaps.length === cuts && openGaps === 0),
      ];
    } finally {
      await ex.stop();
      await pbx.close();
    }
  },
};

/**
 * When cuts and gaps do not pair up: which cuts began no gap of their own (none started between the cut and the
 * next one), and what the exporter warned about, so a failure of a long run can be read without running it again.
 */
function gapless(cutAt: number[], gaps: { started_at: number }[], warnings: string[]): string {
  if (gaps.length === cutAt.length) return '';
  const starts = gaps.map((g) => g.started_at);
  const missing = cutAt.flatMap((t, i) => {
    const until = cutAt[i + 1] ?? Infinity;
    return starts.some((s) => s >= t && s < until) ? [] : [`cut ${i + 1} at ${new Date(t).toISOString()}`];
  });
  const said = [...new Set(warnings.map((l) => /"msg":"([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 80)))];
  return `; no gap of its own: ${missing.slice(0, 3).join(', ') || 'none found'}; exporter warned: ${said.slice(0, 4).join(' | ') || 'nothing'}`;
}
