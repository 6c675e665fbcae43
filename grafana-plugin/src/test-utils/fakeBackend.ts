import { Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

export interface Reply {
  status?: number;
  data: unknown;
}

export type Handler = (req: BackendSrvRequest) => Reply | Promise<Reply>;

/**
 * A BackendSrv for tests: routes by URL path (query params stay in `params`), records every request, and fails
 * like Grafana's does (a FetchError with status and data) for non-2xx replies and unknown paths.
 */
export class FakeBackend {
  readonly requests: BackendSrvRequest[] = [];
  /** Requests whose subscriber went away before the answer (BackendSrv aborts those). */
  readonly aborted: BackendSrvRequest[] = [];
  private readonly routes = new Map<string, Handler>();

  on(path: string, handler: Handler | Reply): this {
    this.routes.set(path, typeof handler === 'function' ? handler : () => handler);
    return this;
  }

  paths(): string[] {
    return this.requests.map((r) => r.url);
  }

  asBackendSrv(): BackendSrv {
    return { fetch: (req: BackendSrvRequest) => this.fetch(req) } as unknown as BackendSrv;
  }

  fetch<T>(req: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push(req);
    return new Observable((sub) => {
      let settled = false;
      const handler = this.routes.get(req.url);
      Promise.resolve(handler ? handler(req) : { status: 502, data: { message: `no route ${req.url}` } }).then(
        (reply) => {
          settled = true;
          const status = reply.status ?? 200;
          if (status >= 200 && status < 300) {
            sub.next({ data: reply.data as T, status, statusText: 'OK', ok: true } as FetchResponse<T>);
            sub.complete();
          } else {
            sub.error({ status, statusText: 'Error', data: reply.data, config: req });
          }
        },
        (err) => {
          settled = true;
          sub.error(err);
        }
      );
      return () => {
        if (!settled) {
          this.aborted.push(req);
        }
      };
    });
  }
}
