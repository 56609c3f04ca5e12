/**
 * What one try to hand a message over said. `delivered`: the push service or gateway took it.
 * `gone`: the push subscription no longer exists (404/410), it is dropped. `refused`: the
 * service will never take this message (another 4xx), so trying again is pointless. Anything
 * else (a 5xx, 429, a timeout, no connection) is thrown as a `RetryableFailure` and the job
 * tries again later with backoff.
 */
export type Outcome = { result: 'delivered' } | { result: 'gone'; reason: string } | { result: 'refused'; reason: string };

export class RetryableFailure extends Error {}

/** How long one request to a push service or gateway may take. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Sorts an HTTP answer into delivered / refused / retry. */
export async function outcomeOf(res: Response, service: string): Promise<Outcome> {
  if (res.ok) return { result: 'delivered' };
  const text = (await res.text().catch(() => '')).slice(0, 120);
  const reason = `${service} answered ${res.status}${text ? `: ${text}` : ''}`;
  if (res.status === 404 || res.status === 410) return { result: 'gone', reason };
  if (res.status === 429 || res.status >= 500) throw new RetryableFailure(reason);
  return { result: 'refused', reason };
}

/** fetch, with a timeout, its network failures turned into retryable ones. */
export async function post(url: string, init: RequestInit, service: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, method: 'POST', redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new RetryableFailure(`${service} unreachable: ${(err as Error).cause ? String((err as Error).cause) : (err as Error).message}`);
  }
}
