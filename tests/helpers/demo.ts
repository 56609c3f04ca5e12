// Realistic café data for the browser test and the README screenshots: several games, parties
// waiting, called and seated, and a few finished sessions so the day's numbers are not zero.
import type { TestService } from '../helpers/testService';

export interface DemoGame {
  title: string;
  minPlayers: number;
  maxPlayers: number;
  playMinutes: number;
  copies: number;
  seated: number;
  called: number;
  waiting: number;
  /** Finished sessions today, for the statistics. */
  finished: number;
}

export const DEMO_GAMES: readonly DemoGame[] = [
  { title: 'Azul', minPlayers: 2, maxPlayers: 4, playMinutes: 40, copies: 2, seated: 2, called: 0, waiting: 3, finished: 4 },
  { title: 'Catan', minPlayers: 3, maxPlayers: 4, playMinutes: 75, copies: 3, seated: 2, called: 1, waiting: 5, finished: 3 },
  { title: 'Codenames', minPlayers: 4, maxPlayers: 8, playMinutes: 20, copies: 1, seated: 0, called: 1, waiting: 2, finished: 6 },
  { title: 'Pandemic', minPlayers: 2, maxPlayers: 4, playMinutes: 45, copies: 1, seated: 1, called: 0, waiting: 4, finished: 2 },
  { title: 'Ticket to Ride', minPlayers: 2, maxPlayers: 5, playMinutes: 60, copies: 2, seated: 1, called: 1, waiting: 3, finished: 3 },
  { title: 'Wingspan', minPlayers: 1, maxPlayers: 5, playMinutes: 70, copies: 2, seated: 1, called: 0, waiting: 0, finished: 1 },
];

const MORE_TITLES = ['7 Wonders', 'Agricola', 'Azul: Summer Pavilion', 'Blokus', 'Brass: Birmingham', 'Carcassonne', 'Cascadia',
  'Century: Spice Road', 'Concordia', 'Dixit', 'Dominion', 'Everdell', 'Exploding Kittens', 'Great Western Trail', 'Hanabi', 'Jaipur',
  'King of Tokyo', 'Kingdomino', 'Love Letter', 'Mysterium', 'Patchwork', 'Quacks of Quedlinburg', 'Root', 'Sagrada', 'Scythe',
  'Splendor', 'Sushi Go Party!', 'Takenoko', 'Terraforming Mars', 'The Crew', 'The Mind', 'Twilight Struggle', 'Viticulture', 'Wavelength'];

/** A big café: the six demo games and 34 more, a few busy, most quiet (the staff screen with 40 games). */
export const DEMO_GAMES_40: readonly DemoGame[] = [
  ...DEMO_GAMES,
  ...MORE_TITLES.map((title, i) => ({
    title,
    minPlayers: 2,
    maxPlayers: 5,
    playMinutes: 30 + ((i * 13) % 60),
    copies: 2 + (i % 2),
    seated: i % 4 === 0 ? 1 : 0,
    called: i % 9 === 0 ? 1 : 0,
    waiting: i % 5 === 0 ? 1 + (i % 4) : 0,
    finished: i % 6 === 0 ? 1 : 0,
  })),
];

const FIRST = ['Alex', 'Priya', 'Sam', 'Jordan', 'Mei', 'Tomás', 'Fatima', 'Liam', 'Noor', 'Grace', 'Ravi', 'Chloé',
  'Ben', 'Aisha', 'Oskar', 'Yuki', 'Dan', 'Elena', 'Kofi', 'Hannah', 'Marco', 'Zoë', 'Ibrahim', 'Sofia', 'Theo',
  'Leila', 'Finn', 'Anya', 'Jonas', 'Maya', 'Luca', 'Isla', 'Omar', 'Freya', 'Hugo', 'Nadia', 'Kai', 'Ruth'];
const LAST = ['Rivera', 'Shah', 'Okafor', 'Lee', 'Chen', 'García', 'Haddad', 'Murphy', 'Khan', 'Park', 'Iyer',
  'Dubois', 'Walsh', 'Bello', 'Lind', 'Sato', 'Novak', 'Petrova', 'Mensah', 'Schmidt', 'Rossi', 'Evans', 'Aziz'];

/** Deterministic, varied names: screenshots come out the same on every run. */
export function demoName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
}

const MINUTE = 60_000;

async function ok<T>(what: string, res: Promise<{ status: number; body: T }>, expected = [200, 201, 204]): Promise<T> {
  const r = await res;
  if (!expected.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface SeededGame {
  id: number;
  title: string;
  waitingCodes: string[];
}

/**
 * Creates the games and their parties through the real HTTP API, then moves timestamps back
 * so "waited", estimates, hold clocks and today's mean wait look like an evening in progress
 * rather than the last two seconds. Auto-advance is off while seeding (so who is called is
 * decided here) and switched on at the end.
 */
export async function seedDemo(service: TestService, games: readonly DemoGame[] = DEMO_GAMES): Promise<SeededGame[]> {
  const { staff, ctx } = service;
  const knex = ctx.knex;
  const now = Date.now();
  const parties = (g: DemoGame) => g.finished + g.seated + g.called + g.waiting;
  const firstName = games.map((_, i) => games.slice(0, i).reduce((n, g) => n + parties(g), 0));

  // Games are independent: seeded side by side, each in its own order.
  return Promise.all(games.map(async (spec, gameIndex): Promise<SeededGame> => {
    let nameIndex = firstName[gameIndex]!;
    const game = await ok<{ id: number }>(`create ${spec.title}`, staff.post('/api/games').send({
      title: spec.title, minPlayers: spec.minPlayers, maxPlayers: spec.maxPlayers,
      playMinutes: spec.playMinutes, copies: spec.copies, autoAdvance: false,
    }));
    const join = async () => {
      const partySize = Math.min(spec.maxPlayers, Math.max(spec.minPlayers, 2 + (nameIndex % 3)));
      const tableNumber = nameIndex % 4 === 0 ? null : 1 + ((nameIndex * 5) % 24);
      const customerName = demoName(nameIndex++);
      return ok<{ id: number; code: string }>('join', staff.post(`/api/games/${game.id}/reservations`).send({ customerName, partySize, tableNumber }));
    };
    const act = (id: number, action: string) => ok(`${action} ${id}`, staff.post(`/api/reservations/${id}/${action}`));

    // Finished sessions: one copy at a time, so each ends before the next is called.
    const finished: number[] = [];
    for (let i = 0; i < spec.finished; i++) {
      const r = await join();
      await act(r.id, 'call');
      await act(r.id, 'seat');
      await act(r.id, 'finish');
      finished.push(r.id);
    }
    const seated: number[] = [];
    for (let i = 0; i < spec.seated; i++) {
      const r = await join();
      await act(r.id, 'call');
      await act(r.id, 'seat');
      seated.push(r.id);
    }
    const called: number[] = [];
    for (let i = 0; i < spec.called; i++) {
      const r = await join();
      await act(r.id, 'call');
      called.push(r.id);
    }
    const waiting: Array<{ id: number; code: string }> = [];
    for (let i = 0; i < spec.waiting; i++) waiting.push(await join());

    // An evening in progress. Sessions ran about as long as the box says (so estimates use
    // them), waits were 5-30 minutes, and later arrivals joined later: FIFO order is kept.
    const at = (msAgo: number) => new Date(now - msAgo);
    for (const [i, id] of finished.entries()) {
      const end = (3 + i * 50) * MINUTE + spec.playMinutes * MINUTE * 2;
      const play = spec.playMinutes * MINUTE * (0.85 + ((i * 37) % 30) / 100);
      const wait = (5 + ((i * 11 + spec.copies * 7) % 26)) * MINUTE;
      // Quoted at join within a few minutes of the wait they then had, as on a good evening.
      const quoted = Math.max(1, Math.round(wait / MINUTE) - 2 + ((i * 5) % 9) - 4);
      await knex('reservations').where({ id }).update({
        enqueued_at: at(end + play + wait), called_at: at(end + play + 2 * MINUTE), seated_at: at(end + play), finished_at: at(end),
        quoted_wait_minutes: quoted, quoted_wait_low_minutes: quoted, quoted_wait_high_minutes: quoted,
      });
      await knex('reservation_events').where({ reservation_id: id, type: 'called' }).update({ wait_ms: wait });
    }
    for (const [i, id] of seated.entries()) {
      const sat = (12 + i * 23) * MINUTE;
      await knex('reservations').where({ id }).update({ enqueued_at: at(sat + 30 * MINUTE), called_at: at(sat + 3 * MINUTE), seated_at: at(sat) });
    }
    for (const id of called) {
      await knex('reservations').where({ id }).update({ enqueued_at: at(26 * MINUTE), called_at: at(90_000) });
    }
    const step = 20 / Math.max(1, waiting.length);
    for (const [i, r] of waiting.entries()) {
      // The place in the queue moves back with the join time (nobody was moved up or down).
      await knex('reservations').where({ id: r.id }).update({ enqueued_at: at((22 - i * step) * MINUTE), queue_at: at((22 - i * step) * MINUTE) });
    }
    await ok('auto-advance on', staff.patch(`/api/games/${game.id}`).send({ autoAdvance: true }));
    return { id: game.id, title: spec.title, waitingCodes: waiting.map((w) => w.code) };
  }));
}
