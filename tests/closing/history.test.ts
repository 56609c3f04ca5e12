import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DateTime } from 'luxon';
import { createGame, join, act } from '../helpers/api';
import { createAccount } from '../staff-accounts/accountHelpers';
import { startTestService, type TestService } from '../helpers/testService';

const ZONE = 'Europe/Berlin';

/** A CSV answer read as text (supertest only buffers the types it knows). */
const asText = (res: request.Response, done: (err: Error | null, body: unknown) => void) => {
  let text = '';
  res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  res.on('end', () => done(null, text));
};

describe('history, CSV exports and the audit log', () => {
  let service: TestService;
  let today: string;
  beforeAll(async () => {
    service = await startTestService('history', { CAFE_TIMEZONE: ZONE, AUTO_ADVANCE: 'false', RUN_WORKERS: 'false' });
    today = DateTime.now().setZone(ZONE).toISODate()!;
  });
  afterAll(() => service?.stop());

  test('a range’s numbers: served, no-shows, cancellations, waits, per game with utilisation, per hour', async () => {
    const game = await createGame(service, { copies: 2, title: 'Azul, "the tile game"' });
    const seated = await join(service, game.id, 'Ada, Lovelace');
    const noShow = await join(service, game.id, 'Quote "Q" Person');
    const cancelled = await join(service, game.id, 'Cancel Me');
    await act(service, seated.id, 'call');
    await act(service, seated.id, 'seat');
    await act(service, noShow.id, 'call');
    await act(service, noShow.id, 'no-show');
    await act(service, cancelled.id, 'cancel');

    const res = await service.staff.get('/api/history').query({ from: today, to: today });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ joined: 3, served: 1, noShows: 1, cancelled: 1 });
    expect(res.body.totals.meanWaitMinutes).not.toBeNull();
    const azul = res.body.perGame.find((g: { gameId: number }) => g.gameId === game.id);
    expect(azul).toMatchObject({ served: 1, noShows: 1, cancelled: 1, copies: 2 });
    expect(azul.utilisation).toBeGreaterThan(0);
    expect(azul.utilisation).toBeLessThanOrEqual(1);
    expect(res.body.perHour).toHaveLength(24);
    const hour = DateTime.now().setZone(ZONE).hour;
    expect(res.body.perHour.reduce((s: number, h: { joined: number }) => s + h.joined, 0)).toBe(3);
    expect(res.body.perHour[hour].joined + (res.body.perHour[(hour + 23) % 24].joined ?? 0)).toBeGreaterThanOrEqual(1);

    // Yesterday had none of this.
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()!;
    expect((await service.staff.get('/api/history').query({ from: yesterday, to: yesterday })).body.totals).toMatchObject({ joined: 0, served: 0 });
  });

  test('bad ranges are a 400 naming the field; no session is a 401', async () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ from: '2026-13-01', to: '2026-12-01' }, 'from'],
      [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
      [{ from: '2026-11-30', to: '2026-11-01' }, 'from'],
      [{ from: '2024-01-01', to: '2026-01-01' }, 'to'],
      [{ from: 'yesterday', to: '2026-01-01' }, 'from'],
      [{ to: '2026-01-01' }, 'from'],
    ];
    for (const path of ['/api/history', '/api/history/reservations.csv', '/api/history/events.csv']) {
      for (const [query, field] of bad) {
        const res = await service.staff.get(path).query(query);
        expect(res.status).toBe(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
      }
      expect((await service.anon.get(path).query({ from: today, to: today })).status).toBe(401);
    }
  });

  test('the reservations CSV parses back to the rows, quotes and commas intact', async () => {
    const res = await service.staff.get('/api/history/reservations.csv').query({ from: today, to: today }).buffer(true).parse(asText);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="meeple-queue-reservations-${today}-to-${today}.csv"`);
    const rows = parse(res.body as string, { columns: true }) as Array<Record<string, string>>;
    const db = await service.ctx.knex('reservations').orderBy('id');
    expect(rows.map((r) => Number(r.id))).toEqual(db.map((r: { id: number }) => r.id));
    const ada = rows.find((r) => r.customer_name === 'Ada, Lovelace')!;
    expect(ada).toMatchObject({ game: expect.stringContaining('Azul, "the tile game"'), status: 'seated', party_size: '2' });
    expect(new Date(ada.enqueued_at!).toISOString()).toBe(ada.enqueued_at);
    expect(Number(ada.wait_minutes)).toBeGreaterThanOrEqual(0);
    expect(rows.find((r) => r.customer_name === 'Quote "Q" Person')?.status).toBe('no_show');
  });

  test('the events CSV has every event of the range, with actors', async () => {
    const res = await service.staff.get('/api/history/events.csv').query({ from: today, to: today }).buffer(true).parse(asText);
    expect(res.status).toBe(200);
    const rows = parse(res.body as string, { columns: true }) as Array<Record<string, string>>;
    const db = await service.ctx.knex('reservation_events').orderBy('id');
    expect(rows).toHaveLength(db.length);
    expect(rows.map((r) => [r.type, r.actor])).toEqual(db.map((e: { type: string; actor: string }) => [e.type, e.actor]));
    expect(rows.find((r) => r.type === 'no_show')).toMatchObject({ from_status: 'called', to_status: 'no_show', actor: 'staff:admin' });
  });

  test('an empty range exports the header line only', async () => {
    const res = await service.staff.get('/api/history/events.csv').query({ from: '2020-01-01', to: '2020-01-02' });
    expect(res.status).toBe(200);
    expect(parse(res.text, { columns: true })).toEqual([]);
    expect(res.text.split('\n')[0]).toMatch(/^id,created_at,created_local,/);
  });

  test('the audit log: who did what, filtered by game and actor; account changes are in it; admins only', async () => {
    const game = await createGame(service);
    const other = await createGame(service);
    const party = await join(service, game.id, 'Audit Party');
    await join(service, other.id, 'Other Party');
    const clerk = await createAccount(service, 'clerk', 'staff');
    expect((await service.staff.patch(`/api/users/${clerk.id}`).send({ role: 'admin' })).status).toBe(200);
    expect((await service.staff.patch(`/api/users/${clerk.id}`).send({ role: 'staff' })).status).toBe(200);
    expect((await service.staff.post(`/api/users/${clerk.id}/password`).send({ password: 'a-new-password-123' })).status).toBe(204);
    await act(service, party.id, 'call');

    const all = await service.staff.get('/api/audit').query({ from: today, to: today });
    expect(all.status).toBe(200);
    expect(all.body.actors).toEqual(expect.arrayContaining(['customer', 'staff:admin']));
    expect(all.body.entries.filter((e: { kind: string }) => e.kind === 'account').map((e: { type: string; subject: string }) => `${e.type} ${e.subject}`)).toEqual([
      'password_reset clerk',
      'role_changed clerk',
      'role_changed clerk',
      'account_created clerk',
    ]);
    const times = all.body.entries.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const byGame = await service.staff.get('/api/audit').query({ from: today, to: today, gameId: String(game.id) });
    expect(byGame.body.entries.map((e: { type: string; subject: string; gameId: number }) => [e.type, e.gameId])).toEqual([
      ['called', game.id],
      ['joined', game.id],
    ]);
    const customers = await service.staff.get('/api/audit').query({ from: today, to: today, actor: 'customer' });
    expect(customers.body.entries.every((e: { actor: string; type: string }) => e.actor === 'customer' && e.type === 'joined')).toBe(true);

    expect((await service.staff.get('/api/audit').query({ from: today, to: today, gameId: 'x' })).status).toBe(400);
    const agent = request.agent(service.url);
    expect((await agent.post('/api/auth/login').send({ username: 'clerk', password: 'a-new-password-123' })).status).toBe(200);
    const forbidden = await agent.get('/api/audit').query({ from: today, to: today });
    expect(forbidden.status).toBe(403);
    expect((await agent.get('/api/history').query({ from: today, to: today })).status).toBe(200);
  });
});
