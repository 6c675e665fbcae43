import { join } from 'node:path';
import { FakeNfon, type FakeCallEvent } from '../src/demo/nfon/server';
import { exporterYaml, metric, sleep, startExporter, waitFor } from './lib/exporter';
import { row, type Scenario } from './lib/scenario';

const PBX = 'fault-nfon';
const EXTENSIONS = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(300 + i), `Agent ${i}`]));

/** One inbound call's events, each from the view of the extension it names. */
function inbound(uuid: string): (state: FakeCallEvent['state'], ext: string) => FakeCallEvent {
  return (state, extension) => ({ uuid, state, caller: '4989123456', caller_context: 'global', callee: '4930555789', callee_context: 'global', direction: 'inbound', extension });
}

/**
 * The NFON source against the fake CTI API, attacked the ways the real service may: a burst of group calls, the call
 * stream cut while calls are up (NFON replays nothing), data that is not JSON, refused token refreshes. Every cut must
 * be one closed gap and its call one `incomplete` record, nothing counted twice, no malformed line a crash.
 */
export const nfonFaults: Scenario = {
  name: 'nfon',
  title: 'NFON CTI streams: a burst of group calls, streams cut mid-call, malformed data, refused refreshes',
  async run({ full, dir, log }) {
    const burst = full ? 5000 : 500;
    const cuts = full ? 50 : 8;
    const bad = full ? 2000 : 200;
    const refusals = full ? 20 : 3;
    const fake = new FakeNfon({ account: 'K9999', extensions: EXTENSIONS, tokenTtlMs: 3000 });
    await fake.start();
    const source = `  - { name: ${PBX}, kind: nfon, url: "${fake.url}", account: K9999, username: ${fake.username}, password: ${fake.password}, refreshSeconds: 1, reconnectMaxSeconds: 1 }`;
    const ex = await startExporter(exporterYaml(join(dir, 'sb.db'), ['sources:', source]), dir);
    const metrics = async (): Promise<string> => (await fetch(`${ex.url}/metrics`)).text();
    const json = async (path: string): Promise<{ items: { id: string; status: string; endedAt?: string | null }[]; total?: number }> =>
      (await fetch(`${ex.url}${path}`)).json() as never;
    const total = async (status?: string): Promise<number> =>
      (await json(`/api/v1/calls?pbx=${PBX}&page=1&pageSize=1${status ? `&status=${status}` : ''}`)).total ?? -1;
    const up = async (): Promise<true | undefined> => ((metric(await metrics(), 'pbx_up', { pbx: PBX }) === 1 && fake.streams('calls') === 1) || undefined);
    try {
      if (!(await waitFor(up, 30_000))) throw new Error('the NFON source never connected');
      const rows = [];

      // a burst of group calls: rung at two, answered by one, the loser told to stop, then the hangup
      log(`${burst} group calls`);
      for (let i = 0; i < burst; i++) {
        const a = String(300 + (i % 10));
        const b = String(300 + ((i + 1) % 10));
        const ev = inbound(`burst-${i}`);
        for (const e of [ev('ring', a), ev('ring', b), ev('answer', a), ev('hangup', b), ev('hangup', a)]) fake.call(e);
        if (i % 100 === 99) await sleep(5);
      }
      const recorded = await waitFor(async () => ((await total('answered')) >= burst ? total('answered') : undefined), 60_000, 250);
      const all = await total();
      rows.push(row('nfon', 'group calls (5 events each) → one answered record each', burst, `${recorded ?? (await total('answered'))} answered, ${all} records`, recorded === burst && all === burst));

      // malformed data on both streams: counted, never a crash, the source stays up
      log(`${bad} malformed data lines`);
      for (let i = 0; i < bad; i++) fake.raw(i % 2 ? 'calls' : 'states', i % 3 ? `{"uuid": "x${i}", "state": ` : JSON.stringify({ uuid: `x${i}`, state: 'nonsense', direction: 'inbound', extension: '300' }));
      const rejected = await waitFor(async () => {
        const n = metric(await metrics(), 'switchboard_events_rejected_total', { pbx: PBX, reason: 'malformed data' }) ?? 0;
        return n >= bad ? n : undefined;
      }, 30_000, 250);
      rows.push(row('nfon', 'malformed data lines counted as rejected, source still up', bad, `${rejected ?? 0} rejected, up ${(await up()) ? 'yes' : 'no'}`, rejected === bad && (await up()) === true));

      // the call stream cut while a call talks: a gap, the call incomplete, its late hangup no second record
      log(`${cuts} call-stream cuts mid-call`);
      const before = await total();
      for (let i = 0; i < cuts; i++) {
        const ev = inbound(`cut-${i}`);
        fake.call(ev('ring', '305'));
        fake.call(ev('answer', '305'));
        const active = await waitFor(async () => ((await json(`/api/v1/calls/active?pbx=${PBX}`)).items.some((c) => c.id === `${PBX}-cut-${i}`) || undefined), 10_000, 50);
        if (!active) throw new Error(`call cut-${i} never showed as active`);
        fake.cut('calls');
        await sleep(50);
        if (!(await waitFor(up, 20_000))) throw new Error(`no reconnect after cut ${i}`);
        fake.call(ev('hangup', '305'));
      }
      await sleep(500);
      const incomplete = await waitFor(async () => ((await total('incomplete')) >= cuts ? total('incomplete') : undefined), 20_000, 250);
      const gaps = (await json(`/api/v1/gaps?pbx=${PBX}`)).items.filter((g) => (g as { pbx?: string | null }).pbx === PBX);
      const reconnects = metric(await metrics(), 'pbx_source_reconnects_total', { pbx: PBX });
      const added = (await total()) - before;
      rows.push(row('nfon', 'call-stream cuts: one closed gap each, reconnected', cuts, `${gaps.length} gaps (${gaps.filter((g) => g.endedAt).length} closed), ${reconnects} reconnects`, gaps.length === cuts && gaps.every((g) => g.endedAt) && reconnects === cuts));
      rows.push(row('nfon', 'calls up across a cut: incomplete, late hangup no second record', cuts, `${incomplete ?? 0} incomplete, ${added} records added`, incomplete === cuts && added === cuts));

      // refused token refreshes: the source logs in again, no outage
      log(`${refusals} refused refreshes`);
      const logins = fake.seen('POST', '/v1/login').length;
      const gapsBefore = gaps.length;
      for (let i = 0; i < refusals; i++) {
        fake.refuseRefresh(1);
        await waitFor(() => (fake.seen('POST', '/v1/login').length > logins + i || undefined), 10_000, 100);
      }
      const relogins = fake.seen('POST', '/v1/login').length - logins;
      const gapsAfter = (await json(`/api/v1/gaps?pbx=${PBX}`)).items.filter((g) => (g as { pbx?: string | null }).pbx === PBX).length;
      rows.push(row('nfon', 'refused token refreshes: logged in again, no outage', refusals, `${relogins} new logins, ${gapsAfter - gapsBefore} new gaps`, relogins >= refusals && gapsAfter === gapsBefore));
      return rows;
    } finally {
      await ex.stop();
      await fake.stop();
    }
  },
};
