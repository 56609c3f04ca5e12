import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import { LANGUAGES } from '../i18n/languages';
import { fieldIssue } from '../errors';
import { isPublicOrigin, isTimeZone } from '../config';
import { WEEKDAYS, withinSpan, type DayHours, type OpeningHours, type Weekday } from './hours';

extend([a11yPlugin]);

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

// The café's identity (server/settings/identity.ts).


/** Buttons and header bands put white text on the accent (client/src/styles.css). */
export const ACCENT_TEXT_COLOUR = '#ffffff';
export const MIN_CONTRAST = 4.5;

const accentColour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #2348b5')
  .superRefine((colour, check) => {
    const ratio = colord(colour).contrast(ACCENT_TEXT_COLOUR);
    if (ratio < MIN_CONTRAST) {
      const shown = ratio.toFixed(2);
      check.addIssue({
        code: 'custom',
        ...fieldIssue(
          'accent_contrast',
          `White text on ${colour} has a contrast of ${shown}:1; it must be at least ${MIN_CONTRAST}:1 to be readable (WCAG AA). Choose a darker colour.`,
          { colour, ratio: Number(shown), min: MIN_CONTRAST },
        ),
      });
    }
  })
  .openapi({ description: `Hex colour; white text on it must reach a WCAG contrast of ${MIN_CONTRAST}:1`, example: '#2348b5' });

const timeZone = z
  .string()
  .refine(isTimeZone, fieldIssue('unknown_time_zone', 'Unknown time zone; use an IANA name like Europe/Berlin'))
  .openapi({ example: 'Europe/Berlin' });

const publicUrl = z
  .string()
  .refine(isPublicOrigin, fieldIssue('public_url', 'Use the address customers open, scheme and host only, like https://queue.example.com'))
  .openapi({ description: 'Where phones reach the queue: the QR code and links use it', example: 'https://queue.example.com' });

export const CafeSettingsBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Write the café’s name').max(60, 'At most 60 characters').nullable().openapi({ description: 'null: CAFE_NAME' }),
    accent: accentColour.nullable().openapi({ description: 'null: the built-in blue' }),
    publicUrl: publicUrl.nullable().openapi({ description: 'null: PUBLIC_URL, else the address each screen was opened at' }),
    timeZone: timeZone.nullable().openapi({ description: 'null: CAFE_TIMEZONE' }),
    language: z.enum(LANGUAGES).openapi({ description: 'The language screens use until someone picks another' }),
  })
  .openapi('CafeSettingsInput');

const logoUrl = z.string().nullable().openapi({ description: 'Content-hashed: cache it for ever; null: no logo', example: '/api/cafe/logo/3f1c….png' });

export const CafeSchema = z
  .object({
    name: z.string(),
    logoUrl,
    accent: z.string().openapi({ example: '#2348b5' }),
    publicUrl: z.string().nullable().openapi({ description: 'null: use the address the screen was opened at' }),
    timeZone: z.string(),
    language: z.enum(LANGUAGES),
    version: z.number().int().openapi({ description: 'Moves with every change (a screen keeps the newest it has seen)' }),
  })
  .openapi('Cafe');

export const CafeSettingsSchema = CafeSettingsBody.extend({
  logoUrl,
  defaults: z.object({ name: z.string(), accent: z.string(), publicUrl: z.string().nullable(), timeZone: z.string() }),
  updatedBy: z.string().nullable(),
  updatedAt: isoDate.nullable(),
}).openapi('CafeSettings');

export const LogoUploadBody = z
  .strictObject({
    data: z
      .string()
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Send the image as plain base64 (no data: prefix)')
      .min(1, 'The image is empty')
      .openapi({ description: 'The image file, base64; PNG, JPEG or WebP, at most 256 KiB' }),
  })
  .openapi('LogoUpload');

export const LogoParams = z.object({
  file: z
    .string()
    .regex(/^[0-9a-f]{64}\.(png|jpg|webp)$/, 'Not a logo address')
    .openapi({ param: { name: 'file', in: 'path' } }),
});

const ManifestIconSchema = z
  .object({
    src: z.string().openapi({ example: '/icons/icon-192.png' }),
    sizes: z.string().openapi({ description: 'WIDTHxHEIGHT, read from the image', example: '192x192' }),
    type: z.string().openapi({ example: 'image/png' }),
    purpose: z.enum(['any', 'maskable']).optional(),
  })
  .openapi('ManifestIcon');

export const WebAppManifestSchema = z
  .object({
    name: z.string().openapi({ description: "The café's name", example: 'Dice & Slice Board Game Café' }),
    short_name: z.string().openapi({ description: 'What fits under a home-screen icon (at most 12 characters, whole words where it can)', example: 'Dice & Slice' }),
    description: z.string(),
    lang: z.enum(LANGUAGES).openapi({ description: "The café's default language" }),
    start_url: z.literal('/join'),
    scope: z.literal('/'),
    display: z.literal('standalone'),
    background_color: z.string().openapi({ example: '#f5f3ee' }),
    theme_color: z.string().openapi({ description: "The café's accent", example: '#2348b5' }),
    icons: z.array(ManifestIconSchema).openapi({ description: "The café's logo when it is a square PNG of at least 192 px, else the app's own icons" }),
  })
  .openapi('WebAppManifest');

