import pino from 'pino';
import type { Knex } from 'knex';
import { createKnex } from '../../server/db/knex';
import { currentVersion } from '../../server/realtime/version';
import { ChangeAnnouncer } from '../../server/realtime/announcer';
import { Coalescer } from '../../server/realtime/coalescer';
import { ScreenPublisher, type LocalScreens } from '../../server/realtime/publisher';
import type { ChangeNotice } from '../../server/realtime/contract';
import { MYSQL, startTestService, type TestService } from '../helpers/testService';
import { createGame, join, sleep } from '../helpers/api';

interface Emitted {
  namespace: string;
  room?: string;
  event: string;
  payload: { version: number } & Record<string, unknown>;
}

/** Stands in for this instance's Socket.IO namespaces: which screens are here, what they got. */
class RecordingScreens implements LocalScreens {
  readonly emitted: Emitted[] = [];
  constructor(
    private readonly here: { board?: boolean; staff?: boolean; codes?: string[] } = { board: true, staff: true },
  ) {}
  watching(namespace: string) {
    return Boolean(namespace === '/board' ? this.here.board : this.here.staff);
  }
  watchedCodes() {
    return new Set(this.here.codes ?? []);
  }
  emit(namespace: string, event: string, payload: unknown) {
    this.emitted.push({ namespace, event, payload: payload as Emitted['payload'] });
  }
  emitTo(namespace: string, room: string, event: string, payload: unknown) {
    this.emitted.push({ namespace, room, event, payload: payload as Emitted['payload'] });
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

const notice = (over: Partial<ChangeNotice> & Pick<ChangeNotice, 'version'>): ChangeNotice => ({
  games: [],
  allGames: false,
  stats: false,
  called: [],
  removed: [],
  since: Date.now(),
  ...over,
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(25);
}

/** Flushes that take `flushMs` each, recording when they start and how many changes they carried. */
class SlowFlusher extends Coalescer<{ n: number }> {
  readonly starts: number[] = [];
  flushedChanges = 0;
  protected readonly failure = 'test flush failed';
  constructor(private readonly flushMs: number) {
    super({ logger: pino({ level: 'silent' }), tickMs: 10 });
  }
  change(): void {
    this.add((p) => void (p.n += 1));
  }
  protected empty() {
    return { n: 0 };
  }
  protected merge(into: { n: number }, failed: { n: number }) {
    into.n += failed.n;
  }
  protected async flush(batch: { n: number }): Promise<void> {
    this.starts.push(Date.now());
    await sleep(this.flushMs);
    this.flushedChanges += batch.n;
  }
}

describe('coalescing', () => {
  test('a slow flush is followed by a quiet spell twice as long, so publishing never hogs the process', async () => {
    const flusher = new SlowFlusher(100);
    const marking = setInterval(() => flusher.change(), 5);
    await sleep(1000);
    clearInterval(marking);
    await flusher.close();
    // A flush every 110 ms (10 ms tick) would make about nine; 100 ms flush + 200 ms quiet, four at most.
    expect(flusher.starts.length).toBeGreaterThanOrEqual(2);
    expect(flusher.starts.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < flusher.starts.length - 1; i += 1) expect(flusher.starts[i]! - flusher.starts[i - 1]!).toBeGreaterThanOrEqual(295);
  });

  test('flushed() waits until what was marked before it has been flushed, also a change marked during a flush', async () => {
    const flusher = new SlowFlusher(100);
    await flusher.flushed();
    flusher.change();
    await until(() => flusher.starts.length === 1);
    // The first flush is under way; this one waits for the next.
    flusher.change();
    await flusher.flushed();
    expect(flusher.flushedChanges).toBe(2);
    expect(flusher.starts).toHaveLength(2);
    await flusher.close();
  });
});

describe('the change announcer and the screen publisher', () => {
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

  function announcer(knex: () => Knex, tickMs = 20) {
    const sent: ChangeNotice[] = [];
    const { logger, lines } = capturingLogger();
    const options = {
      get knex() {
        return knex();
      },
      logger,
      tickMs,
      send: (n: ChangeNotice) => void sent.push(n),
    };
    return { announcer: new ChangeAnnouncer(options), sent, lines };
  }

  function publisher(knex: () => Knex, screens = new RecordingScreens(), tickMs = 20) {
    const { logger, lines } = capturingLogger();
    const options = {
      get knex() {
        return knex();
      },
      logger,
      timeZone: () => Promise.resolve('UTC'),
      tickMs,
    };
    return { publisher: new ScreenPublisher(options, screens), screens, lines };
  }

  describe('announcer', () => {
    test('many changes in one tick make one notice under one fresh version', async () => {
      const before = await currentVersion(service.ctx.knex);
      const { announcer: a, sent } = announcer(() => service.ctx.knex);
      for (let i = 0; i < 50; i += 1) a.gamesChanged([i % 3], false);
      a.partyCalled({ id: 7, gameId: 4, code: 'k7fa' });
      a.partyRemoved({ gameId: 5, code: 'MNPR' });
      await sleep(200);
      await a.close();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ allGames: false, stats: true, called: ['K7FA'], removed: ['MNPR'] });
      expect(sent[0]!.games.sort()).toEqual([0, 1, 2, 4, 5]);
      expect(sent[0]!.version).toBeGreaterThan(before);
      expect(await currentVersion(service.ctx.knex)).toBe(sent[0]!.version);
    });

    test('joins and name fixes alone do not flag the stats; a later call does', async () => {
      const { announcer: a, sent } = announcer(() => service.ctx.knex);
      a.gamesChanged([1], false);
      await sleep(100);
      a.gamesChanged([1]);
      await sleep(100);
      await a.close();
      expect(sent.map((n) => n.stats)).toEqual([false, true]);
      expect(sent[1]!.version).toBeGreaterThan(sent[0]!.version);
    });

    test('close() announces what is still pending, and nothing after', async () => {
      const { announcer: a, sent } = announcer(() => service.ctx.knex, 10_000);
      a.gamesChanged([1]);
      await sleep(100); // the first change goes out at once
      a.gamesChanged([2]); // this one would wait for the 10 s tick
      await a.close();
      expect(sent.map((n) => n.games)).toEqual([[1], [2]]);
      a.gamesChanged([3]);
      await sleep(50);
      expect(sent).toHaveLength(2);
    });

    test('when the database is down, the failure is logged as an error and retried until it works', async () => {
      let knex = broken;
      const { announcer: a, sent, lines } = announcer(() => knex);
      a.gamesChanged([1]);
      await until(() => lines.length >= 2);
      expect(lines[0]).toMatchObject({ level: 50, msg: expect.stringMatching(/could not announce/) });
      expect(sent).toEqual([]);
      knex = service.ctx.knex;
      await until(() => sent.length > 0);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.games).toEqual([1]);
      await a.close();
    });
  });

  describe('screen publisher', () => {
    test('notices in one tick make one board snapshot, one staff snapshot, one stats, under the highest version', async () => {
      const game = await createGame(service);
      const [ann, bo] = [await join(service, game.id, 'Ann One'), await join(service, game.id, 'Bo Two')];
      const screens = new RecordingScreens({ board: true, staff: true, codes: [ann.code] });
      const { publisher: p } = publisher(() => service.ctx.knex, screens);
      p.receive(notice({ version: 10, games: [game.id] }));
      p.receive(notice({ version: 12, games: [game.id], stats: true }));
      p.receive(notice({ version: 11, games: [game.id] }));
      await sleep(300);
      await p.close();
      expect(screens.snapshots('/board')).toHaveLength(1);
      expect(screens.snapshots('/staff')).toHaveLength(1);
      expect(screens.emitted.filter((e) => e.event === 'stats')).toHaveLength(1);
      // Tickets only for the codes watched here.
      const tickets = screens.emitted.filter((e) => e.event === 'ticket');
      expect(tickets.map((t) => t.room)).toEqual([`ticket:${ann.code}`]);
      expect(tickets.some((t) => t.room === `ticket:${bo.code}`)).toBe(false);
      expect(new Set(screens.emitted.map((e) => e.payload.version))).toEqual(new Set([12]));
      const board = screens.snapshots('/board')[0]!.payload as unknown as { games: Array<{ id: number; waiting: Array<{ code: string }> }> };
      expect(board.games.find((g) => g.id === game.id)!.waiting.map((w) => w.code)).toEqual([ann.code, bo.code]);
    });

    test('with no screen here, a notice reads nothing at all', async () => {
      // The broken database would log an error for any read.
      const { publisher: p, screens, lines } = publisher(() => broken, new RecordingScreens({}));
      p.receive(notice({ version: 5, games: [1], stats: true, called: ['K7FA'], removed: ['MNPR'] }));
      await sleep(200);
      await p.close();
      expect(lines).toEqual([]);
      expect(screens.emitted).toEqual([]);
    });

    test('stats are read only when they can move, and only for staff screens', async () => {
      const game = await createGame(service);
      const { publisher: p, screens } = publisher(() => service.ctx.knex);
      p.receive(notice({ version: 20, games: [game.id], stats: false }));
      await sleep(150);
      expect(screens.snapshots('/staff')).toHaveLength(1);
      expect(screens.emitted.filter((e) => e.event === 'stats')).toHaveLength(0);
      p.receive(notice({ version: 21, games: [game.id], stats: true }));
      await sleep(150);
      await p.close();
      expect(screens.emitted.filter((e) => e.event === 'stats')).toHaveLength(1);

      const boardOnly = publisher(() => service.ctx.knex, new RecordingScreens({ board: true }));
      boardOnly.publisher.receive(notice({ version: 22, games: [game.id], stats: true }));
      await sleep(150);
      await boardOnly.publisher.close();
      expect(boardOnly.screens.emitted.map((e) => `${e.namespace} ${e.event}`)).toEqual(['/board snapshot']);
    });

    test('a called party is announced only while it is still called; a removed code only to its watchers', async () => {
      const game = await createGame(service, { copies: 2 });
      const a = await join(service, game.id, 'Ann Called');
      const b = await join(service, game.id, 'Bo Seated');
      expect((await service.staff.post(`/api/reservations/${a.id}/call`).send({})).status).toBe(200);
      expect((await service.staff.post(`/api/reservations/${b.id}/call`).send({})).status).toBe(200);
      expect((await service.staff.post(`/api/reservations/${b.id}/seat`).send({})).status).toBe(200);

      const screens = new RecordingScreens({ codes: [a.code, b.code, 'MNPR'] });
      const { publisher: p } = publisher(() => service.ctx.knex, screens);
      p.receive(notice({ version: 30, games: [game.id], called: [a.code, b.code], removed: ['MNPR', 'XXXX'] }));
      await sleep(300);
      await p.close();
      const called = screens.emitted.filter((e) => e.event === 'called');
      expect(called.map((c) => c.room)).toEqual([`ticket:${a.code}`]);
      expect(called[0]!.payload).toEqual({ version: 30, code: a.code, gameTitle: game.title, holdExpiresAt: expect.any(String) });
      const seated = screens.emitted.find((e) => e.event === 'ticket' && e.room === `ticket:${b.code}`);
      expect(seated?.payload.status).toBe('seated');
      expect(screens.emitted.filter((e) => e.event === 'removed').map((e) => e.room)).toEqual(['ticket:MNPR']);
      expect(screens.snapshots('/board')).toEqual([]);
    });

    test('a local request with no notice reads the current version first', async () => {
      const version = await currentVersion(service.ctx.knex);
      const { publisher: p, screens } = publisher(() => service.ctx.knex, new RecordingScreens({ board: true }));
      p.publishSnapshots();
      await sleep(150);
      await p.close();
      expect(screens.snapshots('/board').map((s) => s.payload.version)).toEqual([version]);
    });

    test('when the database is down, the failure is logged as an error and the flush retried until it works', async () => {
      let knex = broken;
      const { publisher: p, screens, lines } = publisher(() => knex);
      p.receive(notice({ version: 40, games: [1] }));
      await until(() => lines.length >= 2);
      expect(lines[0]).toMatchObject({ level: 50, msg: expect.stringMatching(/could not publish/) });
      expect(screens.emitted).toEqual([]);
      // The database is back: the pending notice goes out without any new one.
      knex = service.ctx.knex;
      await until(() => screens.snapshots('/board').length > 0);
      expect(screens.snapshots('/board').map((s) => s.payload.version)).toEqual([40]);
      await p.close();
    });
  });
});
