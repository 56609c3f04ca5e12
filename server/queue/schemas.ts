import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import { STATUSES } from './states';
import { hasInvisibleCharacters, normalizeName } from './ordering';

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
    finishedAt: isoDate.nullable(),
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
  .strictObject({ customerName, partySize: partySize.default(1), tableNumber: tableNumber.default(null) })
  .openapi('JoinQueue');

export const ReservationPatchBody = z
  .strictObject({ customerName: customerName.optional(), partySize: partySize.optional(), tableNumber: tableNumber.optional() })
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change' })
  .openapi('ReservationPatch');

export const ReservationQuery = z.object({
  gameId: z.coerce.number().int().positive().optional(),
  status: StatusSchema.optional(),
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
  })
  .openapi('Ticket');

export const CancelTicketBody = z.strictObject({ secret: z.string().min(1, 'The secret is required').max(200) });
