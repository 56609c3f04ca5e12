import pino from 'pino';
import type { Knex } from 'knex';
import { createKnex } from '../../server/db/knex';
import { ChangePublisher, type Broadcaster } from '../../server/realtime/publisher';
import { ticketMessages, type TicketBatch } from '../../server/realtime/contract';
import { MYSQL, startTestService, type TestService } from '../helpers/testService';
import { createGame, join, sleep } from './realtimeHelpers';

interface Emitted {
  namespace: string;
  room?: string;
  event: string;
  payload: { version: number } & Record<string, unknown>;
}

/** Stands in for a Socket.IO Server or a Redis Emitter: records what a flush sends. */
class RecordingBroadcaster implements Broadcaster {
  readonly emitted: Emitted[] = [];
  of(namespace: string) {
    const emit = (room?: string) => (event: string, payload: unknown) => this.emitted.push({ namespace, room, event, payload: payload as Emitted['payload'] });
    // A ticket batch is unpacked the way every instance hands it to its phones.
    const serverSideEmit = (event: string, payload: unknown) => {
      if (event !== 'tickets') return emit()(event, payload);
      for (const message of ticketMessages(payload as TicketBatch)) emit(message.room)(message.event, message.payload);
    };
    return { emit: emit(), to: (room: string) => ({ emit: emit(room) }), serverSideEmit };
  }
  snapshots(namespace: string) {
    return this.emitted.filter((e) => e.namespace === namespace && e.event === 'snapshot');
  }
}

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; err?: { message?: string } }> = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the change publisher', () => {
  let service: TestService;
  let broken: Knex;
  beforeAll(async () => {
    service = await startTestService('rtpublisher', { AUTO_ADVANCE: 'false' });
    // Nothing listens on port 1: every query fails fast, as when MySQL is down.
    broken = createKnex({ ...MYSQL, port: 1, database: service.name, poolMax: 1 });
  });
  afterAll(async () => {
    await broken.destroy();
    await service.stop();
  });

  function publisher(knex: () => Knex, tickMs = 20) {
    const target = new RecordingBroadcaster();
    const { logger, lines } = capturingLogger();
    const options = {
      get knex() {
        return knex();
      },
      logger,
      timeZone: 'UTC',
      tickMs,
    };
    return { publisher: new ChangePublisher(options, target), target, lines };
  }

  test('many changes in one tick make one board snapshot, one staff snapshot, one stats and the tickets', async () => {
    const game = await createGame(service);
    const parties = [await join(service, game.id, 'Ann One'), await join(service, game.id, 'Bo Two')];
    const { publisher: p, target } = publisher(() => service.ctx.knex);
    for (let i = 0; i < 50; i += 1) p.gamesChanged([game.id]);
    await sleep(300);
    await p.close();
    expect(target.snapshots('/board')).toHaveLength(1);
    expect(target.snapshots('/staff')).toHaveLength(1);
    expect(target.emitted.filter((e) => e.event === 'stats')).toHaveLength(1);
    const tickets = target.emitted.filter((e) => e.event === 'ticket');
    expect(tickets.map((t) => t.room).sort()).toEqual(parties.map((r) => `ticket:${r.code}`).sort());
    // One version for the whole flush.
    expect(new Set(target.emitted.map((e) => e.payload.version)).size).toBe(1);
  });

  test('changes that cannot move today\'s numbers (joins, name fixes) skip the stats read', async () => {
    const game = await createGame(service);
    await join(service, game.id, 'Cy Three');
    const { publisher: p, target } = publisher(() => service.ctx.knex);
    p.gamesChanged([game.id], false);
    await sleep(200);
    expect(target.snapshots('/staff')).toHaveLength(1);
    expect(target.emitted.filter((e) => e.event === 'stats')).toHaveLength(0);
    p.gamesChanged([game.id], false);
    p.gamesChanged([game.id]);
    await sleep(200);
    await p.close();
    expect(target.emitted.filter((e) => e.event === 'stats')).toHaveLength(1);
  });

  test('close() publishes what is still pending', async () => {
    const { publisher: p, target } = publisher(() => service.ctx.knex, 10_000);
    p.gamesChanged([1]);
    await sleep(100); // the first change goes out at once
    p.gamesChanged([1]); // this one would wait for the 10 s tick
    await p.close();
    expect(target.snapshots('/board')).toHaveLength(2);
    p.gamesChanged([1]);
    await sleep(50);
    expect(target.snapshots('/board')).toHaveLength(2);
  });

  test('when the database is down, the failure is logged as an error and the flush retried until it works', async () => {
    let knex = broken;
    const { publisher: p, target, lines } = publisher(() => knex);
    p.gamesChanged([1]);
    // First attempt at once, retries after 250 ms, 500 ms...
    const deadline = Date.now() + 5000;
    while (lines.length < 2 && Date.now() < deadline) await sleep(50);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatchObject({ level: 50, msg: expect.stringMatching(/could not publish/) });
    expect(target.emitted).toEqual([]);

    // The database is back: the pending change goes out without any new change.
    knex = service.ctx.knex;
    const until = Date.now() + 5000;
    while (!target.snapshots('/board').length && Date.now() < until) await sleep(50);
    expect(target.snapshots('/board')).toHaveLength(1);
    await p.close();
  });

  test('a called party is announced only while it is still called', async () => {
    const game = await createGame(service, { copies: 2 });
    const a = await join(service, game.id, 'Ann Called');
    const b = await join(service, game.id, 'Bo Seated');
    expect((await service.staff.post(`/api/reservations/${a.id}/call`).send({})).status).toBe(200);
    expect((await service.staff.post(`/api/reservations/${b.id}/call`).send({})).status).toBe(200);
    expect((await service.staff.post(`/api/reservations/${b.id}/seat`).send({})).status).toBe(200);

    const { publisher: p, target } = publisher(() => service.ctx.knex);
    p.partyCalled({ id: a.id, gameId: game.id, code: a.code });
    p.partyCalled({ id: b.id, gameId: game.id, code: b.code });
    await sleep(300);
    await p.close();
    const called = target.emitted.filter((e) => e.event === 'called');
    expect(called.map((c) => c.room)).toEqual([`ticket:${a.code}`]);
    expect(called[0]!.payload).toEqual({ version: expect.any(Number), code: a.code, gameTitle: game.title, holdExpiresAt: expect.any(String) });
    const seated = target.emitted.find((e) => e.event === 'ticket' && e.room === `ticket:${b.code}`);
    expect(seated?.payload.status).toBe('seated');
  });
});
