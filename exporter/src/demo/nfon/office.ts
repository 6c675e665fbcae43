import type { Logger } from 'pino';
import type { FakeCallEvent } from './call-event';
import type { FakeNfon } from './server';

/** The NFON demo office: a small sales and support team on a cloud PBX, two headline numbers. */
export const ACCOUNT = 'K4711';
export const PEOPLE: Record<string, string> = {
  '200': 'Lena Vogel',
  '201': 'Jonas Wolf',
  '202': 'Mia Hartmann',
  '203': 'Paul Keller',
  '204': 'Sara Brandt',
  '205': 'Tim Schulz',
};
export const HEADLINES: Record<string, string> = { '4930555789': 'Berlin', '4989555123': 'Munich' };
/** who answers which headline number: the first rings alone, the group rings everyone in it */
const TEAMS: { number: string; members: string[] }[] = [
  { number: '4930555789', members: ['200', '201', '202'] },
  { number: '4989555123', members: ['203', '204', '205'] },
];

class Stopped extends Error {}

/**
 * Calls at a small office's pace (a few a minute at speed 1), sent as NFON's call stream would: one event per
 * extension that sees the call, `ring` → `answer` → `hangup`, with line states to match; now and then somebody's
 * presence changes or an agent logs in or out of the support queue.
 */
export class NfonOffice {
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  /** extensions in a call or ringing now */
  private readonly engaged = new Set<string>();
  private seq = 0;

  constructor(
    private readonly fake: FakeNfon,
    private readonly speed: number,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    // a fresh start shows a finished call within seconds
    this.run(() => this.inbound(TEAMS[0]!, true, 4000, 6000));
    this.loop(20_000, () => this.scene());
    this.loop(45_000, () => this.presence());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.wakers) w();
  }

  private loop(everyMs: number, step: () => Promise<void>): void {
    void (async () => {
      try {
        for (;;) {
          await this.sleep(everyMs / 2 + this.random() * everyMs);
          this.run(step);
        }
      } catch (err) {
        if (!(err instanceof Stopped)) throw err;
      }
    })();
  }

  private run(scene: () => Promise<void>): void {
    scene().catch((err: unknown) => {
      if (!(err instanceof Stopped)) this.log.warn({ err }, 'NFON demo call failed');
    });
  }

  private scene(): Promise<void> {
    const r = this.random();
    const team = this.pick(TEAMS);
    if (r < 0.45) return this.inbound(team, this.random() < 0.8);
    if (r < 0.55) return this.inbound({ ...team, members: [this.pick(team.members)] }, this.random() < 0.6);
    if (r < 0.6) return this.busy();
    if (r < 0.85) return this.outbound();
    if (r < 0.97) return this.internal();
    return this.agent();
  }

  // ---- scenes -------------------------------------------------------------------------------------------------

  /** A caller rings a headline number: its team's free members ring, one answers (or nobody). */
  private async inbound(team: { number: string; members: string[] }, answered: boolean, ringMs?: number, talkMs?: number): Promise<void> {
    const members = team.members.filter((m) => !this.engaged.has(m));
    if (!members.length) return;
    const uuid = this.uuid();
    const caller = `49${Math.floor(1e9 + this.random() * 8e9)}`;
    const ev = (ext: string, state: FakeCallEvent['state']): FakeCallEvent => ({
      uuid,
      state,
      caller,
      caller_context: 'global',
      callee: team.number,
      callee_context: 'global',
      direction: 'inbound',
      extension: ext,
    });
    for (const m of members) this.line(m, 'ringing');
    for (const m of members) this.fake.call(ev(m, 'ring'));
    await this.sleep(ringMs ?? 3000 + this.random() * (answered ? 9000 : 20000));
    if (!answered) {
      for (const m of members) this.fake.call(ev(m, 'hangup'));
      for (const m of members) this.line(m, 'idle');
      return;
    }
    const who = this.pick(members);
    this.fake.call(ev(who, 'answer'));
    this.line(who, 'in-use');
    for (const m of members) {
      if (m === who) continue;
      this.fake.call(ev(m, 'hangup'));
      this.line(m, 'idle');
    }
    await this.sleep(talkMs ?? 15_000 + this.random() * 90_000);
    this.fake.call(ev(who, 'hangup'));
    this.line(who, 'idle');
  }

  /** A caller reaches somebody already on the phone: no ring, just the hangup. */
  private async busy(): Promise<void> {
    const talking = [...this.engaged];
    if (!talking.length) return;
    const ext = this.pick(talking);
    const team = TEAMS.find((t) => t.members.includes(ext)) ?? TEAMS[0]!;
    this.fake.call({ uuid: this.uuid(), state: 'hangup', caller: `49${Math.floor(1e9 + this.random() * 8e9)}`, caller_context: 'global', callee: team.number, callee_context: 'global', direction: 'inbound', extension: ext });
    await Promise.resolve();
  }

  private async outbound(): Promise<void> {
    const ext = this.free();
    if (!ext) return;
    const uuid = this.uuid();
    const callee = `49${Math.floor(1e9 + this.random() * 8e9)}`;
    const ev = (state: FakeCallEvent['state']): FakeCallEvent => ({ uuid, state, caller: ext, caller_context: ACCOUNT, callee, callee_context: 'global', direction: 'outbound', extension: ext });
    this.line(ext, 'in-use');
    this.fake.call(ev('dial'));
    await this.sleep(800);
    this.fake.call(ev('ring'));
    const answered = this.random() < 0.75;
    await this.sleep(3000 + this.random() * (answered ? 8000 : 20000));
    if (answered) {
      this.fake.call(ev('answer'));
      await this.sleep(20_000 + this.random() * 100_000);
    }
    this.fake.call(ev('hangup'));
    this.line(ext, 'idle');
  }

  private async internal(): Promise<void> {
    const a = this.free();
    const b = a && this.free(a);
    if (!a || !b) return;
    const uuid = this.uuid();
    const base = { uuid, caller: a, caller_context: ACCOUNT, callee: b, callee_context: ACCOUNT };
    const out = (state: FakeCallEvent['state']): FakeCallEvent => ({ ...base, state, direction: 'outbound', extension: a });
    const inb = (state: FakeCallEvent['state']): FakeCallEvent => ({ ...base, state, direction: 'inbound', extension: b });
    this.line(a, 'in-use');
    this.line(b, 'ringing');
    this.fake.call(out('dial'));
    this.fake.call(out('ring'));
    this.fake.call(inb('ring'));
    const answered = this.random() < 0.8;
    await this.sleep(2000 + this.random() * 8000);
    if (answered) {
      this.fake.call(inb('answer'));
      this.fake.call(out('answer'));
      this.line(b, 'in-use');
      await this.sleep(10_000 + this.random() * 60_000);
    }
    this.fake.call(inb('hangup'));
    this.fake.call(out('hangup'));
    this.line(a, 'idle');
    this.line(b, 'idle');
  }

  /** A support agent logs in to (or out of) the support queue with the special code. */
  private async agent(): Promise<void> {
    const ext = this.free();
    if (!ext) return;
    const code = this.random() < 0.6 ? '*87' : '**87';
    const ev = (state: FakeCallEvent['state']): FakeCallEvent => ({ uuid: this.uuid(), state, caller: ext, caller_context: ACCOUNT, callee: code, callee_context: ACCOUNT, direction: 'outbound', extension: ext });
    this.fake.call(ev('dial'));
    await this.sleep(1500);
    this.fake.call(ev('hangup'));
  }

  /** Somebody goes away, sets do-not-disturb, or is back. */
  private async presence(): Promise<void> {
    const ext = this.pick(Object.keys(PEOPLE));
    const r = this.random();
    this.fake.state(ext, { presence: r < 0.15 ? 'dnd' : r < 0.35 ? 'away' : 'available' });
    await Promise.resolve();
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private line(ext: string, line: 'idle' | 'ringing' | 'in-use'): void {
    if (line === 'idle') this.engaged.delete(ext);
    else this.engaged.add(ext);
    this.fake.state(ext, { line });
  }

  private free(except?: string): string | undefined {
    const free = Object.keys(PEOPLE).filter((e) => e !== except && !this.engaged.has(e));
    return free.length ? this.pick(free) : undefined;
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.random() * xs.length)]!;
  }

  private uuid(): string {
    this.seq++;
    const hex = (n: number, w: number): string => Math.floor(n).toString(16).padStart(w, '0').slice(-w);
    return `${hex(Date.now() / 1000, 8)}-${hex(this.seq, 4)}-4${hex(this.random() * 0xfff, 3)}-a${hex(this.random() * 0xfff, 3)}-${hex(this.random() * 0xffffffffffff, 12)}`;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new Stopped());
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(t);
        this.timers.delete(t);
        this.wakers.delete(wake);
        if (this.stopped) reject(new Stopped());
        else resolve();
      };
      const t = setTimeout(wake, ms / this.speed);
      t.unref();
      this.timers.add(t);
      this.wakers.add(wake);
    });
  }
}
