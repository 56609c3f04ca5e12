import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import { WEEKDAYS, withinSpan, type DayHours, type OpeningHours, type Weekday } from './hours';

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 17:30')
  .openapi({ example: '17:30' });

export const DayHoursSchema = z
  .strictObject({
    open: clockTime,
    close: clockTime.openapi({ description: 'At or before `open`: the next day (17:00–01:00)' }),
    lastJoin: clockTime.nullable().openapi({ description: 'Last moment customers may join; null: until closing' }),
  })
  .refine((d) => d.open !== d.close, { message: 'Opening and closing times must differ', path: ['close'] })
  .refine((d) => d.lastJoin === null || withinSpan(d.open, d.close, d.lastJoin), {
    message: 'The last join must be after opening and no later than closing',
    path: ['lastJoin'],
  })
  .openapi('DayHours');

const days = Object.fromEntries(WEEKDAYS.map((day) => [day, DayHoursSchema.nullable()])) as Record<Weekday, z.ZodNullable<typeof DayHoursSchema>>;

export const OpeningHoursBody = z
  .strictObject({
    enabled: z.boolean().openapi({ description: 'false: the queue is always open and nothing is closed out automatically' }),
    days: z.strictObject(days).openapi({ description: 'Per weekday, null: closed all day' }),
    closedMessage: z.string().trim().min(1, 'Write the message customers see while the queue is closed').max(200, 'At most 200 characters'),
  })
  .openapi('OpeningHoursInput');

export const OpeningHoursSchema = OpeningHoursBody.extend({
  updatedBy: z.string().nullable(),
  updatedAt: isoDate.nullable(),
}).openapi('OpeningHours');

export const QueueStatusSchema = z
  .object({
    open: z.boolean().openapi({ description: 'Whether customers may join right now' }),
    message: z.string().nullable().openapi({ description: 'Why not, in plain words (null when open)' }),
    opensAt: isoDate.nullable(),
  })
  .openapi('QueueStatus');

// The schema's output must stay the pure type the rules in hours.ts work on.
export type _Checked = [z.infer<typeof DayHoursSchema> extends DayHours ? true : never, z.infer<typeof OpeningHoursBody> extends OpeningHours ? true : never];
