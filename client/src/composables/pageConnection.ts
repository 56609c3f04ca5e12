import { Manager, type Socket } from 'socket.io-client';

// One engine.io connection per page, whatever namespaces it follows (a board follows /board
// and /cafe). The server and Nginx cap connections per address, and a café's phones share one
// address on its WiFi: a second connection per page would halve how many tickets stay open.
//
// Socket.IO allows one Socket per namespace on a connection (the server closes the whole
// connection on a second CONNECT for a namespace it holds), so everything on the page that
// follows a namespace shares its Socket: each user adds its own listeners and takes them off
// again (useSocket), and the last one out disconnects it. Once no namespace is left the
// Manager closes the connection; the next join opens it again.

let manager: Manager | undefined;
const users = new Map<string, number>();
const sockets = new Map<string, Socket>();

/** The page's Socket on `namespace`, connecting it (and the page's connection) if need be. */
export function joinNamespace(namespace: string): Socket {
  manager ??= new Manager({ path: '/socket.io', withCredentials: true });
  users.set(namespace, (users.get(namespace) ?? 0) + 1);
  // The Manager keeps one Socket per namespace and connects it again if it was disconnected.
  const socket = manager.socket(namespace);
  sockets.set(namespace, socket);
  return socket;
}

/**
 * After a sign-in: a namespace reads the session from the cookie its connection's handshake
 * carried (/staff does), and the page's connection may be older than the new session cookie.
 * A new connection carries it, and every namespace still followed connects again over it.
 */
export function renewPageConnection(): void {
  if (!manager || ![...sockets.values()].some((socket) => socket.active)) return;
  manager._close();
  manager.open();
}

/** One user of `namespace` is done with it (its listeners are already off). */
export function leaveNamespace(namespace: string, socket: Socket): void {
  const left = (users.get(namespace) ?? 1) - 1;
  users.set(namespace, left);
  if (left > 0) return;
  // Not at once: a page swapping one feed for another (the ticket page opening another code)
  // leaves and joins in the same breath. The server lets go of a namespace a tick after its
  // DISCONNECT, and a CONNECT for it read before then closes the whole connection (socket.io
  // 4.8: disconnect() and connect() back to back drop every namespace), so the swap keeps it.
  queueMicrotask(() => disconnectIfUnused(namespace, socket));
}

function disconnectIfUnused(namespace: string, socket: Socket): void {
  if ((users.get(namespace) ?? 0) > 0) return;
  if (socket.active && !socket.connected) {
    // Its CONNECT may be on the way: wait for the answer, or the server would keep a socket
    // this page no longer knows about and refuse the namespace's next CONNECT. A failed
    // attempt leaves nothing on the server.
    const settle = () => {
      socket.off('connect', settle);
      socket.off('connect_error', settle);
      if ((users.get(namespace) ?? 0) === 0) socket.disconnect();
    };
    socket.on('connect', settle);
    socket.on('connect_error', settle);
    return;
  }
  socket.disconnect();
}
