import { requestFrom } from '../helpers/http';
import { closeAllClients, connect } from '../helpers/sockets';
import { startTestService, type TestService } from '../helpers/testService';
import { createGame, join } from '../helpers/api';
import type { WatchAck } from '../../server/realtime/contract';

/** Unknown ticket codes are counted per address, so the code space cannot be walked. */
describe('ticket lookups by code are limited per address, on misses only', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('ticketmiss', { AUTO_ADVANCE: 'false', RUN_WORKERS: 'false', TICKET_MISS_LIMIT: '3' });
  });
  afterEach(closeAllClients);
  afterAll(() => service?.stop());

  const ticketFrom = (address: string, code: string) => requestFrom(address, `${service.url}/api/tickets/${code}`);

  test('a phone reading its own ticket again and again is never limited', async () => {
    const game = await createGame(service, { copies: 1 });
    const party = await join(service, game.id, 'Often Checks');
    for (let i = 0; i < 20; i += 1) expect((await ticketFrom('127.0.0.21', party.code)).status).toBe(200);
  });

  test('past the limit of unknown codes an address gets 429 for every lookup, its own ticket included; another address does not', async () => {
    const game = await createGame(service, { copies: 1 });
    const party = await join(service, game.id, 'Walker Victim');
    const unknown = ['XXXX', 'YYYY', 'WWWW'];
    for (const code of unknown) expect((await ticketFrom('127.0.0.22', code)).status).toBe(404);
    const over = await ticketFrom('127.0.0.22', 'VVVV');
    expect(over.status).toBe(429);
    expect(JSON.parse(over.text).error).toMatchObject({ code: 'too_many_ticket_misses', params: { limit: 3, seconds: expect.any(Number) }, message: expect.stringContaining('at most 3 a minute') });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ticketFrom('127.0.0.22', party.code)).status).toBe(429);
    // Leaving the queue by code counts the same way.
    const cancel = await requestFrom('127.0.0.22', `${service.url}/api/tickets/${party.code}/cancel`, {
      method: 'POST',
      body: JSON.stringify({ secret: 'x'.repeat(32) }),
    });
    expect(cancel.status).toBe(429);
    expect((await ticketFrom('127.0.0.23', party.code)).status).toBe(200);
  });

  test('the /ticket socket counts unknown codes against the same allowance and then answers rate_limited', async () => {
    const game = await createGame(service, { copies: 1 });
    const party = await join(service, game.id, 'Socket Walker');
    // The watch budget per socket is separate (a few a second): pace the watches under it.
    const phone = connect(service.url, '/ticket', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    await phone.connected();
    const watch = async (code: string) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      return (await phone.socket.timeout(3000).emitWithAck('watch', { code })) as WatchAck;
    };
    for (const code of ['XXXX', 'YYYY', 'WWWW']) expect(await watch(code)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await watch('VVVV')).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await watch(party.code)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });
});
