import { Model, type RelationMappings } from 'objection';
import type { ReservationStatus } from '../queue/states';
import { Game } from './Game';

export class Reservation extends Model {
  static override tableName = 'reservations';

  id!: number;
  gameId!: number;
  code!: string;
  /** the code while the ticket resolves (open, or ended less than a day ago); null after */
  liveCode!: string | null;
  customerName!: string;
  partySize!: number;
  tableNumber!: number | null;
  secretHash!: string;
  status!: ReservationStatus;
  enqueuedAt!: Date;
  calledAt!: Date | null;
  holdExpiresAt!: Date | null;
  seatedAt!: Date | null;
  finishedAt!: Date | null;
  updatedAt!: Date;
  game?: Game;

  static override get relationMappings(): RelationMappings {
    return {
      game: {
        relation: Model.BelongsToOneRelation,
        modelClass: Game,
        join: { from: 'reservations.game_id', to: 'games.id' },
      },
    };
  }
}
