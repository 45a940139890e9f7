/**
 * The page's only way to svc: the HTTP API, with the session the sign-in gave. The session id is
 * kept in sessionStorage, which belongs to this origin (port included) and this tab only, and sent
 * in the X-Svc-Session header; the page sends no cookie at all. Another site's page cannot send
 * that header here (no CORS), and the server also checks the Origin of every change.
 */
const SESSION_KEY = 'svc.session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const hasSession = (): boolean => sessionStorage.getItem(SESSION_KEY) !== null;
export const keepSession = (id: string): void => sessionStorage.setItem(SESSION_KEY, id);
export const forgetSession = (): void => sessionStorage.removeItem(SESSION_KEY);

/** The headers that make a request the session's. */
export const sessionHeaders = (): Record<string, string> => {
  const id = sessionStorage.getItem(SESSION_KEY);
  return id === null ? {} : { 'X-Svc-Session': id };
};

export const api = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { Accept: 'application/json', ...sessionHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { error?: string }) : null;
  if (!response.ok) {
    // A refused sign-in is not a session that ended: its own words are shown where the token was typed.
    if (response.status === 401 && path !== '/ui/session') window.dispatchEvent(new Event('svc:signed-out'));
    throw new ApiError(response.status, parsed?.error ?? `${response.status} ${response.statusText}`);
  }
  return parsed as T;
};

/** Signs in with a link's one-time code or the pasted token; keeps the session. */
export const signIn = async (credential: { code: string } | { token: string }): Promise<void> => {
  const { session } = await api<{ session: string }>('POST', '/ui/session', credential);
  keepSession(session);
};

/** Whether the kept session still stands: the server forgets them when it restarts, or when the token changes. */
export const sessionStands = async (): Promise<boolean> => {
  if (!hasSession()) return false;
  const { signed_in } = await api<{ signed_in: boolean }>('GET', '/ui/session');
  if (!signed_in) forgetSession();
  return signed_in;
};

/** Ends the session on the server, and forgets it here whatever the server said. */
export const signOut = async (): Promise<void> => {
  try {
    await api('DELETE', '/ui/session');
  } finally {
    forgetSession();
  }
};

/** The error's own words for the user: the API's `error`. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
