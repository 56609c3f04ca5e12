import type http from 'node:http';
import type { RequestHandler } from 'express';
import { Server } from 'socket.io';
import type { AppContext } from '../context';
import { buildBoard } from '../board/board';
import { nextVersion } from '../board/version';

export interface Realtime {
  io: Server;
  close(): Promise<void>;
}

/** Socket.IO on the HTTP server: the board gets a snapshot on connect and after changes. */
export async function attachRealtime(server: http.Server, ctx: AppContext, _session: RequestHandler): Promise<Realtime> {
  const io = new Server(server, { path: '/socket.io', serveClient: false });
  const board = io.of('/board');
  board.on('connection', async (socket) => {
    socket.emit('snapshot', await buildBoard(ctx.knex));
    socket.on('resync', async () => socket.emit('snapshot', await buildBoard(ctx.knex)));
  });

  let pending: NodeJS.Timeout | undefined;
  const flush = async () => {
    pending = undefined;
    try {
      board.emit('snapshot', await buildBoard(ctx.knex, await nextVersion(ctx.knex)));
    } catch (err) {
      ctx.logger.error({ err }, 'could not publish the board');
    }
  };
  ctx.notifier.on('gamesChanged', () => {
    pending ??= setTimeout(flush, ctx.config.realtime.tickMs);
  });

  return {
    io,
    async close() {
      if (pending) clearTimeout(pending);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
