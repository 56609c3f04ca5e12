import { DateTime } from 'luxon';
import { z } from '../http/zod';

const MAX_DAYS = 366;

const cafeDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-30')
  .refine((d) => DateTime.fromISO(d).isValid, 'Not a date on the calendar')
  .openapi({ example: '2026-11-30' });

const rangeFields = { from: cafeDate, to: cafeDate };

/** The checks every range query makes: in order, and not too long. */
export function checkedRange<T extends z.ZodObject<typeof rangeFields>>(schema: T) {
  return schema
    .refine((r) => r.from <= r.to, { message: '`from` must not be after `to`', path: ['from'] })
    .refine((r) => DateTime.fromISO(r.to).diff(DateTime.fromISO(r.from), 'days').days < MAX_DAYS, {
      message: `At most ${MAX_DAYS} days at once`,
      path: ['to'],
    });
}

/** A range of café days, both ends included, in CAFE_TIMEZONE. */
export const DateRangeFields = z.object(rangeFields);
export const DateRangeQuery = checkedRange(DateRangeFields);
export type DateRange = z.infer<typeof DateRangeFields>;

/** The instants the range covers: midnight of `from` to midnight after `to`, in the café's zone (a DST day is 23 or 25 hours). */
export function rangeInstants(range: DateRange, timeZone: string): { since: Date; until: Date } {
  return {
    since: DateTime.fromISO(range.from, { zone: timeZone }).startOf('day').toJSDate(),
    until: DateTime.fromISO(range.to, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

/** The hour of day (0–23) of an instant in the café's zone. */
export const localHour = (at: Date, timeZone: string) => DateTime.fromJSDate(at, { zone: timeZone }).hour;

/** An instant as the café's wall clock, "2026-11-30 19:05:12", for exports read by people. */
export const localTime = (at: Date | null, timeZone: string) => (at ? DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss') : '');
