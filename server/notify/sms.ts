import { createHmac } from 'node:crypto';
import type { SmsConfig } from '../config';
import { outcomeOf, post, type Outcome } from './delivery';

/** A text to one phone, with what it is about (the webhook passes that on). */
export interface TextMessage {
  to: string;
  body: string;
  code: string;
  event: string;
}

/** A gateway that takes text messages: Twilio-compatible or a signed webhook. */
export interface TextGateway {
  send(message: TextMessage): Promise<Outcome>;
}

/** Header of the webhook's signature: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const SIGNATURE_HEADER = 'X-Meeple-Signature';
export const TIMESTAMP_HEADER = 'X-Meeple-Timestamp';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Twilio's Messages API (and the gateways that copy it): a form post with basic auth. */
function twilioGateway(config: Extract<SmsConfig, { provider: 'twilio' }>): TextGateway {
  const url = `${config.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  return {
    async send(message) {
      const form = new URLSearchParams({ To: message.to, From: config.from, Body: message.body });
      const res = await post(url, { headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }, 'SMS gateway');
      return outcomeOf(res, 'SMS gateway');
    },
  };
}

/** Any gateway: a JSON post signed with HMAC-SHA256 over the timestamp and the body. */
function webhookGateway(config: Extract<SmsConfig, { provider: 'webhook' }>): TextGateway {
  return {
    async send(message) {
      const body = JSON.stringify({ to: message.to, body: message.body, code: message.code, event: message.event });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers = {
        'Content-Type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: webhookSignature(config.secret, timestamp, body),
      };
      const res = await post(config.url, { headers, body }, 'SMS webhook');
      return outcomeOf(res, 'SMS webhook');
    },
  };
}

export function textGateway(config: SmsConfig | null): TextGateway | null {
  if (!config) return null;
  return config.provider === 'twilio' ? twilioGateway(config) : webhookGateway(config);
}
