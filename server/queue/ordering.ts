/** The queue order: first come, first served by server enqueue time, then id. */
export interface Enqueued {
  id: number;
  enqueuedAt: Date;
}

export function compareQueueOrder(a: Enqueued, b: Enqueued): number {
  return a.enqueuedAt.getTime() - b.enqueuedAt.getTime() || a.id - b.id;
}

/** Positions 1..n in queue order for waiting parties. */
export function assignPositions<T extends Enqueued>(waiting: readonly T[]): Array<T & { position: number }> {
  return [...waiting].sort(compareQueueOrder).map((row, index) => ({ ...row, position: index + 1 }));
}

/**
 * Characters that change how a name is shown rather than what it says: bidi overrides and
 * isolates (a name that reverses the text after it), zero-width characters (a name that hides
 * text or looks like another), line and paragraph separators, and control characters.
 */
const INVISIBLE = /[\p{Cc}\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF]/u;

export function hasInvisibleCharacters(name: string): boolean {
  return INVISIBLE.test(name);
}

/** One form per name: NFKC (full-width letters, ligatures and look-alike forms folded) and single spaces. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** The words of a name: runs of letters (with marks, apostrophes and hyphens inside), punctuation dropped. */
const words = (text: string) => text.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? [];

/**
 * What the TV shows: a first name and an initial, never a full name, whatever the order or
 * punctuation: "Alex Rivera" → "Alex R.", "Rivera, Alexandra" → "Alexandra R.",
 * "  alex   (birthday!)" → "alex B.".
 */
export function displayName(customerName: string): string {
  const name = normalizeName(customerName);
  const comma = name.indexOf(',');
  // "Surname, First names": the given name comes after the comma.
  const [given, family] = comma > 0 && words(name.slice(comma + 1)).length ? [words(name.slice(comma + 1)), words(name.slice(0, comma))] : [words(name), []];
  const first = given[0] ?? '';
  const last = family.length ? family[0]! : given.length > 1 ? given[given.length - 1]! : '';
  if (!last) return first;
  return `${first} ${Array.from(last)[0]!.toLocaleUpperCase()}.`;
}

const CODE_ALPHABET = 'ACDEFHJKMNPRTUVWXY34679';
export const CODE_LENGTH = 4;

/** A short public code like "K7FA": no 0/O, 1/I/L look-alikes, easy to read off a TV. */
export function generateCode(randomInt: (max: number) => number): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function isValidCode(code: string): boolean {
  return new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`).test(code);
}
