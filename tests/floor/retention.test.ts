import { JoinWriter, type JoinEffects } from '../../server/queue/joins';
import { housekeeping } from '../../server/queue/housekeeping';
import { startTestService, type TestService } from '../helpers/testService';
import { act, createGame, join } from '../helpers/api';

const noEffects: JoinEffects = { joined: async () => undefined, readFailed: () => undefined, quotesNotRecorded: () => undefined, codesRanOut: () => undefined };
const party = (customerName: string) => ({ customerName, partySize: 2, tableNumber: null });

describe('ticket codes are unique among live tickets only, and personal data is erased after RETENTION_DAYS', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('retention', { AUTO_ADVANCE: 'false', RUN_WORKERS: 'false', RETENTION_DAYS: '30' });
  });
  afterAll(() => service?.stop());

  /** Moves a reservation's end (and everything before it) `days` into the past. */
  async function endedDaysAgo(id: number, days: number) {
    await service.ctx.knex.raw(
      `UPDATE reservations SET finished_at = CURRENT_TIMESTAMP(3) - INTERVAL ? DAY, enqueued_at = CURRENT_TIMESTAMP(3) - INTERVAL ? DAY WHERE id = ?`,
      [days, days + 1, id],
    );
  }

  async function endedParty(gameId: number, name: string, daysAgo: number) {
    const p = await join(service, gameId, name);
    expect((await act(service, p.id, 'cancel')).status).toBe(200);
    await endedDaysAgo(p.id, daysAgo);
    return p;
  }

  test('a ticket ended over a day ago no longer resolves, and its code can be drawn again; one ended today still resolves and is not', async () => {
    const game = await createGame(service, { copies: 1 });
    const old = await endedParty(game.id, 'Old Ticket', 2);
    const recent = await endedParty(game.id, 'Recent Ticket', 0);
    expect((await service.anon.get(`/api/tickets/${old.code}`)).status).toBe(404);
    expect((await service.anon.get(`/api/tickets/${recent.code}`)).status).toBe(200);

    const { codesReleased } = await housekeeping(service.ctx);
    expect(codesReleased).toBeGreaterThanOrEqual(1);
    const reuse = new JoinWriter(service.ctx.knex, noEffects, { drawCode: () => old.code });
    const again = await reuse.join(game.id, party('New Holder'), 'customer');
    expect(again.reservation.code).toBe(old.code);
    const ticket = await service.anon.get(`/api/tickets/${old.code}`);
    expect(ticket.status).toBe(200);
    expect(ticket.body.displayName).toBe('New H.');

    // The recent ticket's code is still live: a writer that can only draw it finds no free code.
    const blocked = new JoinWriter(service.ctx.knex, noEffects, { drawCode: () => recent.code });
    await expect(blocked.join(game.id, party('Blocked'), 'customer')).rejects.toMatchObject({ status: 503 });
    expect((await service.anon.get(`/api/tickets/${recent.code}`)).body.displayName).toBe('Recent T.');
  });

  test('names of reservations ended RETENTION_DAYS ago are erased; open and recent ones are kept, and so are the statistics', async () => {
    const game = await createGame(service, { copies: 1 });
    const expired = await endedParty(game.id, 'Forget Me', 31);
    const kept = await endedParty(game.id, 'Keep Me', 29);
    const open = await join(service, game.id, 'Still Waiting');
    const eventsBefore = await service.ctx.knex('reservation_events').where({ gameId: game.id }).count({ n: '*' });

    const first = await housekeeping(service.ctx);
    expect(first.namesErased).toBe(1);
    const names = await service.ctx.knex('reservations').whereIn('id', [expired.id, kept.id, open.id]).orderBy('id').select('customerName');
    expect(names.map((r: { customerName: string }) => r.customerName)).toEqual(['', 'Keep Me', 'Still Waiting']);
    expect(await service.ctx.knex('reservation_events').where({ gameId: game.id }).count({ n: '*' })).toEqual(eventsBefore);
    // Idempotent.
    expect((await housekeeping(service.ctx)).namesErased).toBe(0);
  });
});

describe('names on the TV', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('names', { AUTO_ADVANCE: 'false', RUN_WORKERS: 'false' });
  });
  afterAll(() => service?.stop());

  test.each([
    ['a right-to-left override', 'Bob\u202Eevil'],
    ['a zero-width space', 'Zero\u200Bwidth'],
    ['a bidi isolate', 'Ann\u2067a'],
    ['a line separator', 'Line\u2028break'],
    ['a byte-order mark', '\uFEFFSam'],
  ])('a name with %s is refused (400) and nothing is written', async (_what, customerName) => {
    const game = await createGame(service, { copies: 1 });
    const res = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName, partySize: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'customerName' })]);
    expect(await service.ctx.knex('reservations').where({ gameId: game.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  test('names are stored in one form (NFKC) and the board shows a first name and an initial whatever the order', async () => {
    const game = await createGame(service, { copies: 1 });
    const wide = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Ｊｏｈｎ　　Ｓｍｉｔｈ', partySize: 2 });
    expect(wide.status).toBe(201);
    expect(wide.body.customerName).toBe('John Smith');
    await join(service, game.id, 'Rivera, Alexandra');
    const board = await service.anon.get('/api/board');
    const names = JSON.stringify(board.body);
    expect(names).toContain('John S.');
    expect(names).toContain('Alexandra R.');
    expect(names).not.toContain('Rivera');
    expect(names).not.toContain('Smith');
  });

  test('a party that waited for weeks can still be called: its wait fits the event log', async () => {
    const game = await createGame(service, { copies: 1 });
    const p = await join(service, game.id, 'Long Wait');
    await service.ctx.knex.raw('UPDATE reservations SET enqueued_at = CURRENT_TIMESTAMP(3) - INTERVAL 60 DAY WHERE id = ?', [p.id]);
    expect((await act(service, p.id, 'call')).status).toBe(200);
    const [event] = await service.ctx.knex('reservation_events').where({ reservationId: p.id, type: 'called' });
    expect(Number(event.waitMs)).toBeGreaterThan(2 ** 32);
  });
});

describe('a per-game queue limit', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('maxqueue', { AUTO_ADVANCE: 'false', RUN_WORKERS: 'false' });
  });
  afterAll(() => service?.stop());

  test('joins beyond the limit get a 409 that states it, even when they arrive together; staff can raise or lift it', async () => {
    const game = await createGame(service, { copies: 1, maxQueue: 3 });
    expect(game).toMatchObject({ maxQueue: 3 });
    const answers = await Promise.all(
      ['A a', 'B b', 'C c', 'D d', 'E e'].map((customerName) => service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName, partySize: 2 })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(refused.body.error).toMatchObject({ code: 'queue_full', params: { title: game.title, max: 3 }, message: expect.stringContaining('at most 3 waiting parties') });
    expect(await service.ctx.knex('reservations').where({ gameId: game.id }).count({ n: '*' })).toEqual([{ n: 3 }]);

    // A party leaving the queue makes room.
    const first = answers.find((r) => r.status === 201)!;
    expect((await act(service, first.body.id, 'cancel')).status).toBe(200);
    expect((await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'F f', partySize: 2 })).status).toBe(201);

    expect((await service.staff.patch(`/api/games/${game.id}`).send({ maxQueue: null })).body.maxQueue).toBeNull();
    expect((await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'G g', partySize: 2 })).status).toBe(201);
    expect((await service.staff.patch(`/api/games/${game.id}`).send({ maxQueue: 0 })).status).toBe(400);
  });
});
