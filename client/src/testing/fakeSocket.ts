// Stands in for socket.io-client in component specs (jest.config.js maps the module here), so
// a spec plays the server: it connects, drops and sends events, and reads what the page sent.
// useSocket is the only caller; this covers the part of the Socket API it uses.

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

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  connect(): this {
    this.connected = true;
    this.receive('connect');
    return this;
  }

  disconnect(): this {
    this.connected = false;
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

export function io(namespace: string): FakeSocket {
  const socket = new FakeSocket(namespace);
  sockets.push(socket);
  return socket;
}
