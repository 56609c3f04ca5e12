// Realtime pipeline, the door: before any namespace (step 4) sees a socket, a client address
// may hold only so many connections to this instance.
import type { IncomingMessage } from 'node:http';
import express, { type Request } from 'express';
import type { Server } from 'socket.io';
import type { Config } from '../config';

/**
 * The address Express gives the same request as `req.ip`, under the same TRUST_PROXY rule:
 * behind Nginx, the phone's address from X-Forwarded-For; without a trusted proxy, the peer.
 */
export function clientAddresses(trustProxy: Config['trustProxy']): (req: IncomingMessage) => string {
  const rules = express().set('trust proxy', trustProxy);
  return (req) => {
    const view = Object.create(rules.request, { headers: { value: req.headers }, socket: { value: req.socket } }) as Request;
    return view.ip ?? req.socket.remoteAddress ?? 'unknown';
  };
}

/**
 * Counts this instance's Socket.IO connections per client address and refuses a handshake
 * (403, the client sees `connect_error`) beyond `perAddress`. One count per connection, not
 * per namespace: a phone's /ticket and a TV's /board each use one.
 */
export function capConnectionsPerAddress(perAddress: number, addressOf: (req: IncomingMessage) => string) {
  const open = new Map<string, number>();
  return {
    /** engine.io's `allowRequest`: asked for each new connection's handshake only */
    allowRequest(req: IncomingMessage, answer: (err: string | null | undefined, success: boolean) => void): void {
      const held = open.get(addressOf(req)) ?? 0;
      if (held >= perAddress) answer(`Too many live connections from this address (at most ${perAddress})`, false);
      else answer(null, true);
    },
    /** Starts counting the connections `io` accepts. */
    count(io: Server): void {
      io.engine.on('connection', (socket: { request: IncomingMessage; once(event: 'close', listener: () => void): void }) => {
        const address = addressOf(socket.request);
        open.set(address, (open.get(address) ?? 0) + 1);
        socket.once('close', () => {
          const left = (open.get(address) ?? 1) - 1;
          if (left > 0) open.set(address, left);
          else open.delete(address);
        });
      });
    },
  };
}
