import { describe, expect, test } from '@jest/globals';
import { flushPromises } from '@vue/test-utils';
import { effectScope } from 'vue';
import { useSocket, type SocketOptions } from './useSocket';
import { renewPageConnection } from './pageConnection';
import { sockets } from '../testing/fakeSocket';

/** One user of `namespace` (a store's feed), with the snapshots it has seen. */
function follow(namespace: string, options: SocketOptions = {}) {
  const scope = effectScope(true);
  const handle = scope.run(() => {
    const socket = useSocket<{ snapshot: (payload: { version: number; n: number }) => void }>(namespace, options);
    return { socket, snapshot: socket.value<number>({ snapshot: (payload) => payload.n }) };
  })!;
  return { ...handle, stop: () => scope.stop() };
}

const opened = (namespace: string) => sockets.filter((s) => s.namespace === namespace);

describe('useSocket over the page’s one connection', () => {
  test('two users of a namespace share its socket; one leaving takes off only its own listeners', async () => {
    const before = opened('/board').length;
    const tv = follow('/board');
    const corner = follow('/board');
    expect(opened('/board')).toHaveLength(before + 1);
    const socket = opened('/board').at(-1)!;
    socket.connect();
    expect(socket.listenerCount('snapshot')).toBe(2);

    tv.stop();
    await flushPromises();
    expect(socket.listenerCount('snapshot')).toBe(1);
    expect(socket.active).toBe(true);
    socket.receive('snapshot', { version: 1, n: 7 });
    expect(corner.snapshot.value.value).toBe(7);
    expect(tv.snapshot.value.value).toBeNull();

    corner.stop();
    await flushPromises();
    expect(socket.listenerCount('snapshot')).toBe(0);
    expect(socket.listenerCount('connect')).toBe(0);
    expect(socket.active).toBe(false);
  });

  test('a feed swapped for another in one go keeps the socket; the new one is told it is connected and watches its code', async () => {
    const first = follow('/ticket', { onConnect: (emit) => emit('watch', { code: 'AAAA' }), resyncOnReconnect: false });
    const socket = opened('/ticket').at(-1)!;
    socket.connect();
    first.stop();
    const second = follow('/ticket', { onConnect: (emit) => emit('watch', { code: 'BBBB' }), resyncOnReconnect: false });
    await flushPromises();
    expect(opened('/ticket').at(-1)).toBe(socket);
    expect(socket.active).toBe(true);
    expect(second.socket.connected.value).toBe(true);
    expect(socket.sent).toEqual([
      { event: 'watch', args: [{ code: 'AAAA' }] },
      { event: 'watch', args: [{ code: 'BBBB' }] },
    ]);
    second.stop();
    await flushPromises();
    expect(socket.active).toBe(false);
  });

  test('joining a namespace another user has open asks for a snapshot, as a connect would bring', () => {
    const staff = follow('/staff');
    const socket = opened('/staff').at(-1)!;
    socket.connect();
    const dialog = follow('/staff');
    expect(socket.sent).toEqual([{ event: 'resync', args: [] }]);
    expect(dialog.socket.connected.value).toBe(true);
    staff.stop();
    dialog.stop();
  });

  test('a namespace left while its connect is on the way is disconnected once the server answers', async () => {
    const board = follow('/board');
    const socket = opened('/board').at(-1)!;
    board.stop();
    await flushPromises();
    expect(socket.active).toBe(true);
    socket.connect();
    expect(socket.active).toBe(false);
  });

  test('a renewed connection (after a sign-in) is a drop and a reconnect for every user: each resyncs', async () => {
    const cafe = follow('/cafe');
    const socket = opened('/cafe').at(-1)!;
    socket.connect();
    renewPageConnection();
    expect(cafe.socket.connected.value).toBe(false);
    expect(cafe.socket.reconnecting.value).toBe(true);
    socket.connect();
    expect(socket.sent).toEqual([{ event: 'resync', args: [] }]);
    cafe.stop();
    await flushPromises();
  });
});
