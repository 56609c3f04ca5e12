import { afterEach, describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import StaffPage from './StaffPage.vue';
import { useToasts } from '../stores/toasts';
import { apiError, fakeApi, type Reply } from '../testing/fakeApi';
import { socketOn } from '../testing/fakeSocket';
import { reservation, staffGame } from '../testing/fixtures';
import type { StaffGame } from '../api';
import { setDefaultLocale } from '../i18n';
import de from '../i18n/de';

const ADMIN = { id: 1, username: 'admin', role: 'admin' };
const STATS = { served: 0, noShows: 0, cancelled: 0, meanWaitMinutes: null, p90WaitMinutes: null, perGame: [] };

/** The staff screen, signed in, with the live queue showing `games`. */
async function openSignedIn(games: StaffGame[], routes: Record<string, Reply> = {}) {
  const api = fakeApi({
    'GET /api/auth/me': { status: 200, body: { user: ADMIN } },
    'GET /api/games': { status: 200, body: [] },
    'GET /api/stats/today': { status: 200, body: STATS },
    ...routes,
  });
  const wrapper = mount(StaffPage, { attachTo: document.body });
  await flushPromises();
  const socket = socketOn('/staff');
  socket.connect();
  socket.receive('snapshot', { version: 1, games });
  await flushPromises();
  return { api, wrapper, socket };
}

type Page = Awaited<ReturnType<typeof openSignedIn>>['wrapper'];

const byTestId = (wrapper: Page, id: string) => wrapper.get(`[data-testid="${id}"]`);
const openDialogs = (wrapper: Page) =>
  wrapper.findAll('dialog').filter((d) => d.attributes('open') !== undefined);
const dialogs = (wrapper: Page) => openDialogs(wrapper).map((d) => d.attributes('data-testid'));
/** The one dialog open now (the games table has a confirmation of its own, closed). */
const openDialog = (wrapper: Page) => {
  const [dialog, ...more] = openDialogs(wrapper);
  if (!dialog || more.length > 0) throw new Error(`expected one open dialog, found ${dialogs(wrapper).join(', ') || 'none'}`);
  return dialog;
};

describe('the staff screen', () => {
  test('signed in, it shows the live queue and says it is live', async () => {
    const { wrapper } = await openSignedIn([staffGame({ waiting: [reservation({ code: 'WAIT', position: 1 })] })]);
    expect(byTestId(wrapper, 'live-indicator').text()).toBe('Live');
    expect(wrapper.find('[data-testid="queue-row-WAIT"]').exists()).toBe(true);
  });

  describe('deleting a reservation: Edit, then Delete…, then a confirmation', () => {
    async function openDelete(routes: Record<string, Reply> = {}) {
      const party = reservation({ code: 'GONE', customerName: 'Tomás García', position: 1 });
      const opened = await openSignedIn([staffGame({ waiting: [party] })], routes);
      await byTestId(opened.wrapper, 'queue-row-GONE').get('[data-testid="row-edit"]').trigger('click');
      expect(dialogs(opened.wrapper)).toEqual(['edit-dialog']);
      await openDialog(opened.wrapper).get('[data-testid="edit-delete"]').trigger('click');
      return { ...opened, party };
    }

    test('the confirmation names the party and says what is lost; backing out sends nothing', async () => {
      const { wrapper, api } = await openDelete();
      expect(dialogs(wrapper)).toEqual(['confirm-dialog']);
      expect(openDialog(wrapper).text()).toContain('Delete GONE Tomás García?');
      expect(openDialog(wrapper).text()).toContain('To keep a record, use Cancel instead.');

      await openDialog(wrapper).get('[data-testid="confirm-cancel"]').trigger('click');
      expect(dialogs(wrapper)).toEqual([]);
      expect(api.sent.filter((r) => r.route.startsWith('DELETE'))).toEqual([]);
    });

    test('confirmed, it sends DELETE and says so', async () => {
      const { wrapper, api, party } = await openDelete();
      api.on(`DELETE /api/reservations/${party.id}`, { status: 204 });
      await openDialog(wrapper).get('[data-testid="confirm-ok"]').trigger('click');
      await flushPromises();

      expect(api.sent.filter((r) => r.route.startsWith('DELETE')).map((r) => r.route)).toEqual([`DELETE /api/reservations/${party.id}`]);
      expect(dialogs(wrapper)).toEqual([]);
      expect(useToasts().toasts.map((t) => t.message)).toEqual(['Deleted GONE Tomás García.']);
    });

    test('refused, it says why', async () => {
      const { wrapper, api, party } = await openDelete();
      api.on(`DELETE /api/reservations/${party.id}`, apiError(404, 'not_found', 'Reservation not found.'));
      await openDialog(wrapper).get('[data-testid="confirm-ok"]').trigger('click');
      await flushPromises();
      expect(useToasts().toasts.map((t) => `${t.kind}: ${t.message}`)).toEqual(['error: Delete GONE: Reservation not found.']);
    });
  });

  describe('a refusal, in the language the screen speaks', () => {
    afterEach(() => setDefaultLocale('en'));
    const NO_COPY = apiError(409, 'no_free_copy', 'No free copy of "Catan": all 2 in use', [], { title: 'Catan', copies: 2 });

    async function callNextRefused() {
      const opened = await openSignedIn([staffGame({ copies: 2, copiesInUse: 1, waiting: [reservation({ code: 'NEXT', position: 1 })] })]);
      opened.api.on('POST /api/games/1/call-next', NO_COPY);
      await byTestId(opened.wrapper, 'call-next').trigger('click');
      await flushPromises();
      return useToasts().toasts.map((t) => `${t.kind}: ${t.message}`);
    }

    test('German staff read call-next with no free copy in German, naming the game, not the general sentence', async () => {
      await setDefaultLocale('de');
      const toasts = await callNextRefused();
      expect(toasts).toEqual(['error: Nächste aufrufen für Catan: Alle Exemplare von „Catan“ sind gerade im Spiel (2 von 2).']);
      expect(toasts.join()).not.toContain(de.errors.conflict);
    });

    test('English staff read the same refusal from the English catalogue', async () => {
      expect(await callNextRefused()).toEqual(['error: Call next for Catan: Every copy of “Catan” is in use (2 of 2).']);
    });
  });

  test('when the connection drops it says so and shows Offline', async () => {
    const { wrapper, socket } = await openSignedIn([]);
    socket.drop();
    await flushPromises();
    expect(byTestId(wrapper, 'live-indicator').text()).toBe('Offline');
    expect(byTestId(wrapper, 'connection-banner').text()).toBe('Live updates paused — reconnecting…');
  });

  test('when the staff socket is refused for good, it asks who is signed in and shows the sign-in form on a 401', async () => {
    const { wrapper, api, socket } = await openSignedIn([]);
    api.on('GET /api/auth/me', apiError(401, 'unauthorized', 'Please sign in.'));
    socket.refuse('unauthorized');
    await flushPromises();

    expect(api.sent.filter((r) => r.route === 'GET /api/auth/me')).toHaveLength(2);
    expect(wrapper.find('[data-testid="live-indicator"]').exists()).toBe(false);
    expect(wrapper.find('input[type="password"]').exists()).toBe(true);
  });
});
