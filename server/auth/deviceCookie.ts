import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../config';

/**
 * OWASP's "device cookie": a browser that signed in successfully before carries a signed,
 * random device id, so it keeps its own failure counter instead of sharing the lockout that
 * strangers on the same address (the café WiFi) run into. Which accounts a device has signed
 * in as is kept in Redis (see loginThrottle.ts), so a password reset can forget it.
 */
export const DEVICE_COOKIE = 'meeple.device';
export const DEVICE_TRUST_DAYS = 180;

function signature(secret: string, id: string): string {
  return createHmac('sha256', secret).update(`device:${id}`).digest('base64url');
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const pair of req.headers.cookie?.split(';') ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** The device id of a correctly signed cookie; undefined for none, a forged or a junk one. */
export function readDeviceId(req: Request, secret: string): string | undefined {
  const [id, sig, extra] = (cookieValue(req, DEVICE_COOKIE) ?? '').split('.');
  if (!id || !sig || extra !== undefined) return undefined;
  const expected = Buffer.from(signature(secret, id));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

/** Gives this browser a device id (keeping the one it has) and returns it. */
export function issueDeviceCookie(req: Request, res: Response, config: Config): string {
  const id = readDeviceId(req, config.session.secret) ?? randomBytes(16).toString('base64url');
  res.cookie(DEVICE_COOKIE, `${id}.${signature(config.session.secret, id)}`, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.session.cookieSecure === 'auto' ? req.secure : config.session.cookieSecure,
    // Only the sign-in and password routes read it.
    path: '/api/auth',
    maxAge: DEVICE_TRUST_DAYS * 24 * 3600 * 1000,
  });
  return id;
}
