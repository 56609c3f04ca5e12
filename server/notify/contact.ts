import type { Knex } from 'knex';
import { z } from '../http/zod';

export const ChannelSchema = z.enum(['push', 'sms']).openapi('Channel');

/** How staff see a party can be reached, and what became of the last message. */
export const ContactSchema = z
  .object({
    reach: z.array(ChannelSchema).openapi({ description: 'Empty: screen only' }),
    lastMessage: z
      .object({
        event: z.string().openapi({ example: 'called', description: 'called (called-<n> for a later call after an undo), almost or again-<n>' }),
        channel: ChannelSchema,
        status: z.enum(['queued', 'delivered', 'failed']),
        error: z.string().nullable(),
        at: z.string().openapi({ format: 'date-time' }),
      })
      .nullable(),
  })
  .openapi('Contact');

export type Contact = z.infer<typeof ContactSchema>;

/** The columns `contactColumns` adds to a reservations query. */
export interface ContactColumns {
  hasPush: number | string;
  hasPhone: number | string;
  /** JSON, or already parsed (mysql2 parses JSON columns) */
  lastMessage: string | Record<string, unknown> | null;
}

/**
 * How staff see a party can be reached, read with the live queue in the same statement: whether
 * it has a push subscription, a phone number (never the number), and its latest message.
 */
export function contactColumns(knex: Knex): Knex.Raw[] {
  return [
    knex.raw('EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.reservation_id = reservations.id) AS has_push'),
    knex.raw('reservations.phone IS NOT NULL AS has_phone'),
    knex.raw(
      `(SELECT JSON_OBJECT('event', n.event, 'channel', n.channel, 'status', n.status, 'error', n.error,
                           'at', DATE_FORMAT(n.updated_at, '%Y-%m-%dT%H:%i:%s.%fZ'))
        FROM notifications n WHERE n.reservation_id = reservations.id ORDER BY n.id DESC LIMIT 1) AS last_message`,
    ),
  ];
}

export function toContact(row: ContactColumns): Contact {
  const raw = typeof row.lastMessage === 'string' ? (JSON.parse(row.lastMessage) as unknown) : row.lastMessage;
  const last = raw as Contact['lastMessage'];
  return {
    reach: [...(Number(row.hasPush) ? (['push'] as const) : []), ...(Number(row.hasPhone) ? (['sms'] as const) : [])],
    lastMessage: last && { ...last, at: new Date(last.at).toISOString() },
  };
}
