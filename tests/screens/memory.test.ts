import type { Knex } from 'knex';
import type { WatchAck } from '../../server/realtime/contract';
import { eventually, startTestService, type TestService } from '../helpers/testService';
import type { BoardGame } from '../../server/board/board';
import { createGame, join, sleep } from '../helpers/api';
import { closeAllClients, codesIn, connect, type Client, type Snapshot } from '../helpers/sockets';

/** Counts the statements a service sends to MySQL, from its own knex pool. */
function countQueries(knex: Knex) {
  const seen: string[] = [];
  const listener = (query: { sql: string }) => void seen.push(query.sql);
  knex.on('query', listener);
  return {
    get count() {
      return seen.length;
    },
    since: (mark: number) => seen.slice(mark),
    stop: () => void knex.off('query', listener),
  };
}

describe('public reads from memory', () => {
  let service: TestService;
  // No in-process workers: their reconcile pass would read MySQL on its own timer.
  beforeAll(async () => (service = await startTestService('rtmemory', { RUN_WORKERS: 'false' })));
  afterAll(async () => {
    closeAllClients();
    await service.stop();
  });

  async function readAll(code: string) {
    const [board, games, ticket] = await Promise.all([
      service.anon.get('/api/board'),
      service.anon.get('/api/games'),
      service.anon.get(`/api/tickets/${code}`),
    ]);
    expect([board.status, games.status, ticket.status]).toEqual([200, 200, 200]);
    return { board: board.body, games: games.body, ticket: ticket.body };
  }

  test('while nothing changes, the board, the games list and a ticket read no MySQL; a change is seen at once', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id, 'Alexandra Rivers');
    const queries = countQueries(service.ctx.knex);
    try {
      // Warm-up: reads go to MySQL until the changes above have been announced (a tick or
      // two later); from then on, a round of reads costs nothing.
      await eventually(async () => {
        const mark = queries.count;
        await readAll(first.code);
        await sleep(100);
        return queries.count === mark;
      });

      const mark = queries.count;
      for (let round = 0; round < 20; round += 1) await readAll(first.code);
      await Promise.all(Array.from({ length: 50 }, () => readAll(first.code)));
      expect(queries.since(mark)).toEqual([]);

      // A change made here: the very next reads show it, before any notice went round.
      const second = await join(service, game.id, 'Sam Okafor');
      const afterJoin = await readAll(second.code);
      expect(codesIn(afterJoin.board).has(second.code)).toBe(true);
      expect(afterJoin.games.find((g: { id: number }) => g.id === game.id)).toMatchObject({ waiting: 2 });
      expect(afterJoin.ticket).toMatchObject({ code: second.code, status: 'waiting', position: 2 });

      const called = await service.staff.post(`/api/games/${game.id}/call-next`).send();
      expect(called.status).toBe(200);
      const afterCall = await readAll(first.code);
      expect(afterCall.ticket).toMatchObject({ code: first.code, status: 'called', position: null });
      expect(afterCall.board.games.find((g: { id: number }) => g.id === game.id).calling.map((e: { code: string }) => e.code)).toEqual([first.code]);
      expect(afterCall.games.find((g: { id: number }) => g.id === game.id)).toMatchObject({ waiting: 1, copiesInUse: 1 });
    } finally {
      queries.stop();
    }
  });

  test("with a TV connected, the publisher's read for a change also serves the next GET /api/board", async () => {
    const game = await createGame(service);
    const tv = connect(service.url, '/board');
    await tv.waitFor('snapshot');
    const joined = await join(service, game.id);
    const shown = await tv.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(joined.code));

    const queries = countQueries(service.ctx.knex);
    const res = await service.anon.get('/api/board');
    queries.stop();
    expect(res.body).toEqual(shown);
    expect(queries.since(0)).toEqual([]);
  });

  test('a change made through another instance reaches this one\'s memory with its notice', async () => {
    const other = await startTestService('rtmemory', { RUN_WORKERS: 'false' }, service.name);
    try {
      const game = await createGame(service);
      const here = await join(service, game.id);
      await eventually(async () => codesIn((await service.anon.get('/api/board')).body).has(here.code));
      const ticketBefore = (await service.anon.get(`/api/tickets/${here.code}`)).body;
      expect(ticketBefore).toMatchObject({ status: 'waiting' });

      const there = await join(other, game.id);
      expect((await other.staff.post(`/api/reservations/${here.id}/call`).send()).status).toBe(200);
      await eventually(async () => codesIn((await service.anon.get('/api/board')).body).has(there.code));
      await eventually(async () => (await service.anon.get(`/api/tickets/${here.code}`)).body.status === 'called');
      await eventually(async () => (await service.anon.get('/api/games')).body.find((g: { id: number }) => g.id === game.id)?.waiting === 1);
    } finally {
      await other.stop({ keepData: true });
    }
  });

  test('a flood of `watch` from one socket is refused past its budget, while /health and joins keep working', async () => {
    const game = await createGame(service, { copies: 1 });
    const joined = await join(service, game.id);
    const flooder: Client = connect(service.url, '/ticket');
    await flooder.connected();

    const queries = countQueries(service.ctx.knex);
    const acks: WatchAck[] = [];
    let sent = 0;
    // As fast as this process can for two seconds (thousands), yielding between batches only
    // so that the service, which shares the process, gets to answer.
    const flood = (async () => {
      const until = Date.now() + 2000;
      while (Date.now() < until) {
        for (let i = 0; i < 200; i += 1, sent += 1) flooder.socket.emit('watch', { code: joined.code }, (ack: WatchAck) => void acks.push(ack));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await eventually(() => acks.length === sent);
    })();

    // Meanwhile the café goes on: the health check answers and a phone joins.
    const health: Array<{ status: number; ms: number }> = [];
    let flooding = true;
    const probe = (async () => {
      while (flooding) {
        const t0 = performance.now();
        const res = await service.anon.get('/health');
        health.push({ status: res.status, ms: performance.now() - t0 });
      }
    })();
    const during = await join(service, game.id, 'Mid Flood');
    await flood;
    flooding = false;
    await probe;
    queries.stop();

    expect(during.status).toBe('waiting');
    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((h) => h.status !== 200)).toEqual([]);
    const refused = acks.filter((a) => !a.ok);
    expect(sent).toBeGreaterThan(1000);
    expect(refused.length).toBeGreaterThan(sent / 2);
    expect(refused.every((a) => !a.ok && a.error.code === 'rate_limited')).toBe(true);
    // What got through shared the ticket held in memory: nowhere near one read per watch.
    expect(queries.count).toBeLessThan(100);
    const sorted = health.map((h) => h.ms).sort((a, b) => a - b);
    console.log(
      `watch flood: ${sent} watches, ${sent - refused.length} answered, ${refused.length} refused, ${queries.count} MySQL statements; ` +
        `/health ${health.length} probes, p95 ${sorted[Math.ceil(sorted.length * 0.95) - 1]!.toFixed(1)} ms`,
    );

    // The flooder's own socket still works once its budget refills.
    await eventually(async () => {
      const ack = await flooder.socket.timeout(2000).emitWithAck('watch', { code: joined.code });
      return (ack as WatchAck).ok;
    });
  });
});

describe('socket connections per client address', () => {
  let service: TestService;
  beforeAll(async () => (service = await startTestService('rtconns', { RUN_WORKERS: 'false', SOCKETS_PER_ADDRESS: '3', TRUST_PROXY: 'loopback' })));
  afterAll(async () => {
    closeAllClients();
    await service.stop();
  });

  /** A /board socket that says it comes through the (trusted, loopback) proxy from `address`. */
  function fromAddress(address: string): Client {
    return connect(service.url, '/board', { headers: { 'x-forwarded-for': address } });
  }

  function refused(client: Client): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connected, expected a refusal')), 5000);
      client.socket.once('connect_error', (err: Error) => {
        clearTimeout(timer);
        client.close();
        resolve(err.message);
      });
    });
  }

  test('past the cap an address is refused, other addresses are not, and a closed connection frees its place', async () => {
    const held = [fromAddress('198.51.100.7'), fromAddress('198.51.100.7'), fromAddress('198.51.100.7')];
    await Promise.all(held.map((c) => c.waitFor('snapshot')));

    expect(await refused(fromAddress('198.51.100.7'))).toBeTruthy();
    const neighbour = fromAddress('198.51.100.8');
    await neighbour.waitFor('snapshot');

    held[0]!.close();
    await eventually(async () => {
      const again = fromAddress('198.51.100.7');
      try {
        await again.connected(1000);
        return true;
      } catch {
        again.close();
        return false;
      }
    });
  });
});
