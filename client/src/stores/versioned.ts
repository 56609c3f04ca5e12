// The version rule for realtime state. Kept free of Vue and the DOM so Jest can load it.
//
// Every state payload carries a service-wide version that only grows. A screen keeps the
// highest version it has applied and drops anything at or below it, so a late or duplicated
// message can never roll the screen back.

export function shouldApply(held: number | null | undefined, incoming: number): boolean {
  if (!Number.isFinite(incoming)) return false;
  return held === null || held === undefined || incoming > held;
}
