/** The CTI API refused the credentials (401 / 403 on POST /login). */
export class LoginRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginRefused';
  }
}

/** Any other answer than the one asked for: `status` 0 when no HTTP answer came at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  /** base URL with the version, no trailing slash needed */
  url: string;
  username: string;
  password: string;
  userAgent: string;
  timeoutMs: number;
}

interface Tokens {
  access: string;
  refresh: string;
}

/**
 * The CTI API's HTTP side: `POST /login` for an access + refresh token pair (hyphenated keys), `PUT /login` with the
 * refresh token for a new pair (the access token lives 5 minutes), a 401 → log in again. Every request carries the
 * User-Agent NFON asks for.
 */
export class NfonApi {
  private tokens?: Tokens;
  private readonly base: string;

  constructor(private readonly opts: ApiOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  get loggedIn(): boolean {
    return this.tokens !== undefined;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** Headers for a request with the current access token. */
  headers(): Record<string, string> {
    const h: Record<string, string> = { 'User-Agent': this.opts.userAgent };
    if (this.tokens) h.Authorization = `Bearer ${this.tokens.access}`;
    return h;
  }

  /** The access token is no longer good (a 401): the next request logs in first. */
  forget(): void {
    this.tokens = undefined;
  }

  async login(): Promise<void> {
    const res = await this.send('POST', '/login', {
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: this.opts.username, password: this.opts.password }),
    });
    if (res.status === 401 || res.status === 403) {
      this.tokens = undefined;
      throw new LoginRefused(`${res.status} ${await errorText(res)}`);
    }
    this.tokens = await tokensOf(res, 'login');
  }

  /** A new pair for the refresh token; a refused refresh logs in again. */
  async refresh(): Promise<void> {
    if (!this.tokens) return this.login();
    const res = await this.send('PUT', '/login', { headers: { Accept: 'application/json', Authorization: `Bearer ${this.tokens.refresh}` } });
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      return this.login();
    }
    this.tokens = await tokensOf(res, 'token refresh');
  }

  /** A request with the access token and a JSON body if given; a 401 logs in again and tries once more. */
  async request(method: string, path: string, body?: unknown): Promise<Response> {
    if (!this.tokens) await this.login();
    const init = () => ({
      headers: {
        ...this.headers(),
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let res = await this.send(method, path, init());
    if (res.status === 401) {
      await res.body?.cancel();
      await this.login();
      res = await this.send(method, path, init());
    }
    return res;
  }

  /** GET a JSON document (`request`). */
  async getJson(path: string): Promise<unknown> {
    const res = await this.request('GET', path);
    if (res.status !== 200) throw new ApiError(res.status, `GET ${path}: ${res.status} ${await errorText(res)}`);
    return res.json();
  }

  private async send(method: string, path: string, init: { headers: Record<string, string>; body?: string }): Promise<Response> {
    try {
      return await fetch(this.url(path), {
        method,
        headers: { 'User-Agent': this.opts.userAgent, ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw new ApiError(0, `${method} ${path}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
  }
}

async function tokensOf(res: Response, what: string): Promise<Tokens> {
  if (res.status !== 200) throw new ApiError(res.status, `${what}: ${res.status} ${await errorText(res)}`);
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const access = body?.['access-token'];
  const refresh = body?.['refresh-token'];
  if (typeof access !== 'string' || typeof refresh !== 'string' || !access || !refresh) {
    throw new ApiError(res.status, `${what}: the answer has no "access-token" and "refresh-token"`);
  }
  return { access, refresh };
}

/** NFON's `{"error": "..."}`, or the start of whatever came. */
async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const e = (JSON.parse(text) as { error?: unknown }).error;
    if (typeof e === 'string') return e;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || res.statusText;
}
