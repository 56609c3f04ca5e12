// A text-message gateway on loopback: records every request as it arrived, and answers with the
// statuses it is told to, in turn (then 201), like Twilio's API or a café's own webhook would.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class LoopbackGateway {
  readonly requests: GatewayRequest[] = [];
  /** statuses to answer with, in turn; then 201 */
  answers: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.answers.shift() ?? 201;
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(status < 300 ? { sid: `SM${this.requests.length}`, status: 'queued' } : { message: 'gateway says no' }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
