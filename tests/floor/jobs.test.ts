import { UnrecoverableError, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import { QUEUE_NAME, bullPrefix } from '../../server/jobs/producer';
import { REDIS_URL, eventually, startTestService, type TestService } from '../helpers/testService';
import { sleep } from '../helpers/api';

/**
 * The producer side of the BullMQ jobs, against a hand-made worker whose timing the test
 * controls (the service runs no workers of its own here).
 */
describe('BullMQ queue jobs: deduplicated, never swallowed', () => {
  let service: TestService;
  let worker: Worker | undefined;
  let connection: Redis | undefined;

  beforeAll(async () => {
    service = await startTestService('qjobs', { RUN_WORKERS: 'false', RECONCILE_SECONDS: '600' });
  });
  afterEach(async () => {
    await worker?.close();
    connection?.disconnect();
    worker = undefined;
    await service.ctx.jobs.queue.obliterate({ force: true });
  });
  afterAll(() => service?.stop());

  function startWorker(process: (job: Job) => Promise<unknown>): void {
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    worker = new Worker(QUEUE_NAME, process, { connection, prefix: bullPrefix(service.config), concurrency: 4 });
  }

  test('a burst of advance requests for one game makes one job', async () => {
    for (let i = 0; i < 5; i += 1) await service.ctx.jobs.requestAdvance(101);
    await service.ctx.jobs.requestAdvance(102);
    const waiting = await service.ctx.jobs.queue.getWaiting();
    expect(waiting.map((j) => j.data.gameId).sort()).toEqual([101, 102]);
  });

  test("a request made while the game's advance job is running is not dropped: one more run follows", async () => {
    const runs: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    startWorker(async (job) => {
      runs.push(job.data.gameId as number);
      if (runs.length === 1) await gate;
    });
    await service.ctx.jobs.requestAdvance(7);
    await eventually(() => runs.length === 1, 5000);
    // The running job may already have read the queue: these changes need a fresh look.
    for (let i = 0; i < 3; i += 1) await service.ctx.jobs.requestAdvance(7);
    release();
    await eventually(() => runs.length === 2, 5000);
    await sleep(300);
    expect(runs).toEqual([7, 7]);
  });

  test('after an advance job fails for good, the next request for that game still runs', async () => {
    const runs: number[] = [];
    startWorker(async (job) => {
      runs.push(job.data.gameId as number);
      if (runs.length === 1) throw new UnrecoverableError('database blip');
    });
    await service.ctx.jobs.requestAdvance(9);
    await eventually(async () => (await service.ctx.jobs.queue.getFailedCount()) === 1, 5000);
    await service.ctx.jobs.requestAdvance(9);
    await eventually(() => runs.length === 2, 5000);
  });

  test('after a hold-expiry job fails for good, reconcile can schedule that hold again', async () => {
    const runs: number[] = [];
    startWorker(async (job) => {
      runs.push(job.data.reservationId as number);
      if (runs.length === 1) throw new UnrecoverableError('database blip');
    });
    const hold = { id: 31, holdExpiresAt: new Date() };
    await service.ctx.jobs.scheduleHoldExpiry(hold);
    await eventually(() => runs.length === 1, 5000);
    await sleep(100);
    await service.ctx.jobs.scheduleHoldExpiry(hold);
    await eventually(() => runs.length === 2, 5000);
  });

  test('a pending hold is scheduled once however often reconcile re-derives it, and cancelling removes it', async () => {
    const hold = { id: 55, holdExpiresAt: new Date(Date.now() + 60_000) };
    for (let i = 0; i < 3; i += 1) await service.ctx.jobs.scheduleHoldExpiry(hold);
    expect(await service.ctx.jobs.queue.getDelayedCount()).toBe(1);
    await service.ctx.jobs.cancelHoldExpiry(hold);
    expect(await service.ctx.jobs.queue.getDelayedCount()).toBe(0);
  });
});
