import { Model } from 'objection';

export class Game extends Model {
  static override tableName = 'games';

  id!: number;
  title!: string;
  minPlayers!: number;
  maxPlayers!: number;
  playMinutes!: number;
  copies!: number;
  /** most parties that may wait at once; null: no cap */
  maxQueue!: number | null;
  active!: boolean;
  autoAdvance!: boolean;
  createdAt!: Date;
  updatedAt!: Date;

  override $parseDatabaseJson(json: Record<string, unknown>) {
    const parsed = super.$parseDatabaseJson(json);
    // MySQL booleans are TINYINT(1).
    if ('active' in parsed) parsed.active = Boolean(parsed.active);
    if ('autoAdvance' in parsed) parsed.autoAdvance = Boolean(parsed.autoAdvance);
    return parsed;
  }
}
