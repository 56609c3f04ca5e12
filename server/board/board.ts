import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import type { GameQueue, ReservationView } from '../queue/readModel';
import { displayName } from '../queue/ordering';
import { ReservationSchema, WaitEstimateSchema } from '../queue/schemas';

export const EntrySchema = z
  .object({
    code: z.string(),
    displayName: z.string().openapi({ example: 'Alex R.' }),
    partySize: z.number().int(),
    position: z.number().int().nullable(),
    estimatedWaitMinutes: z.number().int().nullable(),
    estimatedWait: WaitEstimateSchema.nullable(),
    holdExpiresAt: isoDate.nullable(),
  })
  .openapi('BoardEntry');

export const BoardGameSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    copies: z.number().int(),
    copiesInUse: z.number().int(),
    calling: z.array(EntrySchema),
    waiting: z.array(EntrySchema),
  })
  .openapi('BoardGame');

export const BoardSchema = z.object({ version: z.number().int(), games: z.array(BoardGameSchema) }).openapi('Board');

export const StaffGameSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    copies: z.number().int(),
    copiesInUse: z.number().int(),
    autoAdvance: z.boolean(),
    calling: z.array(ReservationSchema),
    waiting: z.array(ReservationSchema),
    seated: z.array(ReservationSchema),
    quotedWaitMinutes: z.number().int().nullable().openapi({ description: 'the wait a party joining now would be quoted; null without a copy to lend' }),
    quotedWait: WaitEstimateSchema.nullable().openapi({ description: 'The same quote with its range; null when quotedWaitMinutes is' }),
  })
  .openapi('StaffGame');

export type Entry = z.infer<typeof EntrySchema>;
export type BoardGame = z.infer<typeof BoardGameSchema>;
export type StaffGame = z.infer<typeof StaffGameSchema>;

/** What a TV in the room may show: code and "Alex R.", never a full name, table or secret. */
export function toEntry(r: ReservationView): Entry {
  return {
    code: r.code,
    displayName: displayName(r.customerName),
    partySize: r.partySize,
    position: r.position,
    estimatedWaitMinutes: r.estimatedWaitMinutes,
    estimatedWait: r.estimatedWait,
    holdExpiresAt: r.holdExpiresAt,
  };
}

export function toBoardGame(q: GameQueue): BoardGame {
  return {
    id: q.game.id,
    title: q.game.title,
    copies: q.game.copies,
    copiesInUse: q.copiesInUse,
    calling: q.calling.map(toEntry),
    waiting: q.waiting.map(toEntry),
  };
}

export function toStaffGame(q: GameQueue): StaffGame {
  return {
    id: q.game.id,
    title: q.game.title,
    copies: q.game.copies,
    copiesInUse: q.copiesInUse,
    autoAdvance: q.game.autoAdvance,
    calling: q.calling,
    waiting: q.waiting,
    seated: q.seated,
    quotedWaitMinutes: q.quotedWaitMinutes,
    quotedWait: q.quotedWait,
  };
}

/** Games shown on the board: active ones, plus any that still have parties on the floor. */
export function onBoard(q: GameQueue): boolean {
  return q.game.active || q.calling.length + q.waiting.length + q.seated.length > 0;
}
