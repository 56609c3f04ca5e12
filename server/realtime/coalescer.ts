// Realtime pipeline, the tick: announcer (step 2) and publisher (step 3) both coalesce their
// work with this, so a burst of changes costs one notice and one read per tick.
import type { Logger } from '../logger';

export interface CoalescerOptions {
  logger: Logger;
  /** minimum quiet time between two flushes; work marked in between shares the next flush */
  tickMs: number;
  /** told how long each flush took and whether it failed (the realtime flush metrics) */
  flushed?: (seconds: number, failed: boolean) => void;
}

/**
 * A flush that took this long is followed by at least this many times as long before the next:
 * however big the snapshots grow, publishing takes at most a third of the process's time, and
 * the joins and staff actions keep the rest.
 */
const QUIET_FACTOR = 2;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

/**
 * Coalesces work marked at any rate into flushes at most one per tick: the first mark after a
 * quiet spell is flushed at once (a lone staff action shows up in milliseconds); during a
 * burst, flushes are at least `tickMs` apart, and at least twice as long as the last flush
 * took, counted from its end, so a slow database is never asked for reads back to back and
 * big snapshots cannot crowd out the requests. A failed flush is logged as an error,
 * merged back into what is pending and retried with a growing back-off, which new work cuts
 * short (a committed change proves the database answers again).
 */
export abstract class Coalescer<P> {
  private pending: P | undefined;
  private cancelTimer: (() => void) | undefined;
  private retrying = false;
  private flushing: Promise<void> | undefined;
  private lastFlushEnd = -Infinity;
  private lastFlushMs = 0;
  private retryMs = 0;
  private closed = false;
  /** callers of `flushed()` waiting for the next flush to end */
  private waiting: Array<() => void> = [];

  constructor(protected readonly coalescing: CoalescerOptions) {}

  protected abstract empty(): P;
  /** folds a batch that failed back into what arrived meanwhile */
  protected abstract merge(into: P, failed: P): void;
  protected abstract flush(batch: P): Promise<void>;
  /** what the error log says when a flush fails */
  protected abstract readonly failure: string;

  /** Whether work is waiting for a flush or being flushed. */
  busy(): boolean {
    return this.pending !== undefined || this.flushing !== undefined;
  }

  /**
   * Resolves once everything marked before the call has been flushed: at once when nothing is
   * pending, else within a tick or so. Also when that flush failed: the caller goes on anyway.
   */
  flushed(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Flushes what is still pending, then stops taking work. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.clearTimer();
    await this.flushing;
    if (this.pending) await this.run();
    this.closed = true;
    this.clearTimer();
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** New work: flushed at the next tick, and a retry back-off under way is cut short. */
  protected add(change: (pending: P) => void): void {
    if (!this.mark(change)) return;
    if (this.retrying) this.clearTimer();
    this.schedule();
  }

  /** A request that proves nothing about the database: it waits out a retry back-off. */
  protected request(change: (pending: P) => void): void {
    if (this.mark(change)) this.schedule();
  }

  private mark(change: (pending: P) => void): boolean {
    if (this.closed) return false;
    this.pending ??= this.empty();
    change(this.pending);
    return true;
  }

  private schedule(delayMs?: number): void {
    if (this.closed || this.cancelTimer || this.flushing || !this.pending) return;
    const gap = Math.max(this.coalescing.tickMs, this.lastFlushMs * QUIET_FACTOR);
    const wait = delayMs ?? Math.max(0, this.lastFlushEnd + gap - Date.now());
    this.retrying = delayMs !== undefined;
    const fire = () => {
      this.cancelTimer = undefined;
      this.retrying = false;
      void this.run();
    };
    if (wait === 0) {
      // Still gathers all the work marked in this turn of the event loop, without the extra
      // millisecond (or more) of a zero timeout.
      const immediate = setImmediate(fire);
      this.cancelTimer = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(fire, wait).unref();
      this.cancelTimer = () => clearTimeout(timer);
    }
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.retrying = false;
  }

  private async run(): Promise<void> {
    const batch = this.pending;
    if (!batch || this.flushing) return;
    this.pending = undefined;
    // Whoever asked before this batch was taken is served by its flush.
    const served = this.waiting.splice(0);
    let failed = false;
    const started = Date.now();
    this.flushing = this.flush(batch).catch((err: unknown) => {
      failed = true;
      this.mark((pending) => this.merge(pending, batch));
      this.retryMs = Math.min(MAX_RETRY_MS, Math.max(FIRST_RETRY_MS, this.retryMs * 2));
      this.coalescing.logger.error({ err, retryInMs: this.retryMs }, this.failure);
    });
    await this.flushing;
    this.flushing = undefined;
    this.lastFlushEnd = Date.now();
    this.lastFlushMs = this.lastFlushEnd - started;
    this.coalescing.flushed?.(this.lastFlushMs / 1000, failed);
    if (!failed) this.retryMs = 0;
    for (const resolve of served) resolve();
    // Asked during the flush, with nothing marked since: the flush held all they waited for.
    if (!this.pending) for (const resolve of this.waiting.splice(0)) resolve();
    this.schedule(failed ? this.retryMs : undefined);
  }
}
