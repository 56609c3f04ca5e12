import { z } from '../http/zod';
import { CancelTicketBody } from '../queue/schemas';
import { ChannelSchema } from './contact';

const base64url = (what: string, min: number, max: number) =>
  z.string().regex(/^[A-Za-z0-9_-]+=*$/, `${what} must be base64url`).min(min).max(max);

export const PushSubscriptionBody = z
  .strictObject({
    endpoint: z.string().url('The push service URL').max(1024),
    expirationTime: z.number().nullable().optional(),
    keys: z.strictObject({ p256dh: base64url('keys.p256dh', 80, 100), auth: base64url('keys.auth', 16, 32) }),
  })
  .openapi('PushSubscription', { description: 'What the browser’s PushSubscription.toJSON() gives' });

export const SubscribeBody = CancelTicketBody.extend({ subscription: PushSubscriptionBody }).openapi('Subscribe');
export const UnsubscribeBody = CancelTicketBody.extend({ endpoint: z.string().url().max(1024) }).openapi('Unsubscribe');

export const NotifyOptionsSchema = z
  .object({
    pushPublicKey: z.string().openapi({ description: 'The VAPID public key (applicationServerKey), base64url' }),
    textMessages: z.boolean().openapi({ description: 'Whether a phone number may be given at join' }),
    almostPosition: z.number().int().openapi({ description: '"Almost your turn" at this place in line; 0: never' }),
  })
  .openapi('NotifyOptions');

export const NotifyAgainBody = z.strictObject({ reservationId: z.number('A reservation id').int().positive() }).openapi('NotifyAgain');

export const NotifiedSchema = z.object({ channels: z.array(ChannelSchema) }).openapi('Notified');
