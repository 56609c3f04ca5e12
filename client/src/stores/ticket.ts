import { defineStore } from 'pinia';
import { computed, effectScope, ref, shallowRef, type EffectScope } from 'vue';
import { api, ApiError, errorMessage, type Ticket, type TicketServerEvents } from '../api';
import { useSocket, type LiveValue, type SocketHandle } from '../composables/useSocket';
import { forgetSecret, loadSecret } from '../lib/secrets';

interface Feed {
  code: string;
  scope: EffectScope;
  socket: SocketHandle;
  ticket: LiveValue<Ticket>;
}

export const useTicketStore = defineStore('ticket', () => {
  const feed = shallowRef<Feed | null>(null);
  const notFound = ref(false);
  /** Staff deleted the reservation while this page watched it. */
  const removed = ref(false);
  const loadError = ref<string | null>(null);
  const secret = ref<string | null>(null);

  /** Set once our own cancel succeeded, so the screen shows it even if the socket is down. */
  const left = ref(false);

  const ticket = computed<Ticket | null>(() => {
    const current = feed.value?.ticket.value.value ?? null;
    if (current && left.value && (current.status === 'waiting' || current.status === 'called')) {
      return { ...current, status: 'cancelled', position: null, estimatedWaitMinutes: null, estimatedWait: null };
    }
    return current;
  });
  const connected = computed(() => feed.value?.socket.connected.value ?? false);
  const reconnecting = computed(() => feed.value?.socket.reconnecting.value ?? false);

  async function load() {
    const current = feed.value;
    if (!current) return;
    try {
      current.ticket.seed(await api.tickets.get(current.code));
      notFound.value = false;
      loadError.value = null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) notFound.value = true;
      else loadError.value = errorMessage(err);
    }
  }

  function start(code: string) {
    if (feed.value?.code === code) return;
    stop();
    notFound.value = false;
    removed.value = false;
    loadError.value = null;
    left.value = false;
    secret.value = loadSecret(code);
    const scope = effectScope(true);
    const next = scope.run(() => {
      const socket = useSocket<TicketServerEvents>('/ticket', {
        // Watching is per connection, so it is repeated after every reconnect.
        onConnect: (emit) => emit('watch', { code }),
        resyncOnReconnect: false,
      });
      const live = socket.value<Ticket>({
        ticket: ({ version: _version, ...body }) => body,
        called: (notice, current) =>
          current && notice.code.toUpperCase() === code.toUpperCase()
            ? { ...current, status: 'called', position: null, estimatedWaitMinutes: null, estimatedWait: null, holdExpiresAt: notice.holdExpiresAt }
            : null,
        // Deleted by staff: nothing left to show but that. The ticket itself stays as it was.
        removed: (notice) => {
          if (notice.code.toUpperCase() === code.toUpperCase()) {
            removed.value = true;
            notFound.value = true;
          }
          return null;
        },
      });
      return { code, scope, socket, ticket: live };
    });
    if (!next) return;
    feed.value = next;
    void load();
  }

  function stop() {
    feed.value?.scope.stop();
    feed.value = null;
  }

  async function leave() {
    const current = feed.value;
    if (!current || !secret.value) return;
    await api.tickets.cancel(current.code, secret.value);
    forgetSecret(current.code);
    secret.value = null;
    left.value = true;
  }

  return { ticket, notFound, removed, loadError, secret, connected, reconnecting, start, stop, leave, load };
});
