import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const DEVICE_COOKIE = 'meeple.device';
const DEVICE_COOKIE_PATTERN = /(?:^|;\s*)meeple\.device=([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})(?:;|$)/;
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * A random id per phone, in a cookie signed with the session secret, so limits can count per
 * device where many devices share one address (a café's WiFi). Nothing is stored: the signature
 * proves the server issued the id; a forged or altered cookie reads as no cookie.
 */
export class DeviceCookies {
  constructor(
    private readonly secret: string,
    private readonly secure: 'auto' | boolean,
  ) {}

  /** The device id of a cookie this server signed, or undefined. */
  read(req: Request): string | undefined {
    const [, id, signature] = DEVICE_COOKIE_PATTERN.exec(req.headers.cookie ?? '') ?? [];
    if (!id || !signature) return undefined;
    return timingSafeEqual(Buffer.from(signature), Buffer.from(this.sign(id))) ? id : undefined;
  }

  newId(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Sets the cookie for `id` on the response: HttpOnly, SameSite=Lax, Secure over HTTPS. */
  issue(req: Request, res: Response, id: string): void {
    res.cookie(DEVICE_COOKIE, `${id}.${this.sign(id)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure === 'auto' ? req.secure : this.secure,
      maxAge: ONE_YEAR_MS,
      path: '/api/',
    });
  }

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(`device:${id}`).digest('base64url');
  }
}
