// Frozen copy of the estimator on main before issue 15 (server/queue/estimates.ts at c5b3432)
// and the 10 recent sessions it read (readModel.RECENT_SESSIONS): "today's" in bench/estimates.ts.
// Kept only as a baseline to measure against; the service no longer uses it.

/** A copy that is in use: it frees at hold start (called) or seating time + expected play time. */
export interface BusyCopy {
  status: 'called' | 'seated';
  calledAt: Date | null;
  seatedAt: Date | null;
}

export interface EstimateInput {
  now: Date;
  copies: number;
  expectedPlayMs: number;
  busy: BusyCopy[];
  waitingCount: number;
}

const MINUTE = 60_000;

/** Sessions needed before a game's measured play time replaces its nominal one. */
export const MIN_SESSIONS_FOR_MEASURED_PLAY = 3;

/** Mean of recent finished sessions when there are enough of them, else the nominal play time. */
export function expectedPlayMs(playMinutes: number, recentSessionsMs: number[]): number {
  if (recentSessionsMs.length < MIN_SESSIONS_FOR_MEASURED_PLAY) return playMinutes * MINUTE;
  return recentSessionsMs.reduce((sum, ms) => sum + ms, 0) / recentSessionsMs.length;
}

/**
 * Estimated wait in whole minutes for each waiting party, in queue order. Copies are servers:
 * each party goes to the copy that frees first, which then frees again one play time later.
 * Null for everyone when the game has no copy to lend. Never decreases down the queue.
 */
export function estimateWaits(input: EstimateInput): Array<number | null> {
  const { now, copies, expectedPlayMs: play, busy, waitingCount } = input;
  if (copies <= 0) return Array.from({ length: waitingCount }, () => null);
  const nowMs = now.getTime();
  const freesAt = busy.map((copy) => {
    const start = copy.status === 'seated' ? copy.seatedAt : copy.calledAt;
    return Math.max(nowMs, (start ?? now).getTime() + play);
  });
  for (let i = busy.length; i < copies; i += 1) freesAt.push(nowMs);
  freesAt.sort((a, b) => a - b);
  // With fewer copies than parties using them (copies were reduced), the first to free is retired.
  const servers = freesAt.slice(freesAt.length - copies);

  const waits: number[] = [];
  for (let i = 0; i < waitingCount; i += 1) {
    let earliest = 0;
    for (let s = 1; s < servers.length; s += 1) if (servers[s]! < servers[earliest]!) earliest = s;
    const start = servers[earliest]!;
    waits.push(Math.ceil((start - nowMs) / MINUTE));
    servers[earliest] = start + play;
  }
  return waits;
}

/** How many recent finished sessions today's estimator read per game. */
export const TODAY_RECENT_SESSIONS = 10;
