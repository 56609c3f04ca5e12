import { defineStore } from 'pinia';
import { i18n } from '../i18n';
import { computed, effectScope, ref, shallowRef, watch, type EffectScope } from 'vue';
import {
  api,
  ApiError,
  errorMessage,
  type Game,
  type GameInput,
  type Reservation,
  type ReservationPatch,
  type ReservationInput,
  type StaffGame,
  type StaffServerEvents,
  type Stats,
  type Transition,
} from '../api';
import { useSocket, type LiveValue, type SocketHandle } from '../composables/useSocket';
import { useAuth } from './auth';

interface Feed {
  scope: EffectScope;
  socket: SocketHandle;
  games: LiveValue<readonly StaffGame[]>;
  stats: LiveValue<Stats>;
}

const CATALOG_REFRESH_DELAY_MS = 300;
/** An ended ticket still resolves for a day: as long as it can be brought back. */
const ENDED_WINDOW_MINUTES = 24 * 60;

export const useStaffStore = defineStore('staff', () => {
  const auth = useAuth();
  const feed = shallowRef<Feed | null>(null);
  /** Full game records (players, minutes, active) for the games table; the socket sends a subset. */
  const catalog = ref<Game[]>([]);
  const catalogError = ref<string | null>(null);
  const statsError = ref<string | null>(null);
  /** Keys of requests in flight, so a double tap cannot send the same action twice. */
  const pending = ref(new Set<string>());

  const games = computed<readonly StaffGame[]>(() => feed.value?.games.value.value ?? []);
  const ready = computed(() => (feed.value?.games.value.value ?? null) !== null);
  const stats = computed<Stats | null>(() => feed.value?.stats.value.value ?? null);
  const connected = computed(() => feed.value?.socket.connected.value ?? false);
  const reconnecting = computed(() => feed.value?.socket.reconnecting.value ?? false);
  const socketError = computed(() => feed.value?.socket.lastError.value ?? null);

  /** Runs a staff request; a 401 means the session ended, which sends the screen back to login. */
  async function guarded<T>(key: string, run: () => Promise<T>): Promise<T> {
    if (pending.value.has(key)) throw new ApiError(0, 'busy', i18n.global.t('errors.busy'));
    pending.value = new Set(pending.value).add(key);
    try {
      return await run();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) auth.sessionLost();
      throw err;
    } finally {
      const next = new Set(pending.value);
      next.delete(key);
      pending.value = next;
    }
  }

  const isPending = (key: string) => pending.value.has(key);

  // Only the newest answer counts when refreshes overlap.
  let catalogRequest = 0;
  async function refreshCatalog() {
    const request = ++catalogRequest;
    try {
      const list = await api.games.list();
      if (request !== catalogRequest) return;
      catalog.value = list;
      catalogError.value = null;
    } catch (err) {
      if (request === catalogRequest) catalogError.value = errorMessage(err);
    }
  }

  /** HTTP fills today's numbers until (and after any gap in) the `stats` events. */
  async function refreshStats() {
    const current = feed.value;
    if (!current) return;
    try {
      current.stats.seed(await api.stats.today());
      statsError.value = null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) auth.sessionLost();
      statsError.value = errorMessage(err);
    }
  }

  let catalogTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleCatalogRefresh() {
    clearTimeout(catalogTimer);
    catalogTimer = setTimeout(() => void refreshCatalog(), CATALOG_REFRESH_DELAY_MS);
  }

  function start() {
    if (feed.value) return;
    const scope = effectScope(true);
    const next = scope.run(() => {
      const socket = useSocket<StaffServerEvents>('/staff');
      const liveGames = socket.value<readonly StaffGame[]>({ snapshot: (payload) => payload.games });
      const liveStats = socket.value<Stats>({ stats: (payload) => payload.stats });
      // A colleague's game edit reaches us in a snapshot; the catalog (players, minutes,
      // active) is only over HTTP, so refetch when what the socket shows has changed.
      watch(
        () => (liveGames.value.value ?? []).map((g) => `${g.id}:${g.title}:${g.copies}:${g.autoAdvance}`).join('|'),
        scheduleCatalogRefresh,
      );
      watch(socket.connected, (isUp) => {
        if (isUp) void refreshStats();
      });
      return { scope, socket, games: liveGames, stats: liveStats };
    });
    if (!next) return;
    feed.value = next;
    void refreshCatalog();
  }

  function stop() {
    clearTimeout(catalogTimer);
    feed.value?.scope.stop();
    feed.value = null;
  }

  // Queue actions. The socket brings the new state to every tablet, this one included.

  const transition = (reservation: Pick<Reservation, 'id'>, action: Transition) =>
    guarded(`reservation:${reservation.id}`, () =>
      action === 'extend-hold' ? api.reservations.extendHold(reservation.id) : api.reservations.transition(reservation.id, action),
    );

  /** A game's parties that ended in the last day (finished, no-show, cancelled), latest first: the ones staff may still bring back. */
  async function listEnded(gameId: number): Promise<Reservation[]> {
    const lists = await guarded(`ended:${gameId}`, () =>
      Promise.all(
        (['finished', 'no_show', 'cancelled'] as const).map((status) => api.reservations.list({ gameId, status, endedWithinMinutes: ENDED_WINDOW_MINUTES })),
      ),
    );
    return lists.flat().sort((a, b) => Date.parse(b.finishedAt ?? b.enqueuedAt) - Date.parse(a.finishedAt ?? a.enqueuedAt));
  }

  const callNext = (gameId: number, seenInUse?: number) => guarded(`call-next:${gameId}`, () => api.games.callNext(gameId, seenInUse));

  const addWalkIn = (gameId: number, input: ReservationInput) =>
    guarded(`walk-in:${gameId}`, () => api.reservations.create(gameId, input));

  const editReservation = (id: number, patch: ReservationPatch) =>
    guarded(`reservation:${id}`, () => api.reservations.update(id, patch));

  const deleteReservation = (id: number) => guarded(`reservation:${id}`, () => api.reservations.remove(id));

  // Game actions.

  async function createGame(input: GameInput) {
    // The switches go with the create, so no party can be auto-called in between.
    const game = await guarded('game:new', () => api.games.create(input));
    await refreshCatalog();
    return game;
  }

  async function updateGame(id: number, patch: Partial<GameInput>) {
    const game = await guarded(`game:${id}`, () => api.games.update(id, patch));
    catalog.value = catalog.value.map((g) => (g.id === id ? game : g));
    return game;
  }

  async function deleteGame(id: number) {
    await guarded(`game:${id}`, () => api.games.remove(id));
    catalog.value = catalog.value.filter((g) => g.id !== id);
    feed.value?.games.amend((games) => games.filter((g) => g.id !== id));
  }

  return {
    games,
    ready,
    stats,
    catalog,
    catalogError,
    statsError,
    connected,
    reconnecting,
    socketError,
    isPending,
    start,
    stop,
    refreshCatalog,
    refreshStats,
    transition,
    listEnded,
    callNext,
    addWalkIn,
    editReservation,
    deleteReservation,
    createGame,
    updateGame,
    deleteGame,
  };
});
