import type { Logger } from 'pino';
import { PEOPLE, QUEUES } from './office';
import type { SimPbx } from './pbx';
import * as rooms from './rooms';
import * as calls from './scenarios';
import { idle, type Script } from './script';
import { brisk, playStop, TOUR, TOUR_LENGTH_MS } from './tour';

class Stopped extends Error {}

type Scene = (s: Script, pick: <T>(xs: T[]) => T) => Promise<void> | undefined;

/** Weighted mix of a small office's day: mostly answered calls, some missed, a few of everything else. */
const SCENES: [number, Scene][] = [
  [14, (s, pick) => { const e = idle(s.pbx); return e.length ? calls.inboundDirect(s, pick(e), 'answer') : undefined; }],
  [4, (s, pick) => { const e = idle(s.pbx); return e.length ? calls.inboundDirect(s, pick(e), 'noanswer') : undefined; }],
  [3, (s, pick) => { const e = idle(s.pbx); return e.length ? calls.inboundDirect(s, pick(e), 'giveup') : undefined; }],
  [2, (s, pick) => calls.inboundDirect(s, pick(PEOPLE.map((p) => p.ext)), 'busy')],
  [5, (s) => calls.ringGroup(s, s.random() < 0.8)],
  [8, (s) => calls.queueCall(s, QUEUES[0], s.random() < 0.75)],
  [5, (s) => calls.queueCall(s, QUEUES[1], s.random() < 0.8)],
  [10, (s, pick) => { const e = idle(s.pbx); return e.length ? calls.outbound(s, pick(e), pick(['answer', 'answer', 'answer', 'answer', 'busy', 'failed', 'giveup'] as const)) : undefined; }],
  [7, (s, pick) => { const e = idle(s.pbx); if (e.length < 2) return undefined; const a = pick(e); return calls.internal(s, a, pick(e.filter((x) => x !== a)), s.random() < 0.8); }],
  [3, (s, pick) => { const e = idle(s.pbx); if (e.length < 2) return undefined; const a = pick(e); return calls.blindTransfer(s, a, pick(e.filter((x) => x !== a))); }],
  [3, (s, pick) => { const e = idle(s.pbx); if (e.length < 2) return undefined; const a = pick(e); return calls.attendedTransfer(s, a, pick(e.filter((x) => x !== a))); }],
  [4, (s) => calls.housekeeping(s)],
  [2, (s) => rooms.conference(s)],
  [2, (s, pick) => { const e = idle(s.pbx); if (e.length < 2) return undefined; const a = pick(e); return rooms.park(s, a, pick(e.filter((x) => x !== a))); }],
];
const TOTAL = SCENES.reduce((n, [w]) => n + w, 0);

/**
 * Starts calls at a small office's pace (a few per minute at speed 1; speed multiplies) and keeps them running
 * concurrently, after the opening tour (tour.ts) has shown one call of every kind.
 */
export class Traffic {
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  private readonly script: Script;

  constructor(
    private readonly pbx: SimPbx,
    private readonly speed: number,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {
    this.script = { pbx, random, sleep: (ms) => this.sleep(ms) };
  }

  /**
   * The tour first (one call of every kind within a minute), then the office's ordinary day. `random: false`: no calls
   * of its own, only the scripts `play` is given (tests of call control).
   */
  start(random = true): void {
    if (!random) return;
    const brief = brisk(this.script);
    for (const stop of TOUR) this.run((s) => (stop.at === 0 ? playStop(brief, stop) : s.sleep(stop.at).then(() => playStop(brief, stop))));
    this.run((s) => s.sleep(TOUR_LENGTH_MS).then(() => this.schedule()));
  }

  /** Plays one call script now, beside the random traffic (the PBX acting on an AMI action). */
  play(script: (s: Script) => Promise<void>): void {
    this.run((s) => script(s));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.wakers) w();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new Stopped());
    return new Promise((resolve, reject) => {
      const waker = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        reject(new Stopped());
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.wakers.delete(waker);
        resolve();
      }, Math.max(1, ms / this.speed));
      this.timers.add(timer);
      this.wakers.add(waker);
    });
  }

  private pick = <T>(xs: T[]): T => xs[Math.floor(this.random() * xs.length)];

  private run(scene: Scene): void {
    let p: Promise<void> | undefined;
    try {
      p = scene(this.script, this.pick);
    } catch (err) {
      this.log.warn({ err }, 'demo call script failed');
    }
    p?.catch((err: unknown) => {
      if (!(err instanceof Stopped)) this.log.warn({ err }, 'demo call script failed');
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    // a new call every 8–25 s of PBX time
    const gap = (8000 + this.random() * 17000) / this.speed;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      let r = this.random() * TOTAL;
      const scene = SCENES.find(([w]) => (r -= w) < 0)?.[1] ?? SCENES[0][1];
      this.run(scene);
      this.schedule();
    }, gap);
    this.timers.add(timer);
  }
}
