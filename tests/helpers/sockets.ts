import { io, type Socket } from 'socket.io-client';
import { ADMIN, type TestService } from './testService';
import type { BoardGame, StaffGame } from '../../server/board/board';

export interface Snapshot<G> {
  version: number;
  games: G[];
}

export interface Received {
  event: string;
  payload: unknown;
  at: number;
}

/**
 * A socket.io-client connection that records every event it receives, so a test can wait for
 * "the first snapshot that contains X" whether it arrived before or after the wait began.
 */
export class Client {
  readonly received: Received[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload, at: Date.now() });
      for (const wake of this.waiters) wake();
    });
  }

  /** Payloads of one event, oldest first. */
  all<T>(event: string): T[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as T);
  }

  /** The first `event` (from index `from` of everything received) that satisfies `match`. */
  async waitFor<T>(event: string, match: (payload: T) => boolean = () => true, timeoutMs = 5000, from = 0): Promise<T> {
    const find = () => this.received.slice(from).find((r) => r.event === event && match(r.payload as T))?.payload as T | undefined;
    const found = find();
    if (found !== undefined) return found;
    return new Promise<T>((resolve, reject) => {
      const wake = () => {
        const hit = find();
        if (hit === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        const seen = this.received.map((r) => r.event).join(', ') || 'nothing';
        reject(new Error(`no matching "${event}" within ${timeoutMs} ms (received: ${seen})`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** Resolves on the next `connect` (also a reconnect). */
  connected(timeoutMs = 5000): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return onceWithin(this.socket, 'connect', timeoutMs);
  }

  close(): void {
    this.socket.disconnect();
  }
}

function onceWithin(socket: Socket, event: 'connect' | 'connect_error', timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const open = new Set<Client>();

/** A websocket client on `namespace`; reconnects quickly, so restart tests stay short. */
export function connect(
  url: string,
  namespace: string,
  options: { cookie?: string; headers?: Record<string, string>; autoConnect?: boolean; transports?: Array<'websocket' | 'polling'> } = {},
): Client {
  const socket = io(`${url}${namespace}`, {
    path: '/socket.io',
    transports: options.transports ?? ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    extraHeaders: { ...options.headers, ...(options.cookie ? { cookie: options.cookie } : {}) },
    autoConnect: options.autoConnect ?? true,
  });
  const client = new Client(socket);
  open.add(client);
  return client;
}

/** For afterEach/afterAll: no test leaves a socket open. */
export function closeAllClients(): void {
  for (const client of open) client.close();
  open.clear();
}

/** Codes shown in a snapshot, called and waiting. */
export function codesIn(snapshot: Snapshot<BoardGame | StaffGame>): Set<string> {
  return new Set(snapshot.games.flatMap((g) => [...g.calling, ...g.waiting].map((e) => e.code)));
}

/** The session cookie of a staff sign-in, for a socket's handshake. */
export async function staffCookie(service: TestService): Promise<string> {
  const res = await service.anon.post('/api/auth/login').send(ADMIN);
  if (res.status !== 200) throw new Error(`sign-in: ${res.status}`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = cookies.find((c) => c.startsWith('meeple.sid='));
  if (!session) throw new Error('no session cookie');
  return session.split(';')[0]!;
}
