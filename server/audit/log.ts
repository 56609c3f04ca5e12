import type { Knex } from 'knex';

/** What the audit log records besides queue moves (those are in reservation_events). */
export const AUDIT_TYPES = [
  'account_created',
  'account_deleted',
  'role_changed',
  'password_reset',
  'password_changed',
  'settings_changed',
  'close_out',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export interface AuditEntry {
  actor: string;
  type: AuditType;
  /** whom or what it was done to: a username, a settings key, a café date */
  subject: string | null;
  details?: Record<string, unknown> | null;
}

/** Appends to the audit log (inside the caller's transaction when it passes one). */
export async function recordAudit(knex: Knex, entry: AuditEntry): Promise<void> {
  await knex('audit_log').insert({
    actor: entry.actor,
    type: entry.type,
    subject: entry.subject,
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
}
