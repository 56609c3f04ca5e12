// Stands in for socket.io-client in component specs (jest.config.js maps the module here), so
// a spec plays the server: it connects, drops and sends events, and reads what the page sent.
// useSocket (through composables/pageConnection.ts) is the only caller; this covers the part of
// the Manager and Socket API they use.

type Listener = (...args: never[]) => void;

export class FakeSocket {
  connected = false;
  /** socket.io's `active`: false once the server refused the connection for good. */
  active = true;
  /** What the page emitted, oldest first. */
  readonly sent: Array<{ event: string; args: unknown[] }> = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly namespace: string) {}

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    this.sent.push({ event, args });
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }

  /** How many listeners are on `event` now. */
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  connect(): this {
    this.connected = true;
    this.receive('connect');
    return this;
  }

  disconnect(): this {
    this.connected = false;
    this.active = false;
    return this;
  }

  /** The server (or the network) fires `event` at the page. */
  receive(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  /** The connection drops the way a flaky phone network drops it; the client would retry. */
  drop(): void {
    this.connected = false;
    this.receive('disconnect', 'transport close');
  }

  /** The namespace refuses the connection for good (no session): socket.io stops retrying. */
  refuse(message: string): void {
    this.connected = false;
    this.active = false;
    this.receive('connect_error', new Error(message));
  }
}

/** Every socket a spec's components opened, oldest first. */
export const sockets: FakeSocket[] = [];

/** The latest socket opened on `namespace`. */
export function socketOn(namespace: string): FakeSocket {
  const socket = sockets.filter((s) => s.namespace === namespace).at(-1);
  if (!socket) throw new Error(`no socket was opened on ${namespace}`);
  return socket;
}

/**
 * socket.io's Manager: one Socket per namespace while it is in use. Where the real one would
 * connect a disconnected Socket again, this opens a new one, so each page a spec mounts after
 * the last one closed has a socket of its own to play the server on.
 */
export class Manager {
  private readonly inUse = new Map<string, FakeSocket>();

  socket(namespace: string): FakeSocket {
    const current = this.inUse.get(namespace);
    if (current?.active) return current;
    const socket = new FakeSocket(namespace);
    sockets.push(socket);
    this.inUse.set(namespace, socket);
    return socket;
  }

  /** Drops the connection the way a forced close does; its sockets stay active. */
  _close(): void {
    for (const socket of this.inUse.values()) {
      if (!socket.active || !socket.connected) continue;
      socket.connected = false;
      socket.receive('disconnect', 'forced close');
    }
  }

  /** A new connection: the spec connects each socket itself, as the server would answer. */
  open(): this {
    return this;
  }
}
