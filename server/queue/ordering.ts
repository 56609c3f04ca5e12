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

/** "Alex Rivera" → "Alex R."; the board never shows a full name. */
export function displayName(customerName: string): string {
  const words = customerName.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  if (words.length < 2) return first;
  const initial = Array.from(words[words.length - 1]!)[0]!.toLocaleUpperCase();
  return `${first} ${initial}.`;
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
