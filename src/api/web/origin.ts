/** Where a browser's request comes from: the page's own origin, or another site's page. */
import type { FastifyRequest } from 'fastify';

/**
 * Whether the request's Origin is this server as the browser reached it: the host and port it asked
 * for, over HTTP or a TLS proxy's HTTPS, or the --public-url a proxy serves it under (which may pass
 * on the listen address as the Host).
 */
export const isOwnOrigin = (request: FastifyRequest, publicOrigin?: string): boolean => {
  const { origin, host } = request.headers;
  if (origin === undefined) return false;
  if (publicOrigin !== undefined && origin === publicOrigin) return true;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
};

/**
 * A browser's request made for a page of another site; API clients send neither header. Any Origin
 * but this server's counts, "null" too: browsers send it from sandboxed frames, data: URLs and
 * redirects, none of which is this server's page.
 */
export const fromAnotherSite = (request: FastifyRequest, publicOrigin?: string): boolean => {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  return request.headers.origin !== undefined && !isOwnOrigin(request, publicOrigin);
};
