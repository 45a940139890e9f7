/**
 * The web page's sign-in link: `URL/#code=CODE`, a one-time code the running server mints for
 * whoever has the token (web/sign-in-codes.ts). The code rides in the fragment, which no server or
 * proxy log sees, and the page removes it; once used, or 5 minutes on, the link is worth nothing,
 * wherever the browser's history keeps it. The API token itself is never in a link.
 */
import { UserError } from '../errors.js';

/** A server that does not answer within this long is taken as not running. */
const MINT_TIMEOUT_MS = 5_000;

export const signInLink = (url: string, code: string): string => `${url}/#code=${code}`;

/** Asks the server at `url` for a code, with the token; a link with it. */
export const mintSignInLink = async (url: string, token: string): Promise<string> => {
  let response: Response;
  try {
    response = await fetch(`${url}/ui/sign-in-code`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(MINT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new UserError(`The svc server at ${url} does not answer: ${(error as Error).message}`, {
      hint: 'Is it still running? `svc daemon status` says; start one with `svc serve`.',
      cause: error,
    });
  }
  const body = (await response.json().catch(() => ({}))) as { code?: unknown; error?: unknown };
  if (!response.ok || typeof body.code !== 'string') {
    throw new UserError(
      `The svc server at ${url} did not give a sign-in code: ${response.status} ${typeof body.error === 'string' ? body.error : response.statusText}`,
      {
        hint: 'It may serve another state dir than this one (SVC_HOME); `svc serve --print-token` prints the token this one has.',
      },
    );
  }
  return signInLink(url, body.code);
};
