// A Web Push service on loopback that speaks RFC 8030: it takes the server's POSTs, checks the
// VAPID JWT (RFC 8292) against the key in the Authorization header, and decrypts the payload
// (RFC 8291, aes128gcm) with the subscriber's own keys, as a browser would.
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as { decrypt(buffer: Buffer, params: { version: string; privateKey: ECDH; authSecret: string }): Buffer };

export interface ReceivedPush {
  device: string;
  headers: IncomingHttpHeaders;
  /** the decrypted payload, parsed */
  payload: Record<string, unknown>;
  /** the VAPID JWT's claims and the public key it was signed with */
  vapid: { claims: { aud: string; exp: number; sub: string }; publicKey: string };
}

export interface Device {
  id: string;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** statuses to answer with, in turn; then 201 */
  answers: number[];
  /** every POST that reached this device's endpoint, whatever was answered */
  requests: number;
}

const b64url = (buf: Buffer) => buf.toString('base64url');

function checkVapid(authorization: string | undefined, origin: string): ReceivedPush['vapid'] {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${authorization}`);
  const [, jwt, key] = match as unknown as [string, string, string];
  const [head, body, signature] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string; typ: string };
  if (header.alg !== 'ES256') throw new Error(`JWT alg ${header.alg}`);
  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${head}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) {
    throw new Error('VAPID JWT signature does not verify with k');
  }
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as ReceivedPush['vapid']['claims'];
  if (claims.aud !== origin) throw new Error(`JWT aud ${claims.aud}, expected ${origin}`);
  if (!(claims.exp * 1000 > Date.now())) throw new Error('JWT expired');
  return { claims, publicKey: key };
}

export class LoopbackPushService {
  readonly received: ReceivedPush[] = [];
  /** anything the service could not accept: a bad signature, a payload that does not decrypt */
  readonly problems: string[] = [];
  private readonly devices = new Map<string, Device & { ecdh: ECDH }>();
  private server!: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const device = this.devices.get(/^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '');
        if (req.method !== 'POST' || !device) {
          res.writeHead(404).end();
          return;
        }
        device.requests += 1;
        const status = device.answers.shift() ?? 201;
        if (status === 201) {
          try {
            if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding ${req.headers['content-encoding']}`);
            const vapid = checkVapid(req.headers.authorization, this.origin);
            const plain = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: device.ecdh, authSecret: device.subscription.keys.auth });
            this.received.push({ device: device.id, headers: req.headers, payload: JSON.parse(plain.toString('utf8')) as Record<string, unknown>, vapid });
          } catch (err) {
            this.problems.push((err as Error).message);
            res.writeHead(400).end((err as Error).message);
            return;
          }
        }
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A browser's subscription: its own P-256 key pair and auth secret, an endpoint here. */
  device(answers: number[] = []): Device {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const id = randomBytes(6).toString('hex');
    const device = {
      id,
      ecdh,
      answers,
      requests: 0,
      subscription: { endpoint: `${this.origin}/push/${id}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(randomBytes(16)) } },
    };
    this.devices.set(id, device);
    return device;
  }

  to(device: Device): ReceivedPush[] {
    return this.received.filter((p) => p.device === device.id);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
