/**
 * The API token, in every form the platforms' clients send it (API.md): `Bearer T` (Fly clients,
 * curl), `FlyV1 T` (flyctl), `Basic base64(USER:T)` (the Docker Cloud and Tutum SDKs, from USER
 * and APIKEY; any user) and `ApiKey USER:T` (old Tutum). Compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The secret an Authorization header carries, or null when it is in no form svc accepts. */
export const tokenFromAuthorization = (header: string | undefined): string | null => {
  if (!header) return null;
  const match = /^(\S+)\s+(.+)$/.exec(header.trim());
  if (!match) return null;
  const [, scheme, credentials] = match;
  switch (scheme.toLowerCase()) {
    case 'bearer':
    case 'flyv1':
      return credentials.trim();
    case 'basic': {
      const decoded = Buffer.from(credentials.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.slice(colon + 1);
    }
    case 'apikey': {
      const colon = credentials.indexOf(':');
      return colon < 0 ? null : credentials.slice(colon + 1).trim();
    }
    default:
      return null;
  }
};

/** Hashing first makes both sides the same length, so the comparison leaks neither content nor length. */
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export const tokenMatches = (given: string | null, expected: string): boolean =>
  given !== null && timingSafeEqual(digest(given), digest(expected));
