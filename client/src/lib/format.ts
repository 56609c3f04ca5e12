// Display formatting shared by the screens. Pure: no Vue, no DOM, so Jest can load it.

import type { ReservationStatus } from '../api/types';

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

/**
 * Estimated wait for customers: "about 12 min", "about 1 h 35 min", "any minute now", or a dash
 * when unknown. Beyond an hour the minutes go to fives; nobody plans around "3 h 33 min".
 */
export function formatEstimate(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return 'any minute now';
  return `about ${formatMinutes(roundEstimate(minutes))}`;
}

function roundEstimate(minutes: number): number {
  const whole = Math.round(minutes);
  return whole < 60 ? whole : Math.round(whole / 5) * 5;
}

/** Shorter form for the TV, where a column has room for seven characters: "~12 min", "~1h 15m", "~2h", "now". */
export function formatEstimateShort(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return 'now';
  const rounded = roundEstimate(minutes);
  if (rounded < 60) return `~${rounded} min`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `~${hours}h` : `~${hours}h ${rest}m`;
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
