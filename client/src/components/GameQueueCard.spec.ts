import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import GameQueueCard from './GameQueueCard.vue';
import { useToasts } from '../stores/toasts';
import { apiError, deferred, fakeApi } from '../testing/fakeApi';
import { NOW, reservation, staffGame } from '../testing/fixtures';
import type { StaffGame } from '../api';

function mountCard(game: StaffGame) {
  return mount(GameQueueCard, { props: { game, now: NOW } });
}

const callNext = (wrapper: ReturnType<typeof mountCard>) => wrapper.get('[data-testid="call-next"]');
const toastLines = () => useToasts().toasts.map((t) => `${t.kind}: ${t.message}`);

describe('a game card on the staff screen', () => {
  describe('"Call next" says why it cannot be used', () => {
    test.each([
      ['nobody is waiting', staffGame({ copies: 2, copiesInUse: 0 }), 'Nobody is waiting'],
      ['every copy is out', staffGame({ copies: 2, copiesInUse: 2, waiting: [reservation({ position: 1 })] }), 'All copies are in use'],
      ['the game has no copies', staffGame({ copies: 0, copiesInUse: 0, waiting: [reservation({ position: 1 })] }), 'No copies to lend'],
    ])('when %s', (_, game, reason) => {
      const wrapper = mountCard(game);
      expect(callNext(wrapper).attributes('disabled')).toBe('');
      expect(callNext(wrapper).attributes('title')).toBe(reason);
      const describedBy = callNext(wrapper).attributes('aria-describedby');
      expect(wrapper.get(`#${describedBy}`).text()).toBe(reason);
    });

    test('and is enabled, with no reason, when a copy is free and someone waits', () => {
      const wrapper = mountCard(staffGame({ copies: 2, copiesInUse: 1, waiting: [reservation({ position: 1 })] }));
      expect(callNext(wrapper).attributes('disabled')).toBeUndefined();
      expect(callNext(wrapper).attributes('title')).toBeUndefined();
      expect(callNext(wrapper).attributes('aria-describedby')).toBeUndefined();
    });
  });

  test('the header counts copies in use, waiting and called parties', () => {
    const wrapper = mountCard(staffGame({
      copies: 3,
      copiesInUse: 2,
      waiting: [reservation({ position: 1 }), reservation({ position: 2 })],
      calling: [reservation({ status: 'called' })],
      seated: [reservation({ status: 'seated' })],
    }));
    expect(wrapper.get('.meta').text().replace(/\s+/g, ' ')).toBe('2 of 3 copies in use · 2 waiting · 1 called');
  });

  test('"Call next" calls the head of the line and says who, once; a second tap waits for the first', async () => {
    const head = reservation({ code: 'HEAD', customerName: 'Mei Chen', position: 1 });
    const answer = deferred();
    const api = fakeApi({ 'POST /api/games/1/call-next': answer.answer });
    const wrapper = mountCard(staffGame({ waiting: [head] }));

    await callNext(wrapper).trigger('click');
    expect(callNext(wrapper).attributes('disabled')).toBe('');
    answer.release({ status: 200, body: { ...head, status: 'called', position: null } });
    await flushPromises();

    // With the copies in use the card showed, so a lost race is worded as one.
    expect(api.sent).toEqual([{ route: 'POST /api/games/1/call-next', body: { seenInUse: 0 } }]);
    expect(toastLines()).toEqual(['info: Called HEAD Mei Chen for Catan.']);
  });

  test("a refused call-next shows the server's reason", async () => {
    fakeApi({ 'POST /api/games/1/call-next': apiError(409, 'conflict', 'All copies of Catan are in use.') });
    const wrapper = mountCard(staffGame({ waiting: [reservation({ position: 1 })] }));
    await callNext(wrapper).trigger('click');
    await flushPromises();
    expect(toastLines()).toEqual(['error: Call next for Catan: All copies of Catan are in use.']);
  });

  describe('the auto-advance switch', () => {
    test('sends the new setting', async () => {
      const api = fakeApi({ 'PATCH /api/games/1': { status: 200, body: { id: 1, title: 'Catan', autoAdvance: true } } });
      const wrapper = mountCard(staffGame({ autoAdvance: false }));
      await wrapper.get('[data-testid="auto-advance"]').setValue(true);
      await flushPromises();
      expect(api.sent).toEqual([{ route: 'PATCH /api/games/1', body: { autoAdvance: true } }]);
      expect(toastLines()).toEqual([]);
    });

    test("when refused, goes back to the server's value and says why", async () => {
      fakeApi({ 'PATCH /api/games/1': apiError(503, 'unavailable', 'The service is temporarily unavailable.') });
      const wrapper = mountCard(staffGame({ autoAdvance: false }));
      const box = wrapper.get<HTMLInputElement>('[data-testid="auto-advance"]');
      await box.setValue(true);
      await flushPromises();
      expect(box.element.checked).toBe(false);
      expect(toastLines()).toEqual(['error: Auto-advance for Catan: The service is temporarily unavailable.']);
    });
  });
});
