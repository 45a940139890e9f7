/** Where a browser's request comes from: the page's own origin, or another site's page. */
import type { FastifyRequest } from 'fastify';

/** Whether the request's Origin is this server as the browser reached it: the host and port it asked for, over HTTP or a TLS proxy's HTTPS. */
export const isOwnOrigin = (request: FastifyRequest): boolean => {
  const { origin, host } = request.headers;
  return origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
};

/**
 * A browser's request made for a page of another site; API clients send neither header. Any Origin
 * but this server's counts, "null" too: browsers send it from sandboxed frames, data: URLs and
 * redirects, none of which is this server's page.
 */
export const fromAnotherSite = (request: FastifyRequest): boolean => {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  return request.headers.origin !== undefined && !isOwnOrigin(request);
};
