import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { NotFound, Unavailable } from '../errors';
import { AlreadyInQueue, GameUnavailable, QueueFull, partySizeRefusal } from './joinRules';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import type { Game } from '../models/Game';
import type { Reservation } from '../models/Reservation';
import { insertWaiting, liveTicketsOfDevices, logEvents, queueRoom, readGames, recordQuotes, takenCodes } from './repository';
import type { BusyCopy, GameHistory } from './estimates';
import { generateCode } from './ordering';
import type { Language } from '../i18n/languages';
import { busyCopies, gameHistories, queuePositions, QuoteMemo, viewNewcomers, type ReservationView } from './readModel';

export interface JoinInput {
  customerName: string;
  partySize: number;
  tableNumber: number | null;
  /** the phone joining (signed device cookie id); null for staff walk-ins */
  deviceId?: string | null;
  /** a second party from the same phone, on purpose */
  anotherParty?: boolean;
  /** E.164, only when the café sends text messages */
  phone?: string | null;
  /** the language chosen on /join; null or absent: the café's default */
  language?: Language | null;
}

export interface Joined {
  reservation: ReservationView;
  secret: string;
}

/** What the join path does once a batch has committed: metrics, screens, advance jobs. */
export interface JoinEffects {
  joined(game: Game, count: number, mayBeOwedACall: boolean): Promise<void>;
  /** a read after the commit failed: the joins are in, their answers lack estimates */
  readFailed(err: unknown): void;
  /** the quotes given could not be saved: the joins stand, accuracy figures will lack them */
  quotesNotRecorded(err: unknown): void;
  /** every code drawn was taken, again and again: the operator must hear of it */
  codesRanOut(err: unknown): void;
}

export interface JoinWriterOptions {
  /** draws a public code; tests pass one that collides on purpose */
  drawCode?: () => string;
  /** most joins written in one transaction */
  maxBatch?: number;
}

/** A code already taken is drawn again this many times before the join fails. */
const CODE_ATTEMPTS = 8;

interface Inserted {
  /** the joins written, in order, with their rows */
  admitted: Array<PendingJoin & { game: Game }>;
  rows: Array<{ row: Reservation; position: number }>;
  /** joins refused because their game's queue is at its cap */
  full: Array<PendingJoin & { game: Game }>;
}
const MAX_BATCH = 100;

/** Joins from a phone that did not say they are another party are checked for a live ticket. */
const checksDevice = (join: PendingJoin) => Boolean(join.input.deviceId) && !join.input.anotherParty;
const deviceGame = (join: PendingJoin) => `${join.input.deviceId}:${join.gameId}`;

/** Why this join cannot go into `game`'s queue, or null. */
function refusalOf(join: PendingJoin, game: Game, alreadyIn: ReadonlyMap<string, string>): Error | null {
  const existing = checksDevice(join) ? alreadyIn.get(deviceGame(join)) : undefined;
  if (!game.active) return new GameUnavailable(`"${game.title}" is not taking reservations right now`, game);
  if (game.copies === 0) return new GameUnavailable(`"${game.title}" has no copy to lend, so it has no queue`, game);
  if (existing) return new AlreadyInQueue(game.title, existing);
  return partySizeRefusal(game, join.input.partySize);
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

interface PendingJoin {
  gameId: number;
  input: JoinInput;
  actor: string;
  secret: string;
  resolve(joined: Joined): void;
  reject(err: unknown): void;
}

/**
 * Group commit for joins. On a busy night many phones join at once, and each join on its own
 * cost a game read, a four-statement transaction and the reads for its position: about eight
 * round trips to MySQL, each a syscall that the service's one core pays for, plus a COUNT over
 * the queue per party. Here the joins that arrive while a batch is being written wait for the
 * next one, and each batch is one read of its games and its phones' live tickets (side by
 * side), one transaction (a multi-row INSERT of the reservations, the read of their rows, one
 * statement for their positions, a multi-row INSERT of their `joined` events), then one read of
 * the copies in use and one UPDATE of the quotes given: eight round trips however many joins it
 * carries. A lone join is written at once. Once a batch has committed, the next one is written
 * while it is answered (the reads and the UPDATE after the commit), so a batch waits only for
 * the writes of the one before it.
 *
 * Fairness is unchanged: a batch is inserted in arrival order by one statement (so enqueued_at
 * is equal and ids increase), batches are written one after another (so each sees the one
 * before it committed, and its positions are exact), and every join is answered only after its
 * batch has committed, so whoever got a 201 before another party even asked is ahead of them.
 */
export class JoinWriter {
  private readonly waiting: PendingJoin[] = [];
  private writing = false;
  private scheduled = false;
  private readonly drawCode: () => string;
  private readonly maxBatch: number;
  private readonly quotes = new QuoteMemo();
  /** the answers of committed batches, one after another */
  private answering: Promise<void> = Promise.resolve();

  constructor(
    private readonly knex: Knex,
    private readonly effects: JoinEffects,
    options: JoinWriterOptions = {},
  ) {
    this.drawCode = options.drawCode ?? (() => generateCode(randomInt));
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
  }

  join(gameId: number, input: JoinInput, actor: string): Promise<Joined> {
    return new Promise<Joined>((resolve, reject) => {
      this.waiting.push({ gameId, input, actor, secret: randomBytes(24).toString('base64url'), resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing || this.scheduled || !this.waiting.length) return;
    this.scheduled = true;
    // Every join that arrived in this turn of the event loop rides along.
    setImmediate(() => {
      this.scheduled = false;
      void this.writeNext();
    });
  }

  private async writeNext(): Promise<void> {
    if (this.writing || !this.waiting.length) return;
    this.writing = true;
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      await this.write(batch);
    } catch (err) {
      // write() settles every join itself; this only guards against a bug leaving one hanging.
      for (const join of batch) join.reject(err);
    } finally {
      this.writing = false;
      this.kick();
    }
  }

  private async write(batch: PendingJoin[]): Promise<void> {
    const [found, alreadyIn] = await Promise.all([readGames(this.knex, [...new Set(batch.map((j) => j.gameId))]), this.liveTickets(batch)]);
    const games = new Map(found.map((g) => [g.id, g]));
    const accepted: Array<PendingJoin & { game: Game }> = [];
    const inBatch = new Set<string>();
    const later: PendingJoin[] = [];
    for (const join of batch) {
      const game = games.get(join.gameId);
      // One phone twice in one batch (a double tap): the second waits for the next batch,
      // where it finds the first one's ticket.
      if (checksDevice(join) && inBatch.has(deviceGame(join))) {
        later.push(join);
        continue;
      }
      const refusal = game ? refusalOf(join, game, alreadyIn) : new NotFound('No game with that id', { precise: { code: 'game_not_found' } });
      if (refusal) join.reject(refusal);
      else {
        accepted.push({ ...join, game: game! });
        if (checksDevice(join)) inBatch.add(deviceGame(join));
      }
    }
    this.waiting.unshift(...later);
    if (!accepted.length) return;

    let written: Inserted | undefined;
    for (let attempt = 0; !written; attempt += 1) {
      try {
        written = await this.insert(accepted, attempt > 0);
      } catch (err) {
        // A code already taken: draw again, this time leaving out the codes already in use
        // (with many codes taken, a big batch would otherwise keep hitting one of them).
        if (isUniqueViolation(err) && attempt < CODE_ATTEMPTS) continue;
        // A game deleted since it was read: write the joins one by one, so only its own fail.
        if (isForeignKeyViolation(err) && accepted.length > 1) {
          for (const join of accepted) await this.write([join]);
          return;
        }
        const reason = isForeignKeyViolation(err)
          ? new NotFound('No game with that id', { precise: { code: 'game_not_found' } })
          : isUniqueViolation(err)
            ? new Unavailable('Could not find a free ticket code; try again', { precise: { code: 'no_ticket_code' } })
            : err;
        if (isUniqueViolation(err)) this.effects.codesRanOut(err);
        for (const join of accepted) join.reject(reason);
        return;
      }
    }
    for (const join of written.full) {
      join.reject(new QueueFull(join.game));
    }
    const { admitted, rows } = written;
    if (!admitted.length) return;
    // The next batch is written while this one is answered: only the writes must follow one
    // another (each batch sees the one before it committed). The answers keep their order.
    this.answering = this.answering
      .then(() => this.answer(admitted, rows))
      .catch((err: unknown) => {
        // answer() settles every join itself; this only guards against a bug leaving one hanging.
        for (const join of admitted) join.reject(err);
      });
  }

  /** The live tickets of the phones in this batch that did not say they are another party. */
  private async liveTickets(batch: readonly PendingJoin[]): Promise<Map<string, string>> {
    const devices = [...new Set(batch.filter(checksDevice).map((j) => j.input.deviceId!))];
    if (!devices.length) return new Map();
    const found = await liveTicketsOfDevices(this.knex, devices);
    return new Map(found.map((t) => [`${t.deviceId}:${t.gameId}`, t.code]));
  }

  /**
   * Distinct codes for a batch. After a collision, the codes already taken are looked up and
   * drawn again (one more read), so only a race with another instance can collide again.
   */
  private async drawCodes(trx: Knex.Transaction, count: number, leaveOutTaken: boolean): Promise<string[]> {
    const codes = new Set<string>();
    const taken = new Set<string>();
    const fill = () => {
      for (let draws = 0; codes.size < count && draws < count * CODE_ATTEMPTS; draws += 1) {
        const code = this.drawCode();
        if (!taken.has(code)) codes.add(code);
      }
    };
    fill();
    for (let round = 0; leaveOutTaken && round < CODE_ATTEMPTS; round += 1) {
      const found = await takenCodes(trx, [...codes]);
      if (!found.length) break;
      for (const code of found) {
        taken.add(code.toUpperCase());
        codes.delete(code.toUpperCase());
      }
      fill();
    }
    const list = [...codes];
    // Too few free codes: a repeat makes the insert fail on the unique index, reported as such.
    while (list.length < count) list.push(list[0] ?? [...taken][0] ?? this.drawCode());
    return list;
  }

  /**
   * One transaction: room in capped queues, the reservations, their ids and positions, their
   * `joined` events. Joins beyond a game's cap are left out (`full`), in arrival order.
   */
  private insert(accepted: ReadonlyArray<PendingJoin & { game: Game }>, leaveOutTaken: boolean): Promise<Inserted> {
    return this.knex.transaction(async (trx) => {
      const room = await queueRoom(trx, accepted.map((j) => j.game));
      const batch: Array<PendingJoin & { game: Game }> = [];
      const full: Array<PendingJoin & { game: Game }> = [];
      for (const join of accepted) {
        const left = room.get(join.gameId);
        if (left === 0) full.push(join);
        else batch.push(join);
        if (left) room.set(join.gameId, left - 1);
      }
      if (!batch.length) return { admitted: [], full, rows: [] };
      const codes = await this.drawCodes(trx, batch.length, leaveOutTaken);
      const written = await insertWaiting(
        trx,
        batch.map((join, i) => ({
          gameId: join.gameId,
          code: codes[i]!,
          customerName: join.input.customerName,
          partySize: join.input.partySize,
          tableNumber: join.input.tableNumber,
          phone: join.input.phone ?? null,
          secretHash: hashSecret(join.secret),
          deviceId: join.input.deviceId ?? null,
          language: join.input.language ?? null,
        })),
      );
      const positions = await queuePositions(trx, written);
      await logEvents(trx, written.map((r, i) => ({ reservation: r, type: 'joined', from: null, to: 'waiting', actor: batch[i]!.actor })));
      return { admitted: batch, full, rows: written.map((row) => ({ row, position: positions.get(row.id)! })) };
    });
  }

  /**
   * Answers each join once its batch has committed. The copies in use are read after the
   * commit: a join is owed a call only if a copy is free once it is in, and whatever frees one
   * later requests its own advance. If that read fails the joins are still in, so they are
   * still answered 201 (a customer told "error" would join again), without an estimate, and
   * an advance is requested in case a copy is free.
   */
  private async answer(
    batch: ReadonlyArray<PendingJoin & { game: Game }>,
    written: ReadonlyArray<{ row: Reservation; position: number }>,
  ): Promise<void> {
    const games = [...new Map(batch.map((j) => [j.game.id, j.game])).values()];
    const ids = games.map((g) => g.id);
    let known: { busy: Map<number, BusyCopy[]>; histories: Map<number, GameHistory> } | undefined;
    try {
      const [busy, histories] = await Promise.all([busyCopies(this.knex, ids), gameHistories(this.knex, ids)]);
      known = { busy, histories };
    } catch (err) {
      this.effects.readFailed(err);
    }
    const answers = games.map((game) => {
      const mine = batch.flatMap((join, i) => (join.gameId === game.id ? [{ join, written: written[i]! }] : []));
      const busy = known?.busy.get(game.id);
      const views = viewNewcomers(game, mine.map((m) => m.written), known && { busy: busy ?? [], history: known.histories.get(game.id)! }, new Date(), this.quotes);
      return { game, mine, busy, views };
    });
    const quotes = answers.flatMap((a) => a.views.flatMap((view) => (view.estimatedWait ? [{ id: view.id, quote: view.estimatedWait }] : [])));
    // Kept for today's estimate accuracy; a failure there is reported, and the joins still stand.
    await recordQuotes(this.knex, quotes).catch((err: unknown) => this.effects.quotesNotRecorded(err));
    for (const { game, mine, busy, views } of answers) {
      try {
        // Before answering, as for every other action: the advance job is asked for (when a
        // copy is free) while the request still holds the service open during a shutdown.
        await this.effects.joined(game, mine.length, !busy || busy.length < game.copies);
      } finally {
        mine.forEach((m, i) => m.join.resolve({ reservation: views[i]!, secret: m.join.secret }));
      }
    }
  }
}
