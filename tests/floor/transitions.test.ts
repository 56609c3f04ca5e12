import { ACTIONS, STATUSES, TERMINAL, type QueueAction, type ReservationStatus } from '../../server/queue/states';
import { startTestService, type TestService } from '../helpers/testService';
import { act, createGame, getReservation, join, type ReservationBody } from '../helpers/api';
import { LEGAL, PATH } from '../helpers/stateMachine';

/** Moving up or down needs a neighbour: tested on their own in tests/floor/floorTools.test.ts. */
const NEEDS_A_NEIGHBOUR: readonly QueueAction[] = ['move_up', 'move_down'];

/** The HTTP steps that bring a fresh party to each state. */
const ROUTE_TO: Record<ReservationStatus, QueueAction[]> = {
  waiting: [],
  called: ['call'],
  seated: ['call', 'seat'],
  finished: ['call', 'seat', 'finish'],
  no_show: ['call', 'no_show'],
  cancelled: ['cancel'],
};

describe('queue transitions through HTTP', () => {
  let service: TestService;
  let gameId: number;

  beforeAll(async () => {
    // Calls by hand only, so no worker moves a party while a test looks at it.
    service = await startTestService('qtransitions', { AUTO_ADVANCE: 'false' });
    gameId = (await createGame(service, { copies: 500 })).id;
  });
  afterAll(() => service?.stop());

  async function partyIn(status: ReservationStatus): Promise<ReservationBody> {
    const party = await join(service, gameId);
    for (const step of ROUTE_TO[status]) {
      const res = await act(service, party.id, PATH[step]);
      if (res.status !== 200) throw new Error(`${step}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const now = await getReservation(service, party.id);
    expect(now.status).toBe(status);
    return { ...party, ...now };
  }

  const table = STATUSES.flatMap((status) => ACTIONS.map((action) => ({ status, action, to: LEGAL[status][action] ?? null })));

  test.each(table.filter((t) => t.to && !NEEDS_A_NEIGHBOUR.includes(t.action)))('POST …/$action on a $status party → 200, now $to', async ({ status, action, to }) => {
    const party = await partyIn(status);
    const res = await act(service, party.id, PATH[action]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: party.id, status: to });
    expect((await getReservation(service, party.id)).status).toBe(to);
    if (to === 'called') expect(Date.parse(res.body.holdExpiresAt)).toBeGreaterThan(Date.parse(res.body.calledAt));
    if (to === 'seated') expect(res.body.seatedAt).not.toBeNull();
    if (TERMINAL.includes(to!)) expect(res.body.finishedAt).not.toBeNull();
  });

  test.each(table.filter((t) => !t.to))('POST …/$action on a $status party → 409 saying why, and nothing changes', async ({ status, action }) => {
    const party = await partyIn(status);
    const res = await act(service, party.id, PATH[action]);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'illegal_move', params: { move: action, status } });
    expect(res.body.error.message).toContain(status === 'no_show' ? 'no-show' : status);
    const after = await getReservation(service, party.id);
    expect(after.status).toBe(status);
    expect(pick(after, ['calledAt', 'seatedAt', 'finishedAt', 'holdExpiresAt'])).toEqual(pick(party, ['calledAt', 'seatedAt', 'finishedAt', 'holdExpiresAt']));
  });

  test('an unknown reservation is a 404, and without a staff session every action is a 401', async () => {
    const unknown = await act(service, 999_999, 'call');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'reservation_not_found', params: {} });
    const party = await join(service, gameId);
    for (const action of ACTIONS) expect((await service.anon.post(`/api/reservations/${party.id}/${PATH[action]}`).send({})).status).toBe(401);
    expect((await service.anon.post(`/api/games/${gameId}/call-next`).send({})).status).toBe(401);
  });

  test('calling a party when every copy is in use is a 409 that names the game', async () => {
    const game = await createGame(service, { copies: 1 });
    const first = await join(service, game.id);
    const second = await join(service, game.id);
    expect((await act(service, first.id, 'call')).status).toBe(200);
    const res = await act(service, second.id, 'call');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'no_free_copy', params: { title: game.title, copies: 1 } });
    expect(res.body.error.message).toMatch(/No free copy/);
    expect(res.body.error.message).toContain(game.title);
  });

  test('call-next calls the head of the queue; 409 when nobody waits or no copy is free', async () => {
    const game = await createGame(service, { copies: 1 });
    const empty = await service.staff.post(`/api/games/${game.id}/call-next`).send({});
    expect(empty.status).toBe(409);
    expect(empty.body.error).toMatchObject({ code: 'nobody_waiting', params: { title: game.title } });
    expect(empty.body.error.message).toMatch(/Nobody is waiting/);
    const first = await join(service, game.id);
    await join(service, game.id);
    const next = await service.staff.post(`/api/games/${game.id}/call-next`).send({});
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ id: first.id, status: 'called', position: null });
    const full = await service.staff.post(`/api/games/${game.id}/call-next`).send({});
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'no_free_copy', params: { title: game.title, copies: 1 } });
    expect(full.body.error.message).toMatch(/No free copy/);
  });

  describe("a customer's own cancel with the secret", () => {
    const cancel = (code: string, secret: string) => service.anon.post(`/api/tickets/${code}/cancel`).send({ secret });

    test('a waiting customer leaves the queue with the secret → 200 cancelled, and it stays so', async () => {
      const party = await join(service, gameId);
      const res = await cancel(party.code, party.secret!);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code: party.code, status: 'cancelled', position: null });
      expect((await getReservation(service, party.id)).status).toBe('cancelled');
      expect((await cancel(party.code, party.secret!)).status).toBe(409);
    });

    test('a called customer may still leave → 200, and the hold ends', async () => {
      const party = await partyIn('called');
      const res = await cancel(party.code, party.secret!);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
    });

    test('the wrong secret → 403 and the party keeps its place', async () => {
      const party = await join(service, gameId);
      const res = await cancel(party.code, 'not-the-secret');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('wrong_ticket_secret');
      expect((await getReservation(service, party.id)).status).toBe('waiting');
    });

    test.each(['seated', 'finished', 'no_show', 'cancelled'] as const)('a %s customer cannot cancel → 409 with a reason', async (status) => {
      const party = await partyIn(status);
      const res = await cancel(party.code, party.secret!);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject(status === 'seated' ? { code: 'already_seated' } : { code: 'illegal_move', params: { move: 'cancel', status } });
      expect(res.body.error.message.length).toBeGreaterThan(10);
      expect((await getReservation(service, party.id)).status).toBe(status);
    });

    test('an unknown code → 404', async () => {
      const res = await cancel('ZZZZ', 'whatever');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ticket_not_found');
    });
  });
});

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]])) as Pick<T, K>;
}
