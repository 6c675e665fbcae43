import { request, type IncomingMessage } from 'node:http';

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  /** a comment line (`: heartbeat`) */
  comment?: string;
  /** ms since the request was sent */
  at: number;
}

export interface SseStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** ms from request to response headers */
  headersAfterMs: number;
  /** ms from request to the first body byte */
  firstByteAfterMs: number;
  messages: SseMessage[];
  /** resolves with the first message (from now on or already received after `from`) matching `pred` */
  next(pred: (m: SseMessage) => boolean, timeoutMs?: number, from?: number): Promise<SseMessage>;
  ended: Promise<void>;
  close(): void;
}

/** A plain HTTP reader of an event stream, timing what arrives when (EventSource hides exactly that). */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const headersAfterMs = performance.now() - started;
      const messages: SseMessage[] = [];
      const waiters: { pred: (m: SseMessage) => boolean; from: number; resolve: (m: SseMessage) => void }[] = [];
      let buf = '';
      let firstByteResolve: (ms: number) => void;
      const firstByte = new Promise<number>((r) => (firstByteResolve = r));
      let gotFirst = false;
      const ended = new Promise<void>((r) => {
        res.on('end', r);
        res.on('close', r);
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (!gotFirst) {
          gotFirst = true;
          firstByteResolve(performance.now() - started);
        }
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m: SseMessage = { at: performance.now() - started };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) m.comment = line.slice(1).trim();
            else {
              const c = line.indexOf(':');
              const field = c < 0 ? line : line.slice(0, c);
              const value = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
              if (field === 'id' || field === 'event') m[field] = value;
              else if (field === 'data') m.data = m.data === undefined ? value : `${m.data}\n${value}`;
            }
          }
          messages.push(m);
          for (const w of [...waiters]) {
            if (w.pred(m)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(m);
            }
          }
        }
      });
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        headersAfterMs,
        firstByteAfterMs: NaN,
        messages,
        next(pred, timeoutMs = 5000, from = 0) {
          const have = messages.slice(from).find(pred);
          if (have) return Promise.resolve(have);
          return new Promise((res2, rej) => {
            const t = setTimeout(() => rej(new Error(`no matching SSE message within ${timeoutMs} ms`)), timeoutMs);
            waiters.push({
              pred,
              from,
              resolve: (m) => {
                clearTimeout(t);
                res2(m);
              },
            });
          });
        },
        ended,
        close: () => req.destroy(),
      };
      if (res.statusCode !== 200) {
        resolve(stream);
        return;
      }
      void firstByte.then((ms) => {
        stream.firstByteAfterMs = ms;
        resolve(stream);
      });
    });
    req.on('error', reject);
    req.end();
  });
}
