import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { StaffUser, type StaffRole } from '../models/StaffUser';
import type { SessionUser } from './guard';

/** What a session is checked against on every staff request and socket. */
export interface Account {
  id: number;
  username: string;
  role: StaffRole;
  sessionGeneration: number;
}

/**
 * How stale an account may be on an instance that did not make the change itself: a deleted,
 * demoted or re-passworded account is seen everywhere within this time.
 */
export const ACCOUNT_CACHE_MS = 2000;

interface Entry {
  expiresAt: number;
  account: Promise<Account | null>;
}

/**
 * The staff accounts this process has looked at, each read from MySQL at most once per
 * ACCOUNT_CACHE_MS (concurrent requests share one read). The instance that changes an account
 * forgets it at once, so there the change applies to the very next request.
 */
export class AccountCache {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly knex: Knex,
    private readonly ttlMs = ACCOUNT_CACHE_MS,
  ) {}

  get(id: number): Promise<Account | null> {
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > now) return cached.account;
    const entry: Entry = { expiresAt: now + this.ttlMs, account: this.read(id) };
    this.entries.set(id, entry);
    // A failed read is not remembered: the next request asks MySQL again.
    entry.account.catch(() => this.entries.get(id) === entry && this.entries.delete(id));
    return entry.account;
  }

  forget(id: number): void {
    this.entries.delete(id);
  }

  private async read(id: number): Promise<Account | null> {
    const user = await StaffUser.query(this.knex).findById(id).select('id', 'username', 'role', 'sessionGeneration');
    return user ? { id: user.id, username: user.username, role: user.role, sessionGeneration: user.sessionGeneration } : null;
  }
}

export function sessionUserOf(account: Account): SessionUser {
  return { id: account.id, username: account.username, role: account.role, generation: account.sessionGeneration };
}

/**
 * The session's user as the account stands now, or null when the account is gone or its
 * password changed since this session signed in (sessions from before generations count as 0).
 */
export async function currentUser(accounts: AccountCache, user: SessionUser): Promise<SessionUser | null> {
  const account = await accounts.get(user.id);
  if (!account || account.sessionGeneration !== (user.generation ?? 0)) return null;
  return sessionUserOf(account);
}

/**
 * Re-checks the session's account on every request that has one: a session whose account is
 * gone or re-passworded is ended (the request goes on as a customer's, so staff routes answer
 * 401), and a changed role or name replaces the session's copy before any access check.
 */
export function checkSessionAccount(accounts: AccountCache) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const user = req.session?.user;
    if (!user) return next();
    let current: SessionUser | null;
    try {
      current = await currentUser(accounts, user);
    } catch (err) {
      return next(err);
    }
    if (!current) return req.session.regenerate((err) => next(err));
    if (current.role !== user.role || current.username !== user.username) req.session.user = current;
    next();
  };
}
