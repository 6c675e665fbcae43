import { Observable } from 'rxjs';
import type { RequestOptions } from '../api/client';

/** One request of several (fan-out, one per extension): each needs its own id, or it would cancel its siblings. */
export function part(opts: RequestOptions, i: number): RequestOptions {
  return { ...opts, requestId: opts.requestId && `${opts.requestId}-${i}` };
}

/** A promise as an observable whose unsubscription aborts the work (and its HTTP requests). */
export function abortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    run(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (err) => subscriber.error(err)
    );
    return () => controller.abort();
  });
}
