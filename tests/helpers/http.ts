/**
 * HTTP requests from a chosen loopback address (127.0.0.0/8 all reaches this machine), so that
 * to Nginx each test client is a network of its own: per-address limits count them apart.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export function requestFrom(localAddress: string, url: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        localAddress,
        agent: false,
        signal: options.signal,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let lastHost = 0;
/** A loopback address no other client in this test process uses (127.0.1.1, 127.0.1.2, ...). */
export function newClientAddress(): string {
  lastHost += 1;
  return `127.0.${1 + Math.floor(lastHost / 250)}.${1 + (lastHost % 250)}`;
}
