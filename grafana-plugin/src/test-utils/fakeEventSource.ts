import type { EventSourceLike } from '../datasource/live/liveHub';

/** A scriptable EventSource: tests open it, push named messages and fail it, and check that it was closed. */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  private readonly listeners = new Map<string, Array<(ev: MessageEvent) => void>>();
  private nextId = 1;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  static create = (url: string) => new FakeEventSource(url);

  static reset() {
    FakeEventSource.instances = [];
  }

  static get open(): FakeEventSource[] {
    return FakeEventSource.instances.filter((e) => !e.closed);
  }

  addEventListener(type: string, listener: (ev: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.closed = true;
    this.readyState = 2;
  }

  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  emit(type: string, data: unknown) {
    const ev = { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId: String(this.nextId++) };
    (this.listeners.get(type) ?? []).forEach((l) => l(ev as MessageEvent));
  }

  fail() {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}
