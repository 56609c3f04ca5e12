import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type { Response } from 'express';
import type { Knex } from 'knex';
import { stringify } from 'csv-stringify';
import { localTime, rangeInstants, type DateRange } from './range';

/** One export: its columns, and the query whose rows (streamed from MySQL) become its lines. */
interface Export<Row> {
  name: string;
  columns: Array<{ header: string; value: (row: Row, timeZone: string) => string | number | null }>;
  query: (knex: Knex, since: Date, until: Date) => Knex.QueryBuilder;
}

interface ReservationRow {
  id: number;
  code: string;
  title: string | null;
  customerName: string;
  partySize: number;
  tableNumber: number | null;
  status: string;
  enqueuedAt: Date;
  calledAt: Date | null;
  seatedAt: Date | null;
  finishedAt: Date | null;
}

interface EventRow {
  id: number;
  createdAt: Date;
  reservationId: number | null;
  gameId: number | null;
  title: string | null;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  waitMs: number | null;
  details: string | null;
}

const iso = (at: Date | null) => at?.toISOString() ?? '';
const reasonOf = (details: string | null) => {
  try {
    return details ? String((JSON.parse(details) as { reason?: unknown }).reason ?? '') : '';
  } catch {
    return '';
  }
};

export const RESERVATIONS_EXPORT: Export<ReservationRow> = {
  name: 'reservations',
  columns: [
    { header: 'id', value: (r) => r.id },
    { header: 'code', value: (r) => r.code },
    { header: 'game', value: (r) => r.title },
    { header: 'customer_name', value: (r) => r.customerName },
    { header: 'party_size', value: (r) => r.partySize },
    { header: 'table_number', value: (r) => r.tableNumber },
    { header: 'status', value: (r) => r.status },
    { header: 'enqueued_at', value: (r) => iso(r.enqueuedAt) },
    { header: 'enqueued_local', value: (r, tz) => localTime(r.enqueuedAt, tz) },
    { header: 'called_at', value: (r) => iso(r.calledAt) },
    { header: 'seated_at', value: (r) => iso(r.seatedAt) },
    { header: 'finished_at', value: (r) => iso(r.finishedAt) },
    {
      header: 'wait_minutes',
      value: (r) => (r.calledAt ? Math.round((r.calledAt.getTime() - r.enqueuedAt.getTime()) / 6000) / 10 : null),
    },
  ],
  query: (knex, since, until) =>
    knex('reservations as r')
      .leftJoin('games as g', 'g.id', 'r.game_id')
      .where('r.enqueued_at', '>=', since)
      .where('r.enqueued_at', '<', until)
      .orderBy([{ column: 'r.enqueued_at' }, { column: 'r.id' }])
      .select(
        'r.id',
        'r.code',
        'g.title',
        'r.customer_name',
        'r.party_size',
        'r.table_number',
        'r.status',
        'r.enqueued_at',
        'r.called_at',
        'r.seated_at',
        'r.finished_at',
      ),
};

export const EVENTS_EXPORT: Export<EventRow> = {
  name: 'events',
  columns: [
    { header: 'id', value: (e) => e.id },
    { header: 'created_at', value: (e) => iso(e.createdAt) },
    { header: 'created_local', value: (e, tz) => localTime(e.createdAt, tz) },
    { header: 'reservation_id', value: (e) => e.reservationId },
    { header: 'game_id', value: (e) => e.gameId },
    { header: 'game', value: (e) => e.title },
    { header: 'type', value: (e) => e.type },
    { header: 'from_status', value: (e) => e.fromStatus },
    { header: 'to_status', value: (e) => e.toStatus },
    { header: 'actor', value: (e) => e.actor },
    { header: 'wait_ms', value: (e) => e.waitMs },
    { header: 'reason', value: (e) => reasonOf(e.details) },
  ],
  query: (knex, since, until) =>
    knex('reservation_events as e')
      .leftJoin('games as g', 'g.id', 'e.game_id')
      .where('e.created_at', '>=', since)
      .where('e.created_at', '<', until)
      .orderBy('e.id')
      .select('e.id', 'e.created_at', 'e.reservation_id', 'e.game_id', 'g.title', 'e.type', 'e.from_status', 'e.to_status', 'e.actor', 'e.wait_ms', 'e.details'),
};

/**
 * Streams an export as CSV: rows from MySQL as they come, each through csv-stringify (quoting,
 * escaping, the header), into the response. A failure before the first byte is an ordinary
 * error answer; one after it aborts the download (the client sees a broken file, never a
 * truncated one passed off as whole).
 */
/** Any export: its rows are only ever handed back to its own columns. */
export type AnyExport = Export<never>;

export async function streamCsv(knex: Knex, res: Response, spec: AnyExport, range: DateRange, timeZone: string): Promise<void> {
  const { since, until } = rangeInstants(range, timeZone);
  const rows = spec.query(knex, since, until).stream()[Symbol.asyncIterator]() as AsyncIterator<never>;
  // The first row is read before anything is sent, so MySQL being down is a 503 like anywhere else.
  const first = await rows.next();
  async function* all(): AsyncGenerator<never> {
    if (first.done) return;
    yield first.value;
    for (let next = await rows.next(); !next.done; next = await rows.next()) yield next.value;
  }
  const toRecord = new Transform({
    objectMode: true,
    transform(row: unknown, _enc, done) {
      done(null, spec.columns.map((c) => c.value(row as never, timeZone) ?? ''));
    },
  });
  const csv = stringify({ header: true, columns: spec.columns.map((c) => c.header) });
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="meeple-queue-${spec.name}-${range.from}-to-${range.to}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  await pipeline(Readable.from(all()), toRecord, csv, res);
}
