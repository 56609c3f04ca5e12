// Display formatting shared by the screens, in the active language: numbers, units, dates and
// ranges through `Intl`, the words around them from the catalogues (client/src/i18n). No DOM,
// so Jest can load it; a template calling these re-renders when the language changes, because
// they read the locale ref.

import { shallowRef } from 'vue';
import type { ReservationStatus, WaitEstimate } from '../api/types';
import { i18n } from '../i18n';

const MINUTE = 60_000;

const t = i18n.global.t;
const locale = () => i18n.global.locale.value;

type UnitDisplay = 'short' | 'narrow';
const unitFormats = new Map<string, Intl.NumberFormat>();
/** One cached formatter per locale, unit and width: building them is the slow part. */
function unit(name: 'minute' | 'hour', display: UnitDisplay = 'short'): Intl.NumberFormat {
  const key = `${locale()}|${name}|${display}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale(), { style: 'unit', unit: name, unitDisplay: display });
    unitFormats.set(key, format);
  }
  return format;
}

/** "15–25 min" as the locale writes a range (Intl's formatRange: ES2023, which the TS lib here predates). */
function range(format: Intl.NumberFormat, low: number, high: number): string {
  return (format as Intl.NumberFormat & { formatRange(start: number, end: number): string }).formatRange(low, high);
}

/** Whole minutes since `since`; never negative, because tablet clocks drift from the server's. */
export function minutesSince(since: string, now: number): number {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, Math.floor((now - start) / MINUTE));
}

function hoursAndMinutes(whole: number, display: UnitDisplay): string {
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  const h = unit('hour', display).format(hours);
  return rest === 0 ? h : `${h} ${unit('minute', display).format(rest)}`;
}

/** "<1 min", "12 min", "1 hr 5 min" (en); "12 Min.", "1 Std. 5 Min." (de). */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  if (whole < 1) return t('format.underAMinute');
  if (whole < 60) return unit('minute').format(whole);
  return hoursAndMinutes(whole, 'short');
}

/** "waited 12 min" for the staff table's ticking column. */
export function formatWaited(enqueuedAt: string, now: number): string {
  return t('format.waited', { duration: formatMinutes(minutesSince(enqueuedAt, now)) });
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
 * Beyond an hour the minutes go to fives; nobody plans around "3 hr 33 min".
 */
export function formatEstimate(wait: Wait): string {
  const estimate = asEstimate(wait);
  if (!estimate) return '—';
  if (estimate.minutes < 1) return t('format.anyMinute');
  if (isRange(estimate)) {
    const [low, high] = [roundEstimate(estimate.lowMinutes), roundEstimate(estimate.highMinutes)];
    return high < 60 ? range(unit('minute'), low, high) : `${formatMinutes(low)} – ${formatMinutes(high)}`;
  }
  return t('format.about', { duration: formatMinutes(roundEstimate(estimate.minutes)) });
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
 * "~2h", "now", and for an unsure estimate "15–25m", "50–90m" or "1–2½h" (en; Intl's narrow units elsewhere).
 */
export function formatEstimateShort(wait: Wait): string {
  const estimate = asEstimate(wait);
  if (!estimate) return '—';
  if (estimate.minutes < 1) return t('format.now');
  if (isRange(estimate)) {
    if (estimate.highMinutes < 120) return range(unit('minute', 'narrow'), Math.round(estimate.lowMinutes), Math.round(estimate.highMinutes));
    return t('format.halfHours', { range: `${halfHours(estimate.lowMinutes, Math.floor)}–${halfHours(estimate.highMinutes, Math.ceil)}` });
  }
  const rounded = roundEstimate(estimate.minutes);
  if (rounded < 60) return t('format.approx', { value: unit('minute').format(rounded) });
  return t('format.approx', { value: hoursAndMinutes(rounded, 'narrow') });
}

/** The join page's game list, where a phone has little room: "No wait", "~20 min wait", "15–25m wait", "1–1½h wait"; null: "—". */
export function formatJoinWait(wait: Wait): string {
  const estimate = asEstimate(wait);
  if (!estimate) return '—';
  if (estimate.minutes < 1) return t('format.noWait');
  return t('format.wait', { wait: formatEstimateShort(estimate) });
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

/** "Waiting", "No-show"; a status this client does not know (an audit entry's) as it is. */
export function statusLabel(status: ReservationStatus | (string & {})): string {
  return i18n.global.te(`status.${status}`) ? t(`status.${status}`) : status;
}

/** "1st", "2nd", "3rd", "11th", "22nd" (en, by Intl's ordinal rules); "1." (de); "1.º" (es). */
export function ordinal(n: number): string {
  const category = new Intl.PluralRules(locale(), { type: 'ordinal' }).select(n);
  return t(`format.ordinal.${category}`, { n });
}

/** "1 person", "4 people" (through vue-i18n's plural rules). */
export function partyLabel(size: number): string {
  return t('format.party', { n: size }, size);
}

/**
 * The zone every time of day and date is shown in: the café's, never the device's. A TV or a
 * phone set to another zone would otherwise show a clock and "until 18:05" that disagree with
 * the café's wall clock. The café store (stores/cafe.ts) sets it from the café's identity;
 * until then (and in specs that set none) it is the device's own. A ref, so a template showing
 * a time re-renders when an admin changes the zone.
 */
const displayZone = shallowRef<string | undefined>(undefined);

/** Whether this browser's Intl knows `zone` (the server's list and an old browser's can differ). */
function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Times from now on are shown in `zone` (an IANA name); one this browser does not know leaves the device's. */
export function setDisplayTimeZone(zone: string | null): void {
  displayZone.value = zone && knownZone(zone) ? zone : undefined;
}

/** A time of day in the active language and the café's zone: "6:05 PM", "18:05". */
export function formatTime(at: string | number | Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', timeZone: displayZone.value }).format(new Date(at));
}

/** A date and time in the café's zone: "Nov 30, 2026, 6:05 PM", "30.11.2026, 18:05". */
export function formatDateTime(at: string | number | Date): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: displayZone.value }).format(new Date(at));
}

/** The café's calendar date of an instant, as the API's date ranges take it: "2026-11-30". */
export function cafeDate(at: string | number | Date): string {
  // en-CA writes a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: displayZone.value }).format(new Date(at));
}

/** A plain number in the active language ("1,234.5", "1.234,5"). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale(), options).format(value);
}
