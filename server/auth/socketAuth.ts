import type { Request } from 'express';
import type { Socket } from 'socket.io';
import type { AppContext } from '../context';
import { isCrossSite } from '../http/sameOrigin';
import { refusal } from '../realtime/contract';
import { ACCOUNT_CACHE_MS, currentUser } from './accounts';
import type { SessionUser } from './guard';

/** How often a connected staff socket's account is looked at again. */
export const SOCKET_RECHECK_MS = ACCOUNT_CACHE_MS;

/**
 * `/staff` middleware, after the one that loads the session: refuses a handshake from another
 * site (a page elsewhere cannot read full names with the victim's cookie) and a session whose
 * account is gone or re-passworded; then re-checks the account every few seconds while the
 * socket is open, so a deleted account's tablet is cut off on every instance within
 * SOCKET_RECHECK_MS plus the account cache's staleness.
 */
export function guardStaffSocket(ctx: AppContext) {
  return (socket: Socket, next: (err?: Error) => void) => {
    const req = socket.request as Request;
    if (isCrossSite(req.headers, ctx.config.publicOrigins)) return next(refusal('cross_site', 'This screen must be opened from Meeple Queue itself'));
    const user = req.session?.user;
    if (!user) return next(refusal('unauthenticated', 'Sign in as staff to see this'));
    currentUser(ctx.accounts, user).then(
      (current) => {
        if (!current) return next(refusal('unauthenticated', 'Sign in as staff to see this'));
        const recheck = setInterval(() => void recheckAccount(ctx, socket, user), SOCKET_RECHECK_MS);
        socket.on('disconnect', () => clearInterval(recheck));
        next();
      },
      (err: unknown) => {
        ctx.logger.error({ err }, 'could not check the account of a staff socket');
        next(refusal('unavailable', 'Could not check your session; try again'));
      },
    );
  };
}

async function recheckAccount(ctx: AppContext, socket: Socket, user: SessionUser): Promise<void> {
  try {
    if (!(await currentUser(ctx.accounts, user))) socket.disconnect(true);
  } catch (err) {
    // MySQL away: the tablet keeps its benefit of the doubt, as for a session re-check.
    ctx.logger.warn({ err }, 'could not re-check the account of a staff socket');
  }
}
