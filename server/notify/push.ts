import webpush from 'web-push';
import type { Config } from '../config';
import { outcomeOf, post, type Outcome } from './delivery';
import type { PushPayload } from './messages';
import type { PushSubscriptionRow } from './repository';
import type { VapidKeys } from './vapid';

/** A called party's phone should light up now; a message older than the hold is no use. */
const URGENCY = 'high';

/**
 * Whether the server may post to this endpoint: only to the browsers' push services
 * (PUSH_ENDPOINT_HOSTS, a host or a parent domain), over https (plain http only on loopback,
 * for a local push service). Anything else would let a client make the server post anywhere.
 */
export function allowedEndpoint(config: Config, endpoint: string): boolean {
  if (!URL.canParse(endpoint)) return false;
  const url = new URL(endpoint);
  const host = url.hostname.toLowerCase();
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return false;
  if (url.username || url.password) return false;
  return config.notify.pushHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/**
 * One Web Push message (RFC 8030), encrypted for the subscription (RFC 8291, aes128gcm) and
 * signed with the VAPID key (RFC 8292) by `web-push`; posted here with fetch.
 */
export async function sendPush(config: Config, keys: VapidKeys, sub: PushSubscriptionRow, payload: PushPayload): Promise<Outcome> {
  const details = webpush.generateRequestDetails(
    { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
    JSON.stringify(payload),
    {
      vapidDetails: { subject: config.notify.vapidSubject, publicKey: keys.publicKey, privateKey: keys.privateKey },
      TTL: Math.ceil(config.queue.holdMs / 1000),
      urgency: URGENCY,
      contentEncoding: 'aes128gcm',
    },
  );
  const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
  delete headers['Content-Length'];
  const res = await post(details.endpoint, { headers, body: details.body as Buffer }, 'push service');
  return outcomeOf(res, 'push service');
}
