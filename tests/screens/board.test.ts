import { eventually, startTestService, type TestService } from '../helpers/testService';
import { shouldApply } from '../../client/src/stores/versioned';
import type { BoardGame } from '../../server/board/board';
import { createGame, join, sleep } from '../helpers/api';
import { closeAllClients, codesIn, connect, type Snapshot } from '../helpers/sockets';

describe('the /board namespace', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('rtboard');
  });
  afterEach(closeAllClients);
  afterAll(() => service.stop());

  test('a screen that connects gets a snapshot with the same body as GET /api/board', async () => {
    const game = await createGame(service);
    const joined = await join(service, game.id);
    // Let auto-advance call the party first, so nothing changes between the two reads.
    await eventually(async () => {
      const board = (await service.anon.get('/api/board')).body as Snapshot<BoardGame>;
      return board.games.some((g) => g.calling.some((e) => e.code === joined.code));
    });
    const client = connect(service.url, '/board');
    const snapshot = await client.waitFor<Snapshot<BoardGame>>('snapshot');
    const http = (await service.anon.get('/api/board')).body as Snapshot<BoardGame>;
    expect(snapshot.version).toBeGreaterThanOrEqual(0);
    expect(snapshot.games).toEqual(http.games);
    expect(snapshot.games.map((g) => g.id)).toContain(game.id);
  });

  test('when a customer joins over HTTP, the board gets a higher version with the new code', async () => {
    const game = await createGame(service, { copies: 2 });
    const client = connect(service.url, '/board');
    const first = await client.waitFor<Snapshot<BoardGame>>('snapshot');
    const joined = await join(service, game.id, 'Alexandra Rivers', 17);
    const next = await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(joined.code));
    expect(next.version).toBeGreaterThan(first.version);
    const entry = next.games.find((g) => g.id === game.id)!;
    expect([...entry.calling, ...entry.waiting].find((e) => e.code === joined.code)).toMatchObject({ displayName: 'Alexandra R.', partySize: 2 });
  });

  test('the board never carries full names, table numbers or secrets', async () => {
    const game = await createGame(service, { copies: 1 });
    const client = connect(service.url, '/board');
    await client.waitFor('snapshot');
    const secrets: string[] = [];
    for (const name of ['Maximiliana Quartermaine', 'Bartholomew Featherstonehaugh']) {
      const res = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: name, tableNumber: 923 });
      secrets.push(res.body.secret as string);
    }
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => s.games.find((g) => g.id === game.id)?.waiting.length === 1);
    const everything = JSON.stringify(client.received);
    expect(everything).not.toMatch(/Quartermaine|Featherstonehaugh|customerName|tableNumber|secret/);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    const entryKeys = ['code', 'displayName', 'estimatedWait', 'estimatedWaitMinutes', 'holdExpiresAt', 'partySize', 'position'];
    for (const snapshot of client.all<Snapshot<BoardGame>>('snapshot')) {
      for (const g of snapshot.games) {
        expect(Object.keys(g).sort()).toEqual(['calling', 'copies', 'copiesInUse', 'id', 'title', 'waiting']);
        for (const e of [...g.calling, ...g.waiting]) expect(Object.keys(e).sort()).toEqual(entryKeys);
      }
    }
  });

  test('versions only grow, and a client store ignores a stale snapshot delivered late', async () => {
    const game = await createGame(service, { copies: 3 });
    const client = connect(service.url, '/board');
    await client.waitFor('snapshot');
    const a = await join(service, game.id);
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(a.code));
    const b = await join(service, game.id);
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codesIn(s).has(b.code));

    const snapshots = client.all<Snapshot<BoardGame>>('snapshot');
    const versions = snapshots.map((s) => s.version);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);

    // The Vue client's rule (client/src/stores/versioned.ts) on real payloads, newest first.
    const newest = snapshots[snapshots.length - 1]!;
    const stale = snapshots.find((s) => codesIn(s).has(a.code) && !codesIn(s).has(b.code))!;
    expect(shouldApply(newest.version, stale.version)).toBe(false);
    expect(shouldApply(stale.version, newest.version)).toBe(true);
    expect(codesIn(newest).has(b.code)).toBe(true);
  });

  test('resync answers with a fresh snapshot', async () => {
    const client = connect(service.url, '/board');
    const first = await client.waitFor<Snapshot<BoardGame>>('snapshot');
    const game = await createGame(service);
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => s.games.some((g) => g.id === game.id));
    const count = client.all('snapshot').length;
    client.socket.emit('resync');
    const again = await client.waitFor<Snapshot<BoardGame>>('snapshot', () => true, 5000, client.received.length);
    // At least the answer (a change of an earlier test may add one more on a busy machine).
    expect(client.all('snapshot').length).toBeGreaterThanOrEqual(count + 1);
    expect(again.version).toBeGreaterThan(first.version);
    expect(again.games.map((g) => g.id)).toContain(game.id);
    // Parties of earlier tests may still be called meanwhile: the screen converges regardless.
    await eventually(async () => {
      const latest = client.all<Snapshot<BoardGame>>('snapshot').at(-1)!;
      expect(latest.games).toEqual((await service.anon.get('/api/board')).body.games);
      return true;
    });
  });

  test('a game deleted by staff leaves the board', async () => {
    const game = await createGame(service);
    const client = connect(service.url, '/board');
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => s.games.some((g) => g.id === game.id));
    expect((await service.staff.delete(`/api/games/${game.id}`)).status).toBe(204);
    await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => !s.games.some((g) => g.id === game.id));
  });
});

describe('a burst of changes', () => {
  let service: TestService;
  beforeAll(async () => {
    // The production tick (50 ms), not the tests' 20 ms: this is about what a TV sees.
    service = await startTestService('rtburst', { REALTIME_TICK_MS: '50' });
  });
  afterEach(closeAllClients);
  afterAll(() => service.stop());

  test('a hundred joins in about a second reach a screen in far fewer snapshots, the last one with all of them', async () => {
    const game = await createGame(service, { copies: 1 });
    const client = connect(service.url, '/board');
    await client.waitFor('snapshot');
    const before = client.all('snapshot').length;

    const codes: string[] = [];
    const started = Date.now();
    for (let wave = 0; wave < 10; wave += 1) {
      const joined = await Promise.all(Array.from({ length: 10 }, (_, i) => join(service, game.id, `Guest ${wave * 10 + i} Burst`)));
      codes.push(...joined.map((j) => j.code));
      // Spread over about a second, like a queue of phones at opening time.
      await sleep(Math.max(0, started + (wave + 1) * 100 - Date.now()));
    }
    const last = await client.waitFor<Snapshot<BoardGame>>('snapshot', (s) => codes.every((c) => codesIn(s).has(c)), 10_000);
    await sleep(300);
    const snapshots = client.all<Snapshot<BoardGame>>('snapshot').slice(before);
    const game100 = last.games.find((g) => g.id === game.id)!;
    expect(game100.calling.length + game100.waiting.length).toBe(100);
    expect(snapshots.length).toBeLessThan(30);
    expect(codesIn(snapshots[snapshots.length - 1]!)).toEqual(codesIn(last));
  });
});
