/**
 * Child process of bench/fanout.ts: a bare Socket.IO server (no app, no Redis, no database)
 * that broadcasts the app's own board payload with `io.of('/board').emit`, the floor the app
 * is compared with.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

interface Board {
  version: number;
  games: Array<{ waiting: Array<Record<string, unknown>> }>;
}
type Command = { type: 'payload'; board: Board } | { type: 'emit'; marker: string } | { type: 'memory' } | { type: 'close' };

const server = http.createServer();
const io = new Server(server, { path: '/socket.io', serveClient: false });
const board = io.of('/board');
let base: Board = { version: 0, games: [] };
let version = 0;
let round = 0;

board.on('connection', (socket) => socket.emit('snapshot', base));

process.on('message', (command: Command) => {
  switch (command.type) {
    case 'payload':
      base = command.board;
      version = base.version;
      break;
    case 'emit': {
      // What the app does per change: a new snapshot object with one more waiting entry.
      const games = base.games.map((g, i) =>
        i === round % base.games.length ? { ...g, waiting: [...g.waiting, { ...g.waiting[0], displayName: command.marker }] } : g,
      );
      round += 1;
      version += 1;
      board.emit('snapshot', { version, games });
      break;
    }
    case 'memory':
      process.send!({ type: 'memory', rss: process.memoryUsage().rss });
      break;
    case 'close':
      void io.close().then(() => process.exit(0));
      break;
  }
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
