// An HTTP client for the fault tests: every call is bounded in time, and a refused connection (the process is
// down) is an answer of its own instead of an exception, so load can run straight through a crash.

export interface ApiAnswer {
  /** The HTTP status, or 0 when no answer came (connection refused or reset, or the time limit passed). */
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  /** Why no answer came (status 0). */
  failure?: string;
  ms: number;
}

export interface ApiClient {
  baseUrl: string;
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string>; timeoutMs?: number }): Promise<ApiAnswer>;
  get(path: string, token?: string | null): Promise<ApiAnswer>;
  post(path: string, body?: unknown, token?: string | null, headers?: Record<string, string>): Promise<ApiAnswer>;
  put(path: string, body: unknown, token?: string | null): Promise<ApiAnswer>;
}

export function apiClient(baseUrl: string, tokens: { viewer: string; staff: string; admin: string }, defaultTimeoutMs = 20_000): ApiClient {
  const call: ApiClient['call'] = async (method, path, options = {}) => {
    const started = Date.now();
    const token = options.token === undefined ? tokens.staff : options.token;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...(payload !== undefined && { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the text is the body
      }
      return { status: response.status, body, text, ms: Date.now() - started };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { status: 0, body: undefined, text: '', failure: cause ?? (error as Error).name ?? String(error), ms: Date.now() - started };
    }
  };
  return {
    baseUrl,
    call,
    get: (path, token = tokens.viewer) => call('GET', path, { token }),
    post: (path, body, token = tokens.staff, headers) => call('POST', path, { token, body, headers }),
    put: (path, body, token = tokens.admin) => call('PUT', path, { token, body }),
  };
}
