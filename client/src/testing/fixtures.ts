// Records as the server sends them, for component specs: every field present, overrides win.
import type { Reservation, StaffGame, Ticket } from '../api';

/** A fixed evening, so "waited" and countdown figures are the same on every run. */
export const NOW = Date.parse('2026-11-22T19:30:00.000Z');
export const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
export const secondsFromNow = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

let ids = 0;

export function reservation(fields: Partial<Reservation> = {}): Reservation {
  ids += 1;
  return {
    id: ids,
    gameId: 1,
    code: `R${String(ids).padStart(3, '0')}`,
    customerName: 'Alex Rivera',
    partySize: 2,
    tableNumber: null,
    status: 'waiting',
    position: null,
    estimatedWaitMinutes: null,
    estimatedWait: null,
    enqueuedAt: minutesAgo(10),
    calledAt: null,
    holdExpiresAt: null,
    seatedAt: null,
    wrappingUpAt: null,
    finishedAt: null,
    sameDeviceAs: [],
    language: null,
    ...fields,
  };
}

export function staffGame(fields: Partial<StaffGame> = {}): StaffGame {
  return { id: 1, title: 'Catan', copies: 1, copiesInUse: 0, autoAdvance: false, calling: [], waiting: [], seated: [], quotedWaitMinutes: 0, quotedWait: null, ...fields };
}

export function ticket(fields: Partial<Ticket> = {}): Ticket {
  return {
    code: 'K7FA',
    gameId: 1,
    gameTitle: 'Catan',
    displayName: 'Alex R.',
    status: 'waiting',
    position: 3,
    language: null,
    estimatedWaitMinutes: 25,
    estimatedWait: null,
    holdExpiresAt: null,
    gameAvailable: true,
    ...fields,
  };
}
