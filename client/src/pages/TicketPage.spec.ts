import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import TicketPage from './TicketPage.vue';
import { loadSecret, saveSecret } from '../lib/secrets';
import { apiError, deferred, fakeApi, type Reply } from '../testing/fakeApi';
import { socketOn } from '../testing/fakeSocket';
import { NOW, secondsFromNow, ticket } from '../testing/fixtures';
import type { Ticket } from '../api';

beforeEach(() => {
  localStorage.clear();
  document.title = '';
  // The page's clock (useNow) and Date.now() run from a fixed evening; promises still settle.
  jest.useFakeTimers({ now: NOW, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

const GET_TICKET = 'GET /api/tickets/K7FA';

/** The page for code `k7fa` (as typed in a URL), after the ticket request has been answered. */
async function openTicket(answer: Reply) {
  const api = fakeApi({ [GET_TICKET]: answer });
  const wrapper = mount(TicketPage, {
    props: { code: 'k7fa' },
    global: { stubs: { RouterLink: RouterLinkStub } },
  });
  await flushPromises();
  return { api, wrapper, socket: socketOn('/ticket') };
}

const showing = (body: Ticket) => ({ status: 200, body });
type Page = Awaited<ReturnType<typeof openTicket>>['wrapper'];

const byTestId = (wrapper: Page, id: string) => wrapper.find(`[data-testid="${id}"]`);

describe('the ticket page', () => {
  test('while the ticket loads it says so', async () => {
    const { wrapper } = await openTicket(deferred().answer);
    expect(wrapper.get('main').text()).toContain('Loading your ticket…');
  });

  test('waiting: place in line, position and estimated wait, and the name on the board', async () => {
    const { wrapper, api } = await openTicket(showing(ticket({ status: 'waiting', position: 3, estimatedWaitMinutes: 25 })));
    expect(api.sent.map((r) => r.route)).toEqual([GET_TICKET]);
    expect(wrapper.get('h1').text()).toBe("You're 3rd in line");
    expect(byTestId(wrapper, 'ticket-status').text()).toBe('Waiting');
    expect(byTestId(wrapper, 'ticket-code').text()).toBe('K7FA');
    expect(byTestId(wrapper, 'ticket-position').text()).toBe('3');
    expect(byTestId(wrapper, 'ticket-wait').text()).toBe('about 25 min');
    expect(wrapper.text()).toContain('Name on the board: Alex R.');
    expect(document.title).toBe('Your ticket · Meeple Queue');
  });

  test('an unsure estimate shows as a range, a sure one as one number', async () => {
    const unsure = await openTicket(showing(ticket({ position: 4, estimatedWaitMinutes: 40, estimatedWait: { minutes: 40, lowMinutes: 30, highMinutes: 55 } })));
    expect(byTestId(unsure.wrapper, 'ticket-wait').text()).toBe('30–55 min');
    unsure.wrapper.unmount();
    const sure = await openTicket(showing(ticket({ position: 2, estimatedWaitMinutes: 12, estimatedWait: { minutes: 12, lowMinutes: 12, highMinutes: 12 } })));
    expect(byTestId(sure.wrapper, 'ticket-wait').text()).toBe('about 12 min');
  });

  test('waiting at the head of the line: "You\'re next"', async () => {
    const { wrapper } = await openTicket(showing(ticket({ position: 1, estimatedWaitMinutes: 0 })));
    expect(wrapper.get('h1').text()).toBe("You're next");
    expect(byTestId(wrapper, 'ticket-wait').text()).toBe('any minute now');
  });

  test('the page asks the /ticket namespace to watch its code, upper-cased', async () => {
    const { socket } = await openTicket(showing(ticket()));
    socket.connect();
    expect(socket.sent).toEqual([{ event: 'watch', args: [{ code: 'K7FA' }] }]);
  });

  test('called: the game is ready, with the code to show and the hold counting down', async () => {
    const { wrapper } = await openTicket(showing(ticket({ status: 'called', position: null, estimatedWaitMinutes: null, holdExpiresAt: secondsFromNow(150) })));
    expect(wrapper.get('h1').text()).toBe('Your game is ready!');
    expect(byTestId(wrapper, 'ticket-called').text()).toContain('show code K7FA');
    expect(byTestId(wrapper, 'ticket-hold').text()).toBe('2:30');

    await jest.advanceTimersByTimeAsync(1000);
    expect(byTestId(wrapper, 'ticket-hold').text()).toBe('2:29');
    await jest.advanceTimersByTimeAsync(149_000);
    expect(byTestId(wrapper, 'ticket-hold').text()).toBe('0:00');
  });

  test('a call that arrives while the page is open turns it into the called state and retitles the tab', async () => {
    const { wrapper, socket } = await openTicket(showing(ticket({ position: 1 })));
    socket.connect();
    socket.receive('called', { version: 5, code: 'K7FA', gameTitle: 'Catan', holdExpiresAt: secondsFromNow(300) });
    await flushPromises();

    expect(byTestId(wrapper, 'ticket-status').text()).toBe('Called');
    expect(byTestId(wrapper, 'ticket-hold').text()).toBe('5:00');
    expect(document.title).toBe('Your game is ready! · Meeple Queue');
  });

  test('live ticket updates move the party up the line', async () => {
    const { wrapper, socket } = await openTicket(showing(ticket({ position: 3 })));
    socket.connect();
    socket.receive('ticket', { version: 7, ...ticket({ position: 1, estimatedWaitMinutes: 4 }) });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe("You're next");
    expect(byTestId(wrapper, 'ticket-wait').text()).toBe('about 4 min');
  });

  test.each([
    ['seated', 'Enjoy your game!', "You're seated. Have fun, Alex R."],
    ['finished', 'Thanks for playing', 'Join a queue again any time.'],
    ['no_show', 'Your hold ran out', 'could not find you in time'],
    ['cancelled', 'You left the queue', 'Your place is released.'],
  ] as const)('%s: "%s", no way to leave, and a link to join another queue', async (status, heading, line) => {
    saveSecret('K7FA', 'the-secret-from-joining');
    const { wrapper } = await openTicket(showing(ticket({ status, position: null, estimatedWaitMinutes: null })));
    expect(wrapper.get('h1').text()).toBe(heading);
    expect(byTestId(wrapper, 'ticket').text()).toContain(line);
    expect(byTestId(wrapper, 'ticket-leave').exists()).toBe(false);
    expect(wrapper.findComponent(RouterLinkStub).props('to')).toBe('/join');
    expect(wrapper.findAllComponents(RouterLinkStub).map((link) => link.text())).toContain('Join another queue');
  });

  test('an unknown code: not found, and a way to join a queue', async () => {
    const { wrapper } = await openTicket(apiError(404, 'not_found', 'No ticket K7FA.'));
    expect(byTestId(wrapper, 'ticket-not-found').get('h1').text()).toBe('Ticket K7FA not found');
    expect(byTestId(wrapper, 'ticket-not-found').text()).toContain('Join a queue');
    expect(byTestId(wrapper, 'ticket').exists()).toBe(false);
  });

  test('a reservation staff delete while the page watches: "was removed"', async () => {
    const { wrapper, socket } = await openTicket(showing(ticket()));
    socket.connect();
    socket.receive('removed', { version: 9, code: 'k7fa' });
    await flushPromises();
    expect(byTestId(wrapper, 'ticket-not-found').get('h1').text()).toBe('Ticket K7FA was removed');
    expect(wrapper.text()).toContain('Staff took this reservation off the queue.');
  });

  test('a failed load says why and offers to try again', async () => {
    const { wrapper, api } = await openTicket(apiError(503, 'unavailable', 'The queue is briefly unavailable.'));
    expect(byTestId(wrapper, 'ticket-error').text()).toBe('Could not load your ticket. The queue is briefly unavailable.');

    api.on(GET_TICKET, showing(ticket({ position: 2 })));
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(api.sent.map((r) => r.route)).toEqual([GET_TICKET, GET_TICKET]);
    expect(wrapper.get('h1').text()).toBe("You're 2nd in line");
  });

  test('opened offline: the ticket as last seen, said to be so', async () => {
    const first = await openTicket(showing(ticket({ position: 2, estimatedWaitMinutes: 10 })));
    expect(first.wrapper.get('h1').text()).toBe("You're 2nd in line");
    first.wrapper.unmount();

    const offline = await openTicket(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(offline.wrapper.get('h1').text()).toBe("You're 2nd in line");
    expect(byTestId(offline.wrapper, 'ticket-offline').text()).toContain("you're offline. This is your ticket as it was at");
    expect(byTestId(offline.wrapper, 'ticket-error').exists()).toBe(false);
  });

  test('offline with nothing saved: the load error, as for any failure', async () => {
    const { wrapper } = await openTicket(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(byTestId(wrapper, 'ticket-error').exists()).toBe(true);
  });

  describe('the connection banner', () => {
    const banner = (wrapper: Page) => byTestId(wrapper, 'connection-banner');

    test('stays away while connected, and says live updates are paused when the connection drops', async () => {
      const { wrapper, socket } = await openTicket(showing(ticket()));
      socket.connect();
      await flushPromises();
      expect(banner(wrapper).exists()).toBe(false);

      socket.drop();
      await flushPromises();
      expect(banner(wrapper).text()).toBe('Live updates paused — reconnecting…');

      socket.connect();
      await flushPromises();
      expect(banner(wrapper).exists()).toBe(false);
    });

    test('is not shown for a ticket that has ended: nothing more will change', async () => {
      const { wrapper, socket } = await openTicket(showing(ticket({ status: 'finished', position: null })));
      socket.connect();
      socket.drop();
      await flushPromises();
      expect(banner(wrapper).exists()).toBe(false);
    });
  });

  describe('leaving the queue', () => {
    const CANCEL = 'POST /api/tickets/K7FA/cancel';

    test('only the phone that joined (it kept the secret) can leave', async () => {
      const { wrapper } = await openTicket(showing(ticket()));
      expect(byTestId(wrapper, 'ticket-leave').exists()).toBe(false);
    });

    test('asks first; "Stay in line" sends nothing', async () => {
      saveSecret('K7FA', 'the-secret-from-joining');
      const { wrapper, api } = await openTicket(showing(ticket()));
      const dialog = byTestId(wrapper, 'confirm-dialog');
      expect(dialog.attributes('open')).toBeUndefined();

      await byTestId(wrapper, 'ticket-leave').trigger('click');
      expect(dialog.attributes('open')).toBe('');
      expect(dialog.text()).toContain('You will lose your place for Catan.');

      await byTestId(wrapper, 'confirm-cancel').trigger('click');
      expect(dialog.attributes('open')).toBeUndefined();
      expect(api.sent.map((r) => r.route)).toEqual([GET_TICKET]);
    });

    test('confirmed: sends the secret, shows "You left the queue" and forgets the secret', async () => {
      saveSecret('K7FA', 'the-secret-from-joining');
      const { wrapper, api } = await openTicket(showing(ticket({ status: 'called', position: null, holdExpiresAt: secondsFromNow(60) })));
      api.on(CANCEL, { status: 200, body: ticket({ status: 'cancelled', position: null }) });

      await byTestId(wrapper, 'ticket-leave').trigger('click');
      await byTestId(wrapper, 'confirm-ok').trigger('click');
      await flushPromises();

      expect(api.sent.at(-1)).toEqual({ route: CANCEL, body: { secret: 'the-secret-from-joining' } });
      expect(wrapper.get('h1').text()).toBe('You left the queue');
      expect(byTestId(wrapper, 'ticket-leave').exists()).toBe(false);
      expect(byTestId(wrapper, 'confirm-dialog').attributes('open')).toBeUndefined();
      expect(loadSecret('K7FA')).toBeNull();
    });

    test('refused: the reason is shown and the party is still in line', async () => {
      saveSecret('K7FA', 'an-old-secret');
      const { wrapper, api } = await openTicket(showing(ticket()));
      api.on(CANCEL, apiError(403, 'forbidden', 'That secret does not match this ticket.'));

      await byTestId(wrapper, 'ticket-leave').trigger('click');
      await byTestId(wrapper, 'confirm-ok').trigger('click');
      await flushPromises();

      expect(byTestId(wrapper, 'ticket-leave-error').text()).toBe('That secret does not match this ticket.');
      expect(wrapper.get('h1').text()).toBe("You're 3rd in line");
      expect(loadSecret('K7FA')).toBe('an-old-secret');
    });
  });
});
