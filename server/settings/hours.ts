import { DateTime } from 'luxon';

/**
 * Opening hours, pure: when a customer may join, when the queue closes for the day, and when
 * the café day's close-out is due. Every wall-clock time is in the café's time zone
 * (CAFE_TIMEZONE), so a day on which the clocks change is 23 or 25 hours long and the hours
 * still mean what they say. Rules for the odd cases:
 * - a closing time at or before the opening time is on the next calendar day (17:00–01:00);
 * - a wall-clock time that does not exist (the hour skipped in spring) is moved forward by the
 *   gap (02:30 → 03:30), and one that happens twice (autumn) is the second, later one.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:MM", 24-hour. */
export type ClockTime = string;

export interface DayHours {
  open: ClockTime;
  close: ClockTime;
  /** the last moment a customer may join (null: until closing) */
  lastJoin: ClockTime | null;
}

export interface OpeningHours {
  /** false: the queue is always open and nothing is closed out automatically */
  enabled: boolean;
  /** null: closed all day */
  days: Record<Weekday, DayHours | null>;
  /** shown to customers whose join is refused because the queue is closed */
  closedMessage: string;
}

export const ALWAYS_OPEN: OpeningHours = {
  enabled: false,
  days: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null },
  closedMessage: 'The queue is closed right now.',
};

/** One café day's session as instants. */
export interface Session {
  /** the café date (YYYY-MM-DD) the session belongs to: the day it opens */
  date: string;
  opensAt: Date;
  lastJoinAt: Date;
  closesAt: Date;
}

const minutesOf = (time: ClockTime) => {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
};

/** `time` on calendar day `day` (plus `addDays`) in `zone`. */
function at(day: DateTime, time: ClockTime, addDays = 0): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  const date = day.plus({ days: addDays });
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour, minute }, { zone: day.zone });
}

/** Whether `time` falls in the span from `open` to `close` (which may cross midnight). */
export function withinSpan(open: ClockTime, close: ClockTime, time: ClockTime): boolean {
  const o = minutesOf(open);
  const c = minutesOf(close) <= o ? minutesOf(close) + 24 * 60 : minutesOf(close);
  const t = minutesOf(time) < o ? minutesOf(time) + 24 * 60 : minutesOf(time);
  return t > o && t <= c;
}

/** The session of café date `day` (a luxon date at midnight in the café's zone), if it opens that day. */
function sessionOf(hours: OpeningHours, day: DateTime): Session | null {
  const today = hours.days[WEEKDAYS[day.weekday - 1]!];
  if (!today) return null;
  const crosses = minutesOf(today.close) <= minutesOf(today.open);
  const lastJoinNextDay = today.lastJoin !== null && minutesOf(today.lastJoin) <= minutesOf(today.open);
  return {
    date: day.toISODate()!,
    opensAt: at(day, today.open).toJSDate(),
    lastJoinAt: today.lastJoin ? at(day, today.lastJoin, lastJoinNextDay ? 1 : 0).toJSDate() : at(day, today.close, crosses ? 1 : 0).toJSDate(),
    closesAt: at(day, today.close, crosses ? 1 : 0).toJSDate(),
  };
}

/** The sessions of the café dates from `fromDays` to `toDays` around `now`'s date, in order. */
function sessionsAround(hours: OpeningHours, now: Date, timeZone: string, fromDays: number, toDays: number): Session[] {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const sessions: Session[] = [];
  for (let d = fromDays; d <= toDays; d += 1) {
    const session = sessionOf(hours, today.plus({ days: d }));
    if (session) sessions.push(session);
  }
  return sessions;
}

export type JoinWindow = { open: true } | { open: false; reason: 'closed' | 'last_join_passed'; opensAt: Date | null };

/** Whether a customer may join at `now`, and if not why and when the queue opens again. */
export function joinWindow(hours: OpeningHours, now: Date, timeZone: string): JoinWindow {
  if (!hours.enabled) return { open: true };
  const sessions = sessionsAround(hours, now, timeZone, -1, 7);
  const current = sessions.find((s) => s.opensAt <= now && now < s.closesAt);
  if (current && now < current.lastJoinAt) return { open: true };
  const next = sessions.find((s) => s.opensAt > now);
  return { open: false, reason: current ? 'last_join_passed' : 'closed', opensAt: next?.opensAt ?? null };
}

/** The latest closing time at or before `now`: the café day that is due to be closed out. */
export function dueCloseOut(hours: OpeningHours, now: Date, timeZone: string): Session | null {
  if (!hours.enabled) return null;
  const past = sessionsAround(hours, now, timeZone, -8, 0).filter((s) => s.closesAt <= now);
  return past.at(-1) ?? null;
}

/** How long the café is open between two instants (for copy utilisation); all of it when hours are off. */
export function openMsBetween(hours: OpeningHours, from: Date, to: Date, timeZone: string): number {
  if (!hours.enabled) return Math.max(0, to.getTime() - from.getTime());
  const days = Math.ceil((to.getTime() - from.getTime()) / 86_400_000) + 1;
  let total = 0;
  for (let d = -1; d <= days; d += 1) {
    const session = sessionOf(hours, DateTime.fromJSDate(from, { zone: timeZone }).startOf('day').plus({ days: d }));
    if (!session) continue;
    const start = Math.max(session.opensAt.getTime(), from.getTime());
    const end = Math.min(session.closesAt.getTime(), to.getTime());
    if (end > start) total += end - start;
  }
  return total;
}

/** "Tuesday 17:00" in the café's zone and English, for messages. */
export function describeMoment(moment: Date, timeZone: string, now: Date): string {
  const when = DateTime.fromJSDate(moment, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const dayDiff = Math.round(when.startOf('day').diff(today, 'days').days);
  const day = dayDiff === 0 ? 'today' : dayDiff === 1 ? 'tomorrow' : `on ${when.setLocale('en').toFormat('cccc')}`;
  return `${day} at ${when.toFormat('HH:mm')}`;
}

/** The plain words a refused customer reads on /join. */
export function refusalMessage(hours: OpeningHours, window: Exclude<JoinWindow, { open: true }>, timeZone: string, now: Date): string {
  const why = window.reason === 'last_join_passed' ? 'The queue has closed for new parties tonight.' : hours.closedMessage.trim();
  const again = window.opensAt ? ` It opens again ${describeMoment(window.opensAt, timeZone, now)}.` : '';
  return `${why}${again}`;
}
