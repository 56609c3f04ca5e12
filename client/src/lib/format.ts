// Display formatting shared by the screens. Pure: no Vue, no DOM, so Jest can load it.

import type { ReservationStatus, WaitEstimate } from '../api/types';

const MINUTE = 60_000;

/** Whole minutes since `since`; never negative, because tablet clocks drift from the server's. */
export function minutesSince(since: string, now: number): number {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, Math.floor((now - start) / MINUTE));
}

/** "<1 min", "12 min", "1 h 5 min". */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  if (whole < 1) return '<1 min';
  if (whole < 60) return `${whole} min`;
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "waited 12 min" for the staff table's ticking column. */
export function formatWaited(enqueuedAt: string, now: number): string {
  return `waited ${formatMinutes(minutesSince(enqueuedAt, now))}`;
}

/** A wait as the API gives it: the quote with its range, or (older payloads) whole minutes. */
export type Wait = WaitEstimate | number | null | undefined;

function asEstimate(wait: Wait): WaitEstimate | null {
  if (wait === null || wait === undefined) return null;
  if (typeof wait === 'number') return Number.isFinite(wait) ? { minutes: wait, lowMinutes: wait, highMinutes: wait } : null;
  return Number.isFinite(wait.minutes) ? wait : null;
}

/** The estimator was unsure: show its range rather than one number. */
function isRange(wait: WaitEstimate): boolean {
  return wait.minutes >= 1 && wait.highMinutes > wait.lowMinutes;
}

/**
 * Estimated wait for customers: "about 12 min", "15–25 min" when the estimate is unsure,
 * "any minute now", or a dash when unknown (a game with no copy to lend: never "now").
 * Beyond an hour the minutes go to fives; nobody plans around "3 h 33 min".
 */
export function formatEstimate(wait: Wait): string {
  const estimate = asEstimate(wait);
  if (!estimate) return '—';
  if (estimate.minutes < 1) return 'any minute now';
  if (isRange(estimate)) {
    const [low, high] = [roundEstimate(estimate.lowMinutes), roundEstimate(estimate.highMinutes)];
    return high < 60 ? `${low}–${high} min` : `${formatMinutes(low)} – ${formatMinutes(high)}`;
  }
  return `about ${formatMinutes(roundEstimate(estimate.minutes))}`;
}

function roundEstimate(minutes: number): number {
  const whole = Math.round(minutes);
  return whole < 60 ? whole : Math.round(whole / 5) * 5;
}

/** Hours to the half hour for the TV: "1", "1½", "2". */
function halfHours(minutes: number, round: (x: number) => number): string {
  const halves = Math.max(1, round(minutes / 30));
  return `${Math.floor(halves / 2) || ''}${halves % 2 ? '½' : ''}`;
}

/**
 * Shorter form for the TV, where a column has room for seven characters: "~12 min", "~1h 15m",
 * "~2h", "now", and for an unsure estimate "15–25m", "50–90m" or "1–2½h".
 */
export function formatEstimateShort(wait: Wait): string {
  const estimate = asEstimate(wait);
  if (!estimate) return '—';
  if (estimate.minutes < 1) return 'now';
  if (isRange(estimate)) {
    if (estimate.highMinutes < 120) return `${Math.round(estimate.lowMinutes)}–${Math.round(estimate.highMinutes)}m`;
    return `${halfHours(estimate.lowMinutes, Math.floor)}–${halfHours(estimate.highMinutes, Math.ceil)}h`;
  }
  const rounded = roundEstimate(estimate.minutes);
  if (rounded < 60) return `~${rounded} min`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `~${hours}h` : `~${hours}h ${rest}m`;
}

/** The join page's game list, where a phone has little room: "No wait", "~20 min wait", "15–25m wait", "1–1½h wait"; null: "—". */
export function formatJoinWait(wait: Wait): string {
  const estimate = asEstimate(wait);
  if (!estimate) return '—';
  if (estimate.minutes < 1) return 'No wait';
  return `${formatEstimateShort(estimate)} wait`;
}

/** "4:59" left on a hold, "0:00" once it has run out. */
export function formatCountdown(until: string | null, now: number): string {
  if (!until) return '';
  const end = Date.parse(until);
  if (Number.isNaN(end)) return '';
  const seconds = Math.max(0, Math.ceil((end - now) / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

const statusLabels: Record<ReservationStatus, string> = {
  waiting: 'Waiting',
  called: 'Called',
  seated: 'Seated',
  finished: 'Finished',
  no_show: 'No-show',
  cancelled: 'Cancelled',
};

export function statusLabel(status: ReservationStatus): string {
  return statusLabels[status] ?? status;
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

export function partyLabel(size: number): string {
  return size === 1 ? '1 person' : `${size} people`;
}
