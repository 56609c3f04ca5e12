import { defineStore } from 'pinia';
import { computed, effectScope, ref, shallowRef, watch, type EffectScope } from 'vue';
import { api, ApiError, errorMessage, type Ticket, type TicketServerEvents } from '../api';
import { useSocket, type LiveValue, type SocketHandle } from '../composables/useSocket';
import { forgetSecret, loadSecret } from '../lib/secrets';
import { loadTicket, saveTicket } from '../lib/lastTicket';

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
  /** The server could not be reached: the ticket shown is the one saved when last seen (at this time). */
  const offlineSince = ref<string | null>(null);

  const ticket = computed<Ticket | null>(() => {
    const current = feed.value?.ticket.value.value ?? null;
    if (current && left.value && (current.status === 'waiting' || current.status === 'called')) {
      return { ...current, status: 'cancelled', position: null, estimatedWaitMinutes: null, estimatedWait: null };
    }
    return current;
  });
  watch(ticket, (current) => {
    if (current && !offlineSince.value) saveTicket(current);
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
      offlineSince.value = null;
    } catch (err) {
      // A mistyped code ("A1") is refused as malformed (400): to the customer it is not found either.
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
        notFound.value = true;
        return;
      }
      const saved = err instanceof ApiError ? null : loadTicket(current.code);
      if (saved) {
        // No answer at all (offline): the last known state, said to be so. A live update replaces it.
        offlineSince.value = saved.savedAt;
        current.ticket.seed(saved.ticket);
      } else loadError.value = errorMessage(err);
    }
  }

  function start(code: string) {
    if (feed.value?.code === code) return;
    stop();
    notFound.value = false;
    removed.value = false;
    loadError.value = null;
    left.value = false;
    offlineSince.value = null;
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

  // Back online: the live feed replaces the saved state.
  watch(connected, (now) => {
    if (now) offlineSince.value = null;
  });

  return { ticket, notFound, removed, loadError, secret, connected, reconnecting, offlineSince, start, stop, leave, load };
});
