import { defineStore } from 'pinia';
import { computed, effectScope, ref, shallowRef, type EffectScope } from 'vue';
import { api, errorMessage, type BoardGame, type BoardServerEvents, type Entry } from '../api';
import { useSocket, type LiveValue, type SocketHandle } from '../composables/useSocket';

interface Feed {
  scope: EffectScope;
  socket: SocketHandle;
  games: LiveValue<readonly BoardGame[]>;
}

export interface CallingEntry extends Entry {
  gameId: number;
  gameTitle: string;
}

export const useBoardStore = defineStore('board', () => {
  const feed = shallowRef<Feed | null>(null);
  const loadError = ref<string | null>(null);

  const games = computed<readonly BoardGame[]>(() => feed.value?.games.value.value ?? []);
  const ready = computed(() => (feed.value?.games.value.value ?? null) !== null);
  const connected = computed(() => feed.value?.socket.connected.value ?? false);
  const reconnecting = computed(() => feed.value?.socket.reconnecting.value ?? false);

  /** Everyone being called, oldest hold first, across all games. */
  const calling = computed<CallingEntry[]>(() =>
    games.value
      .flatMap((g) => g.calling.map((e) => ({ ...e, gameId: g.id, gameTitle: g.title })))
      .sort((a, b) => (a.holdExpiresAt ?? '').localeCompare(b.holdExpiresAt ?? '')),
  );

  function start() {
    if (feed.value) return;
    const scope = effectScope(true);
    const next = scope.run(() => {
      const socket = useSocket<BoardServerEvents>('/board');
      return { scope, socket, games: socket.value<readonly BoardGame[]>({ snapshot: (payload) => payload.games }) };
    });
    if (!next) return;
    feed.value = next;
    // The socket's snapshot usually wins the race; this fills the screen if it does not.
    api.board
      .get()
      .then((board) => {
        loadError.value = null;
        next.games.seed(board.games, board.version);
      })
      .catch((err: unknown) => {
        loadError.value = errorMessage(err);
      });
  }

  function stop() {
    feed.value?.scope.stop();
    feed.value = null;
  }

  return { games, ready, connected, reconnecting, calling, loadError, start, stop };
});
