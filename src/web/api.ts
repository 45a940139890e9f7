/**
 * The page's only way to svc: the HTTP API, with the session cookie the sign-in set. Every request
 * that changes something carries the session's CSRF token; the server also checks its Origin.
 */
let csrf = '';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const setCsrf = (token: string): void => {
  csrf = token;
};

export const api = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { error?: string }) : null;
  if (!response.ok) {
    // A refused sign-in is not a session that ended: its own words are shown where the token was typed.
    if (response.status === 401 && path !== '/ui/session') window.dispatchEvent(new Event('svc:signed-out'));
    throw new ApiError(response.status, parsed?.error ?? `${response.status} ${response.statusText}`);
  }
  return parsed as T;
};

export interface Session {
  signed_in: boolean;
  csrf?: string;
}

/** Whether the page's session cookie still stands for a session: the server forgets them when it restarts. */
export const currentSession = (): Promise<Session> => api<Session>('GET', '/ui/session');

/** The error's own words for the user: the API's `error`. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
