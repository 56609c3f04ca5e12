import type { Knex } from 'knex';
import type Redis from 'ioredis';

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type DependencyState = 'connected' | 'disconnected';

export async function checkDatabase(knex: Knex, timeoutMs = 2000): Promise<DependencyState> {
  try {
    await withTimeout(knex.raw('SELECT 1'), timeoutMs);
    return 'connected';
  } catch {
    return 'disconnected';
  }
}

export async function checkRedis(redis: Redis, timeoutMs = 2000): Promise<DependencyState> {
  try {
    return (await withTimeout(redis.ping(), timeoutMs)) === 'PONG' ? 'connected' : 'disconnected';
  } catch {
    return 'disconnected';
  }
}

export type EngineState = 'running' | 'paused' | 'unknown';

/** Whether the queue engine runs jobs: paused from Bull Board, nobody is called on time. */
export async function checkEngine(jobs: { enginePaused(): Promise<boolean> }, timeoutMs = 2000): Promise<EngineState> {
  try {
    return (await withTimeout(jobs.enginePaused(), timeoutMs)) ? 'paused' : 'running';
  } catch {
    return 'unknown';
  }
}
