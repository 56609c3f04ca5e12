// The HTTP calls most tests make: a game, a party in its queue, a staff action, a read back.
import type { TestService } from './testService';

/** Shapes of the API's answers, as far as these tests read them. */
export interface ReservationBody {
  id: number;
  gameId: number;
  code: string;
  customerName: string;
  status: string;
  position: number | null;
  estimatedWaitMinutes: number | null;
  enqueuedAt: string;
  calledAt: string | null;
  holdExpiresAt: string | null;
  seatedAt: string | null;
  wrappingUpAt: string | null;
  finishedAt: string | null;
  secret?: string;
}

let titles = 0;

/** A game through the API; a unique title so tests in one file never collide. */
export async function createGame(service: TestService, fields: Record<string, unknown> = {}): Promise<{ id: number; title: string }> {
  titles += 1;
  const res = await service.staff
    .post('/api/games')
    .send({ title: `Game ${titles} ${Math.random().toString(36).slice(2, 8)}`, playMinutes: 30, copies: 1, ...fields });
  if (res.status !== 201) throw new Error(`create game: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; title: string };
}

/** A party of two joins the queue of `gameId` as a customer would (no staff session). */
export async function join(service: TestService, gameId: number, customerName = 'Alex Rivera', tableNumber: number | null = null): Promise<ReservationBody> {
  const res = await service.anon.post(`/api/games/${gameId}/reservations`).send({ customerName, partySize: 2, tableNumber });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ReservationBody;
}

export async function act(service: TestService, id: number, path: string) {
  return service.staff.post(`/api/reservations/${id}/${path}`).send({});
}

export async function getReservation(service: TestService, id: number): Promise<ReservationBody> {
  const res = await service.staff.get(`/api/reservations/${id}`);
  if (res.status !== 200) throw new Error(`get reservation ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ReservationBody;
}

export async function listReservations(service: TestService, query: Record<string, string | number>): Promise<ReservationBody[]> {
  const res = await service.staff.get('/api/reservations').query(query);
  if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ReservationBody[];
}

/** The queue order from docs/SPEC.md#queue-rules for parties nobody moved: (enqueuedAt, id), as queueAt equals enqueuedAt. */
export function byQueueOrder(a: Pick<ReservationBody, 'enqueuedAt' | 'id'>, b: Pick<ReservationBody, 'enqueuedAt' | 'id'>): number {
  return Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt) || a.id - b.id;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
