import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import { WaitEstimateSchema } from '../queue/schemas';

export const GameSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    minPlayers: z.number().int(),
    maxPlayers: z.number().int(),
    playMinutes: z.number().int(),
    copies: z.number().int(),
    maxQueue: z.number().int().nullable().openapi({ description: 'Most parties that may wait at once (joins beyond it get 409); null: no cap' }),
    copiesInUse: z.number().int(),
    waiting: z.number().int(),
    joinWait: WaitEstimateSchema.nullable().openapi({ description: 'The wait a party joining now would be quoted; null when the game takes no joins' }),
    active: z.boolean().openapi({ description: 'Inactive games are listed to staff but take no new joins' }),
    autoAdvance: z.boolean().openapi({ description: 'Call the next party automatically when a copy frees' }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Game');

const title = z.string().trim().min(1, 'Give the game a title').max(120, 'At most 120 characters');
const players = z.number().int('Whole number').min(1, 'At least 1').max(99, 'At most 99');
const fields = {
  title,
  minPlayers: players,
  maxPlayers: players,
  playMinutes: z.number().int('Whole minutes').min(1, 'At least 1 minute').max(1440, 'At most 1440 minutes'),
  copies: z.number().int('Whole number').min(0, 'Cannot be negative').max(999, 'At most 999'),
  maxQueue: z.number().int('Whole number').min(1, 'At least 1').max(999, 'At most 999').nullable(),
  active: z.boolean(),
  autoAdvance: z.boolean(),
};

const playersInOrder = (g: { minPlayers?: number; maxPlayers?: number }) =>
  g.minPlayers === undefined || g.maxPlayers === undefined || g.minPlayers <= g.maxPlayers;
const playersMessage = { message: 'minPlayers cannot be more than maxPlayers', path: ['minPlayers'] };

export const NewGameBody = z
  .strictObject({
    title: fields.title,
    minPlayers: fields.minPlayers.default(1),
    maxPlayers: fields.maxPlayers.default(4),
    playMinutes: fields.playMinutes.default(45),
    copies: fields.copies.default(1),
    maxQueue: fields.maxQueue.default(null),
    active: fields.active.default(true),
    autoAdvance: fields.autoAdvance.default(true),
  })
  .refine(playersInOrder, playersMessage)
  .openapi('NewGame');

export const GamePatchBody = z
  .strictObject({
    title: fields.title.optional(),
    minPlayers: fields.minPlayers.optional(),
    maxPlayers: fields.maxPlayers.optional(),
    playMinutes: fields.playMinutes.optional(),
    copies: fields.copies.optional(),
    maxQueue: fields.maxQueue.optional(),
    active: fields.active.optional(),
    autoAdvance: fields.autoAdvance.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change' })
  .refine(playersInOrder, playersMessage)
  .openapi('GamePatch');

export type NewGame = z.infer<typeof NewGameBody>;
export type GamePatch = z.infer<typeof GamePatchBody>;
export type GameView = z.infer<typeof GameSchema>;
