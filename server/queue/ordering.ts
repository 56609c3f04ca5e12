/**
 * The queue order: first come, first served by the party's place (`queueAt`: the database's
 * time when it joined, unless staff moved it), then id.
 */
export interface Queued {
  id: number;
  queueAt: Date;
}

export function compareQueueOrder(a: Queued, b: Queued): number {
  return a.queueAt.getTime() - b.queueAt.getTime() || a.id - b.id;
}

/** Positions 1..n in queue order for waiting parties. */
export function assignPositions<T extends Queued>(waiting: readonly T[]): Array<T & { position: number }> {
  return [...waiting].sort(compareQueueOrder).map((row, index) => ({ ...row, position: index + 1 }));
}

/** The smallest step between two places (`queue_at` is DATETIME(3)). */
const STEP_MS = 1;

/**
 * A waiting party moves one place up or down: it swaps places with its neighbour. Returns the
 * new `queueAt` of every party whose place value changes, or null when there is no neighbour
 * (already first or last). The places handed out are the ones the queue already had, made
 * strictly increasing by stepping back (never forward) where parties shared one (a batch of
 * joins): so nobody moves past a party that is not one of the two, and a party joining later
 * still comes after all of them.
 */
export function swapPlaces(waiting: readonly Queued[], id: number, direction: 'up' | 'down'): Map<number, Date> | null {
  const order = [...waiting].sort(compareQueueOrder);
  const at = order.findIndex((r) => r.id === id);
  if (at < 0) return null;
  const other = direction === 'up' ? at - 1 : at + 1;
  if (other < 0 || other >= order.length) return null;
  const places = order.map((r) => r.queueAt.getTime());
  [order[at], order[other]] = [order[other]!, order[at]!];
  const next = [...places];
  for (let i = next.length - 2; i >= 0; i -= 1) next[i] = Math.min(places[i]!, next[i + 1]! - STEP_MS);
  const changed = new Map<number, Date>();
  order.forEach((r, i) => {
    if (r.queueAt.getTime() !== next[i]) changed.set(r.id, new Date(next[i]!));
  });
  return changed;
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
