import type { NextFunction, Request, Response } from 'express';
import { Forbidden, Unauthenticated } from '../errors';
import type { StaffRole } from '../models/StaffUser';

export type Access = 'public' | 'staff' | 'admin';

export interface SessionUser {
  id: number;
  username: string;
  role: StaffRole;
  /** The account's session generation at sign-in; older than the account's means signed out. */
  generation?: number;
}

declare module 'express-session' {
  interface SessionData {
    user?: SessionUser;
  }
}

/** The signed-in user, as re-checked against the account by `checkSessionAccount`. */
export function sessionUser(req: Request): SessionUser | undefined {
  return req.session?.user;
}

export function requireRole(access: Access) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (access === 'public') return next();
    const user = sessionUser(req);
    if (!user) return next(new Unauthenticated());
    if (access === 'admin' && user.role !== 'admin') return next(new Forbidden('Only an admin can do this', { precise: { code: 'admin_only' } }));
    return next();
  };
}

/** Who did it, for the event log: "staff:alice", or "customer" for public requests. */
export function actorOf(req: Request): string {
  const user = sessionUser(req);
  return user ? `staff:${user.username}` : 'customer';
}
