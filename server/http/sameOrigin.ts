import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { Forbidden } from '../errors';

export class CrossSiteRequest extends Forbidden {
  constructor() {
    super('This request came from another site; use Meeple Queue itself', { precise: { code: 'cross_site' } });
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BROWSER_SAME_ORIGIN = new Set(['same-origin', 'none']);

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * With PUBLIC_ORIGINS set, exactly one of them. Unset, the request's own host name (the port is
 * not compared: Nginx forwards `$host`, which has none).
 */
function originAllowed(origin: string, host: string | undefined, publicOrigins: string[]): boolean {
  if (publicOrigins.length) return publicOrigins.includes(origin);
  const own = host === undefined ? undefined : hostnameOf(host);
  try {
    return own !== undefined && new URL(origin).hostname === own;
  } catch {
    // "null" (sandboxed frames, some redirects) or junk.
    return false;
  }
}

/**
 * Whether a browser sent this request from another site. Browsers send `Origin` on every
 * POST/PUT/PATCH/DELETE and on WebSocket handshakes (the Fetch standard), and
 * `Sec-Fetch-Site` on every request; with neither the client is not a browser (curl, a
 * script), which cannot be tricked into using someone's cookie, so it is let through.
 */
export function isCrossSite(headers: IncomingHttpHeaders, publicOrigins: string[]): boolean {
  if (headers.origin !== undefined) return !originAllowed(headers.origin, headers.host, publicOrigins);
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return !BROWSER_SAME_ORIGIN.has(site);
  return false;
}

/**
 * Refuses state changes a browser sends from another site (CSRF), body or not, cookie or not;
 * a same-site host counts as another site, which SameSite=Lax alone would let through.
 */
export function requireSameOrigin(publicOrigins: string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(STATE_CHANGING.has(req.method) && isCrossSite(req.headers, publicOrigins) ? new CrossSiteRequest() : undefined);
  };
}
