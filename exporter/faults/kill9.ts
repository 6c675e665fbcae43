import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rng } from '../bench/ingest/synth';
import { committed, DayPbx, dayFrames, differs, handled, readDb, settled, stillOpen, summarize, type StoredCall } from './lib/day';
import { exporterYaml, startExporter, type Exporter } from './lib/exporter';
import { amiSource } from './lib/pbx';
import { randomPoints } from './lib/random';
import { reference } from './lib/reference';
import { row, type Scenario } from './lib/scenario';

/**
 * kill -9 at random points of a replayed day. At each point the PBX pauses, the exporter has handled every frame sent
 * (so which calls ended before the kill is known) and committed it, and it is killed: calls whose last hangup came
 * within the 2 s grace are still open then. The next exporter starts on the same database and the day goes on where it paused.
 * The finished calls are compared with an uninterrupted run of the same stream.
 */
export const kill9: Scenario = {
  name: 'kill9',
  title: 'kill -9 at random points while a day streams in: finished calls never lost, reopened, duplicated or changed; one closed gap per kill',
  async run({ full, dir, log }) {
    const frames = dayFrames(full ? 100_000 : 15_000);
    const kills = full ? 50 : 4;
    log(`${frames.length.toLocaleString('en')} frames; reference run`);
    const ref = await reference(frames, dir);
    const points = randomPoints(rng(202), kills, frames.length);
    const pbx = await DayPbx.start(frames);
    const db = join(dir, 'kill.db');
    const yaml = exporterYaml(db, ['sources:', amiSource('day', pbx.port)]);
    /** calls stored as finished at some kill, and their truth then */
    const closedAtKill = new Map<string, StoredCall>();
    /** calls whose end the exporter had seen before some kill (their last hangup was handled) */
    const endSeen = new Set<string>();
    let integrity = 0;
    let ex: Exporter | undefined;
    try {
      let base = 0;
      for (const [i, k] of points.entries()) {
        pbx.resumeTo(k);
        ex = await startExporter(yaml, dir);
        await pbx.paused();
        if (!(await handled(ex.url, 'day', k - base))) throw new Error(`frames before kill ${i + 1} not handled`);
        // what was handled is committed (waited for: a fixed sleep only guesses on a loaded machine), well inside the
        // 2 s a call waits after its last hangup: the calls that just ended are still open
        if (!(await committed(ex.url))) throw new Error(`rows before kill ${i + 1} not committed`);
        await ex.kill9();
        const clock = pbx.clock;
        for (const r of ref.values()) if (r.ended_at !== null && r.ended_at <= clock) endSeen.add(r.id);
        for (const c of readDb(db).calls.values()) if (!c.open) closedAtKill.set(c.id, c);
        const check = new Database(db, { readonly: true });
        if (check.pragma('integrity_check', { simple: true }) === 'ok') integrity++;
        check.close();
        base = k;
        if (i % 10 === 9) log(`${i + 1} kills`);
      }
      pbx.resumeTo(Infinity);
      ex = await startExporter(yaml, dir);
      await pbx.paused();
      if (!(await handled(ex.url, 'day', frames.length - base))) throw new Error('the day was not handled to its end');
      const calls = await settled(db);
      await ex.stop();
      const { gaps } = readDb(db);

      const finished = new Set([...endSeen, ...closedAtKill.keys()]);
      const lost = [...finished].filter((id) => !calls.has(id));
      const reopened = [...closedAtKill.values()].filter((c) => {
        const now = calls.get(c.id);
        return now && (now.open || now.ended_at !== c.ended_at || now.status !== c.status);
      });
      const changed = [...endSeen].flatMap((id) => {
        const c = calls.get(id);
        const d = c && differs(ref.get(id)!, c);
        return d ? [{ id, what: d }] : [];
      });
      const invented = [...calls.keys()].filter((id) => !ref.has(id));
      const downtime = gaps.filter((g) => g.kind === 'exporter');
      const openGaps = gaps.filter((g) => g.ended_at === null).length;
      const open = stillOpen(calls);
      return [
        row('kill9', 'calls still open after the day ended and settled', calls.size, `${open.length} open${open.length ? ` (e.g. ${open[0].id}, started ${new Date(open[0].started_at).toISOString()})` : ''}`, open.length === 0),
        row('kill9', 'database integrity_check after each kill', kills, `${integrity} ok`, integrity === kills),
        row('kill9', 'finished calls lost', `${finished.size} finished before a kill`, `${lost.length} lost`, lost.length === 0),
        row('kill9', 'finished calls reopened or rewritten after a restart', closedAtKill.size, `${reopened.length} changed${reopened.length ? ` (e.g. ${reopened[0].id})` : ''}`, reopened.length === 0),
        row('kill9', 'calls ended before a kill: truth as in the uninterrupted run', endSeen.size, summarize(changed), changed.length === 0),
        row('kill9', 'calls duplicated or invented', calls.size, `${invented.length} not in the uninterrupted run${invented.length ? ` (e.g. ${invented[0]})` : ''}`, invented.length === 0),
        row('kill9', 'one exporter gap per kill, every gap closed', kills, `${downtime.length} exporter gaps, ${openGaps} gaps open`, downtime.length === kills && openGaps === 0),
      ];
    } finally {
      await ex?.stop();
      await pbx.close();
    }
  },
};
