import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import { STATUSES } from './states';
import { hasInvisibleCharacters, normalizeName } from './ordering';
import { PhoneNumber } from '../notify/phone';
import { ContactSchema } from '../notify/contact';
import { LanguageSchema } from '../i18n/languages';

export const StatusSchema = z.enum(STATUSES).openapi('ReservationStatus');

export const WaitEstimateSchema = z
  .object({
    minutes: z.number().int().openapi({ description: 'The quote: the median wait; 0 means "now"' }),
    lowMinutes: z.number().int(),
    highMinutes: z.number().int(),
  })
  .openapi('WaitEstimate', {
    description: 'A wait in whole minutes: a single number when lowMinutes = highMinutes = minutes, else a range to show ("15–25 min")',
  });

export const ReservationSchema = z
  .object({
    id: z.number().int(),
    gameId: z.number().int(),
    code: z.string().openapi({ example: 'K7FA' }),
    customerName: z.string(),
    partySize: z.number().int(),
    tableNumber: z.number().int().nullable(),
    status: StatusSchema,
    position: z.number().int().nullable().openapi({ description: '1-based among waiting parties; null unless waiting' }),
    estimatedWaitMinutes: z.number().int().nullable().openapi({ description: 'null unless waiting (and when the game has no copy to lend)' }),
    estimatedWait: WaitEstimateSchema.nullable().openapi({ description: 'The same quote with its range; null when estimatedWaitMinutes is' }),
    enqueuedAt: isoDate,
    calledAt: isoDate.nullable(),
    holdExpiresAt: isoDate.nullable(),
    seatedAt: isoDate.nullable(),
    wrappingUpAt: isoDate.nullable().openapi({ description: 'When staff marked the table "wrapping up" (its last round); null if not' }),
    finishedAt: isoDate.nullable(),
    language: LanguageSchema.nullable().openapi({ description: "Chosen on /join; null: the café's default" }),
    sameDeviceAs: z.array(z.string()).openapi({
      description: "Codes of this game's other live parties that joined from the same phone (empty when none)",
    }),
    contact: ContactSchema.optional().openapi({ description: 'On live queues (lists, the staff socket): how the party is reached, its last message' }),
  })
  .openapi('Reservation');

export const CreatedReservationSchema = ReservationSchema.extend({
  secret: z.string().openapi({ description: "Returned only here: the customer's key to cancel their own ticket" }),
}).openapi('CreatedReservation');

const customerName = z
  .string('Enter a name')
  // Names go on a TV and into logs: nothing that hides, reverses or breaks the text around it.
  .refine((name) => !hasInvisibleCharacters(name), 'Letters, digits and punctuation only (no invisible or text-direction characters)')
  // Then one form per name (NFKC can lengthen a string, so the length is checked after).
  .overwrite(normalizeName)
  .min(1, 'Enter a name')
  .max(60, 'At most 60 characters');
const partySize = z.number('A number from 1 to 20').int('A whole number').min(1, 'At least 1').max(20, 'At most 20');
const tableNumber = z.number('A number from 1 to 999').int('A whole number').min(1, 'At least 1').max(999, 'At most 999').nullable();

export const JoinBody = z
  .strictObject({
    customerName,
    partySize: partySize.default(1),
    tableNumber: tableNumber.default(null),
    anotherParty: z.boolean('true or false').default(false).openapi({
      description: 'A second party on purpose: without it, a phone with a live ticket for this game gets 409 naming that ticket',
    }),
    phone: PhoneNumber.nullable().default(null),
    language: LanguageSchema.optional().openapi({
      description: "The language the party chose: its ticket page and its push and text messages use it (absent: the café's default)",
    }),
  })
  .openapi('JoinQueue');

export const ReservationPatchBody = z
  .strictObject({ customerName: customerName.optional(), partySize: partySize.optional(), tableNumber: tableNumber.optional() })
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change' })
  .openapi('ReservationPatch');

export const ExtendHoldBody = z
  .strictObject({
    minutes: z
      .number('A number of minutes from 1 to 60')
      .int('A whole number of minutes')
      .min(1, 'At least 1 minute')
      .max(60, 'At most 60 minutes')
      .optional()
      .openapi({ description: 'minutes added to the hold (default HOLD_EXTENSION_MINUTES)' }),
  })
  .optional()
  .openapi('ExtendHold');

export const ReservationQuery = z.object({
  gameId: z.coerce.number().int().positive().optional(),
  status: StatusSchema.optional(),
  endedWithinMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .optional()
    .openapi({ description: 'only parties that ended this many minutes ago or less (what staff may still bring back)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const CodeParams = z.object({
  code: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{3,8}$/, 'A ticket code is 3 to 8 letters and digits'))
    .openapi({ param: { name: 'code', in: 'path' }, example: 'K7FA' }),
});

export const TicketSchema = z
  .object({
    code: z.string(),
    gameId: z.number().int(),
    gameTitle: z.string(),
    displayName: z.string().openapi({ example: 'Alex R.' }),
    status: StatusSchema,
    position: z.number().int().nullable(),
    estimatedWaitMinutes: z.number().int().nullable(),
    estimatedWait: WaitEstimateSchema.nullable(),
    holdExpiresAt: isoDate.nullable(),
    language: LanguageSchema.nullable().openapi({ description: "The language the party chose on /join (the ticket page shows itself in it); null: the café's default" }),
    gameAvailable: z.boolean().openapi({
      description: 'false while the game has no copy to lend or is switched off: the party keeps its place, but nobody is called',
    }),
  })
  .openapi('Ticket');

export const CallNextBody = z
  .strictObject({
    seenInUse: z.number('A whole number').int('A whole number').min(0, 'At least 0').optional().openapi({
      description:
        'The copies in use the tablet showed when pressed; when more are in use by now, the 409 says the party was already called from another device',
    }),
  })
  .default({})
  .openapi('CallNext');

export const CancelTicketBody = z.strictObject({ secret: z.string().min(1, 'The secret is required').max(200) });
