import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../../server/app';
import { api, csvDownloadUrl } from '../../client/src/api';
import type * as Client from '../../client/src/api/types';
import type * as Server from '../../server/realtime/contract';
import type { BoardGame, StaffGame } from '../../server/board/board';

// Type-level half of the contract, checked by `tsc -p tsconfig.json`: the Socket.IO payloads
// are not in the OpenAPI document, so the client's copies are held against the server's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Payload<F> = F extends (payload: infer P) => void ? P : never;
type SameEvents<C, S> =
  Same<keyof C, keyof S> extends true
    ? { [K in keyof C & keyof S]: Same<Payload<C[K]>, Payload<S[K]>> }[keyof C & keyof S]
    : false;
function holds<T extends true>(): T | undefined {
  return undefined;
}
holds<Same<Client.StaffGame, StaffGame>>();
holds<Same<Client.BoardGame, BoardGame>>();
holds<SameEvents<Client.BoardServerEvents, Server.BoardServerEvents>>();
holds<SameEvents<Client.StaffServerEvents, Server.StaffServerEvents>>();
holds<SameEvents<Client.TicketServerEvents, Server.TicketServerEvents>>();
holds<SameEvents<Client.CafeServerEvents, Server.CafeServerEvents>>();
// The client may send less than the server accepts, never an event the server does not handle.
holds<keyof Client.ClientEvents extends keyof Server.ClientEvents ? true : false>();
holds<Parameters<Client.ClientEvents['watch']> extends Parameters<Server.ClientEvents['watch']> ? true : false>();

type Document = ReturnType<typeof openApiDocument>;
const document = JSON.parse(JSON.stringify(openApiDocument())) as Document;

interface Sent {
  method: string;
  url: URL;
}

/** Calls `run` against a fake fetch and returns the requests it made. */
async function requestsOf(run: () => Promise<unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const fetchMock = jest.fn(async (input: string, init?: { method?: string }) => {
    sent.push({ method: init?.method ?? 'GET', url: new URL(input, 'http://meeple.test') });
    return { ok: true, status: 200, text: async () => '{}' };
  });
  const realFetch = global.fetch;
  global.fetch = fetchMock as unknown as typeof fetch;
  try {
    await run();
  } finally {
    global.fetch = realFetch;
  }
  return sent;
}

/** The document's path template that a concrete URL path matches, e.g. /api/games/7 → /api/games/{id}. */
function templateFor(path: string): string | undefined {
  const segments = path.split('/');
  return Object.keys(document.paths).find((template) => {
    const parts = template.split('/');
    return parts.length === segments.length && parts.every((part, i) => /^\{\w+\}$/.test(part) || part === segments[i]);
  });
}

const transitionActions = Object.keys(document.paths)
  .map((path) => /^\/api\/reservations\/\{id\}\/([\w-]+)$/.exec(path)?.[1])
  .filter((action): action is Client.Transition => action !== undefined);

/** One call per function of the API module, with arguments that exercise its path and query. */
const calls: Record<string, () => Promise<unknown>> = {
  'auth.me': () => api.auth.me(),
  'auth.login': () => api.auth.login('ana', 'secret'),
  'auth.logout': () => api.auth.logout(),
  'auth.changePassword': () => api.auth.changePassword('old-secret', 'new-secret-1'),
  'users.list': () => api.users.list(),
  'users.resetPassword': () => api.users.resetPassword(4, 'new-secret-1'),
  'games.list': () => api.games.list(),
  'games.get': () => api.games.get(7),
  'games.create': () => api.games.create({ title: 'Azul' }),
  'games.update': () => api.games.update(7, { copies: 2 }),
  'games.remove': () => api.games.remove(7),
  'games.callNext': () => api.games.callNext(7),
  'reservations.create': () => api.reservations.create(7, { customerName: 'Ana' }),
  'reservations.list': () => api.reservations.list({ gameId: 7, status: 'waiting' }),
  'reservations.get': () => api.reservations.get(3),
  'reservations.update': () => api.reservations.update(3, { partySize: 2 }),
  'reservations.remove': () => api.reservations.remove(3),
  'reservations.transition': () =>
    Promise.all(transitionActions.filter((a) => a !== 'extend-hold').map((action) => api.reservations.transition(3, action as Exclude<typeof action, 'extend-hold'>))),
  'reservations.extendHold': () => Promise.all([api.reservations.extendHold(3), api.reservations.extendHold(3, 10)]),
  'tickets.get': () => api.tickets.get('K7 FA'),
  'tickets.cancel': () => api.tickets.cancel('K7FA', 'secret'),
  'tickets.subscribe': () =>
    api.tickets.subscribe('K7FA', 'secret', { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } }),
  'notifications.options': () => api.notifications.options(),
  'notifications.again': () => api.notifications.again(3),
  'board.get': () => api.board.get(),
  'stats.today': () => api.stats.today(),
  'users.create': () => api.users.create('sam', 'secret-secret', 'staff'),
  'users.remove': () => api.users.remove(4),
  'users.setRole': () => api.users.setRole(4, 'admin'),
  'settings.openingHours': () => api.settings.openingHours(),
  'settings.saveOpeningHours': () =>
    api.settings.saveOpeningHours({
      enabled: true,
      closedMessage: 'Closed',
      days: { mon: { open: '17:00', close: '23:00', lastJoin: null }, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null },
    }),
  'settings.queueStatus': () => api.settings.queueStatus(),
  'settings.closeOuts': () => api.settings.closeOuts(),
  'settings.cafe': () => api.settings.cafe(),
  'settings.saveCafe': () => api.settings.saveCafe({ name: 'Dice & Slice', accent: '#2348b5', publicUrl: null, timeZone: 'Europe/Berlin', language: 'de' }),
  'settings.uploadLogo': () => api.settings.uploadLogo('iVBORw0KGgo='),
  'settings.removeLogo': () => api.settings.removeLogo(),
  'cafe.get': () => api.cafe.get(),
  'history.stats': () => api.history.stats({ from: '2026-11-01', to: '2026-11-30' }),
  'history.audit': () => api.history.audit({ from: '2026-11-01', to: '2026-11-30', gameId: 7, actor: 'staff:ana', limit: 50 }),
};

describe('the client API contract', () => {
  it('when a server schema changes, the committed client/src/api/schema.d.ts must be regenerated (npm run api:types)', () => {
    // In a child process: openapi-typescript's dependencies are ES modules, which Jest's CommonJS runtime cannot load.
    const root = join(__dirname, '../..');
    const fresh = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-api-types.ts', '--stdout'], {
      cwd: root,
      encoding: 'utf8',
    });
    const committed = readFileSync(join(root, 'client/src/api/schema.d.ts'), 'utf8');
    expect(committed).toBe(fresh);
  });

  it("when the server's transition table changes, the committed client/src/api/transitions.ts must be regenerated (npm run api:types)", () => {
    const root = join(__dirname, '../..');
    const fresh = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-api-types.ts', '--stdout=transitions'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(readFileSync(join(root, 'client/src/api/transitions.ts'), 'utf8')).toBe(fresh);
  });

  it('the table below calls every function the API module exports', () => {
    const functions = Object.entries(api).flatMap(([group, members]) =>
      Object.keys(members).map((name) => `${group}.${name}`),
    );
    expect(Object.keys(calls).sort()).toEqual(functions.sort());
  });

  it('the CSV download links point at GET operations of the document, with its query parameters', () => {
    for (const what of ['reservations', 'events'] as const) {
      const url = new URL(csvDownloadUrl(what, { from: '2026-11-01', to: '2026-11-30' }), 'http://x');
      const operation = document.paths[url.pathname]?.get;
      expect(operation).toBeDefined();
      const names = (operation?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
      expect([...url.searchParams.keys()].every((k) => names.includes(k))).toBe(true);
    }
  });

  it('the document still offers the reservation transitions the client names', () => {
    expect(transitionActions.sort()).toEqual(
      ['call', 'cancel', 'extend-hold', 'finish', 'move-down', 'move-up', 'no-show', 'reinstate', 'requeue', 'seat', 'uncall', 'unfinish', 'unseat', 'wrapping-up'].sort(),
    );
  });

  it.each(Object.entries(calls))('%s calls an operation the OpenAPI document has', async (_name, run) => {
    const sent = await requestsOf(run);
    expect(sent.length).toBeGreaterThan(0);
    for (const { method, url } of sent) {
      const template = templateFor(url.pathname);
      expect({ method, path: url.pathname, template }).toEqual({ method, path: url.pathname, template: expect.any(String) });
      const operation = document.paths[template as string]?.[method.toLowerCase() as 'get'];
      expect({ endpoint: `${method} ${template}`, documented: operation !== undefined }).toEqual({
        endpoint: `${method} ${template}`,
        documented: true,
      });
      const queryNames = (operation?.parameters ?? [])
        .filter((p) => 'in' in p && p.in === 'query')
        .map((p) => ('name' in p ? p.name : ''));
      for (const key of url.searchParams.keys()) expect(queryNames).toContain(key);
    }
  });
});
