import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, type Ref } from 'vue';
import type { ClientEvents } from '../api/types';
import { shouldApply } from '../stores/versioned';
import { joinNamespace, leaveNamespace } from './pageConnection';

type PayloadOf<M, K extends keyof M> = M[K] extends (payload: infer P) => void ? P : never;
type ClientPayload<K extends keyof ClientEvents> = Parameters<ClientEvents[K]>;
type Emit = <K extends keyof ClientEvents>(event: K, ...args: ClientPayload<K>) => void;

export interface SocketOptions {
  /** Runs after every connect and reconnect, e.g. to tell /ticket which code to watch. */
  onConnect?: (emit: Emit) => void;
  /** Ask for a fresh snapshot after a reconnect (the server also sends one on connect). */
  resyncOnReconnect?: boolean;
}

/** One value fed by versioned events (a namespace's snapshots, a ticket); `seed` fills it from HTTP. */
export interface LiveValue<T> {
  value: Readonly<Ref<T | null>>;
  /**
   * An HTTP answer. One with a version (GET /api/board) follows the version rule like any
   * event; one without only fills the gap before the first event.
   */
  seed(value: T, version?: number): void;
  /** A change made here (a game deleted) shown at once; the next event replaces it. */
  amend(change: (current: T) => T): void;
}

type Reducers<M, T> = {
  [K in keyof M]?: (payload: PayloadOf<M, K>, current: T | null) => T | null;
};

const RECONNECT_AFTER_KICK_MS = 1000;

/**
 * The only place that talks to Socket.IO. Owns connecting, reconnecting, resync after a
 * drop, and the version rule; stores ask it for live lists and values and never see a socket.
 * `M` is the namespace's server → client event map from api/types. Call it inside an effect
 * scope (a component's setup or an effectScope): the socket closes when the scope stops.
 */
export function useSocket<M extends object>(namespace: string, options: SocketOptions = {}) {
  const { resyncOnReconnect = true } = options;
  // The page's one connection carries every namespace (pageConnection.ts); the Socket may be
  // shared with another user of the namespace, so this one only ever takes off its own listeners.
  const socket = joinNamespace(namespace);
  const unlisten: Array<() => void> = [];
  const listen = <A extends unknown[]>(event: string, listener: (...args: A) => void) => {
    socket.on(event, listener);
    unlisten.push(() => socket.off(event, listener));
  };

  const connected = ref(false);
  const reconnecting = ref(false);
  const lastError = ref<string | null>(null);
  let everConnected = false;
  let kickTimer: ReturnType<typeof setTimeout> | undefined;

  const emit: Emit = (event, ...args) => {
    socket.emit(event, ...args);
  };

  const onConnect = () => {
    connected.value = true;
    reconnecting.value = false;
    lastError.value = null;
    if (everConnected && resyncOnReconnect) socket.emit('resync');
    everConnected = true;
    options.onConnect?.(emit);
  };
  listen('connect', onConnect);
  // Another user on the page has the namespace open already: no connect event is coming, and
  // the server sends its snapshot on connect, so this asks for one (or watches its code).
  if (socket.connected) {
    everConnected = true;
    onConnect();
  }

  listen('disconnect', (reason: string) => {
    connected.value = false;
    if (reason === 'io client disconnect') {
      reconnecting.value = false;
      return;
    }
    reconnecting.value = true;
    // The client retries every other kind of drop by itself; after a server-side disconnect
    // it would stay down, and a TV on the wall has nobody to press reload.
    if (reason === 'io server disconnect') {
      // Another user of the namespace may have reconnected it already.
      kickTimer = setTimeout(() => {
        if (!socket.active) socket.connect();
      }, RECONNECT_AFTER_KICK_MS);
    }
  });

  listen('connect_error', (error: Error) => {
    lastError.value = error.message;
    // `active` is false when the namespace middleware refused us (e.g. no staff session):
    // retrying will not help until the user signs in again.
    reconnecting.value = socket.active;
  });

  /** A value that several events update; they share one held version. */
  function value<T>(reducers: Reducers<M, T>): LiveValue<T> {
    const current = shallowRef<T | null>(null);
    let held: number | null = null;
    for (const event of Object.keys(reducers)) {
      // Each reducer is typed against its own event at the call site; here they are all alike.
      const reduce = reducers[event as keyof M] as ((payload: unknown, current: T | null) => T | null) | undefined;
      if (!reduce) continue;
      listen(event, (payload: { version: number }) => {
        if (!shouldApply(held, payload.version)) return;
        const next = reduce(payload, current.value);
        if (next === null) return;
        held = payload.version;
        current.value = next;
      });
    }
    return {
      value: computed(() => current.value),
      seed: (initial, version) => {
        if (version === undefined ? held !== null : !shouldApply(held, version)) return;
        if (version !== undefined) held = version;
        current.value = initial;
      },
      amend: (change) => {
        if (current.value !== null) current.value = change(current.value);
      },
    };
  }

  function close(): void {
    clearTimeout(kickTimer);
    for (const off of unlisten) off();
    leaveNamespace(namespace, socket);
    connected.value = false;
    reconnecting.value = false;
  }

  if (getCurrentScope()) onScopeDispose(close);

  // Read-only views: only socket events may change connection state.
  return {
    connected: computed(() => connected.value),
    reconnecting: computed(() => reconnecting.value),
    lastError: computed(() => lastError.value),
    value,
  };
}

export type SocketHandle = ReturnType<typeof useSocket>;
