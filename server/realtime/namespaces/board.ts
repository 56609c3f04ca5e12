// Realtime pipeline, step 4 of 4, for the TV: notifier → announcer → publisher → namespaces/board.ts.
// The publisher's board snapshots reach these sockets; this file adds what a socket asks for itself.
import type { Namespace, Server } from 'socket.io';
import { NAMESPACES, type BoardServerEvents, type ClientEvents } from '../contract';
import { singleFlight, type ScreenReads } from '../snapshots';

/**
 * `/board` (public, the TV): a full snapshot on connect and on `resync`, then the publisher's
 * snapshot after each change. No personal data beyond "Alex R.".
 */
export function serveBoard(io: Server, reads: ScreenReads): void {
  const board: Namespace<ClientEvents, BoardServerEvents> = io.of(NAMESPACES.board);
  board.on('connection', (socket) => {
    const send = () => reads.games().then((s) => void socket.emit('snapshot', s.board), reads.failed(NAMESPACES.board));
    void send();
    socket.on('resync', singleFlight(send));
  });
}
