import { NOTIFY_QUEUE_NAME, QUEUE_NAME } from '../../server/jobs/producer';
import { startTestService, type TestService } from '../helpers/testService';
import { createAccount, signInAs } from './accountHelpers';

const PAUSE = `/staff/queues/api/queues/${QUEUE_NAME}/pause`;
const RESUME = `/staff/queues/api/queues/${QUEUE_NAME}/resume`;

describe('Bull Board is for admins only', () => {
  let service: TestService;
  let staffSession: string;
  beforeAll(async () => {
    service = await startTestService('bullboard');
    staffSession = (await signInAs(service, await createAccount(service, 'sam', 'staff'))).session;
  });
  afterAll(() => service.stop());

  const paused = () => service.ctx.jobs.queue.isPaused();

  test('plain staff get a 403, neither the page nor its API, and cannot pause the engine', async () => {
    const page = await service.anon.get('/staff/queues').set('Cookie', staffSession).set('Accept', 'text/html');
    expect(page.status).toBe(403);
    expect((await service.anon.get('/staff/queues/api/queues').set('Cookie', staffSession)).status).toBe(403);
    const pause = await service.anon.put(PAUSE).set('Cookie', staffSession);
    expect(pause.status).toBe(403);
    expect(pause.body.error.code).toBe('admin_only');
    expect(await paused()).toBe(false);
  });

  test('an admin sees the board and may pause and resume, from its own page only', async () => {
    expect((await service.staff.get('/staff/queues').set('Accept', 'text/html')).status).toBe(200);
    const crossSite = await service.staff.put(PAUSE).set('Origin', 'https://evil.example');
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('cross_site');
    expect(await paused()).toBe(false);

    expect((await service.staff.put(PAUSE).set('Origin', service.url)).status).toBe(200);
    expect(await paused()).toBe(true);
    expect((await service.staff.put(RESUME).set('Origin', service.url)).status).toBe(200);
    expect(await paused()).toBe(false);
  });

  test('the messages to phones are on the board too, read-only: nobody can pause them from there', async () => {
    const listed = await service.staff.get('/staff/queues/api/queues');
    expect(listed.status).toBe(200);
    const queues = listed.body.queues as Array<{ name: string; readOnlyMode: boolean }>;
    expect(queues.map((q) => [q.name, q.readOnlyMode]).sort()).toEqual([
      [QUEUE_NAME, false],
      [NOTIFY_QUEUE_NAME, true],
    ]);
    const pause = await service.staff.put(`/staff/queues/api/queues/${NOTIFY_QUEUE_NAME}/pause`).set('Origin', service.url);
    expect(pause.status).toBeGreaterThanOrEqual(400);
    expect(pause.status).toBeLessThan(500);
    expect(await service.ctx.jobs.notify.isPaused()).toBe(false);
  });

  test('a demoted admin loses the board on the next request', async () => {
    const ada = await createAccount(service, 'ada', 'admin');
    const { session } = await signInAs(service, ada);
    expect((await service.anon.get('/staff/queues/api/queues').set('Cookie', session)).status).toBe(200);
    expect((await service.staff.patch(`/api/users/${ada.id}`).send({ role: 'staff' })).status).toBe(200);
    expect((await service.anon.put(PAUSE).set('Cookie', session)).status).toBe(403);
    expect(await paused()).toBe(false);
  });
});
