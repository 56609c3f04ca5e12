import { ForeignKeyViolationError, UniqueViolationError } from 'objection';

/** Objection wraps driver errors; these read the meaning whichever layer threw. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof UniqueViolationError || (err as { code?: string })?.code === 'ER_DUP_ENTRY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return err instanceof ForeignKeyViolationError || code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_NO_REFERENCED_ROW';
}
