import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import WalkInPanel from './WalkInPanel.vue';
import QueueList from './QueueList.vue';
import { fakeApi } from '../testing/fakeApi';
import { NOW, reservation, staffGame } from '../testing/fixtures';

const games = [
  staffGame({ id: 1, title: 'Catan', copies: 2, copiesInUse: 2, waiting: [reservation({ position: 1 })], quotedWaitMinutes: 45 }),
  staffGame({ id: 2, title: 'Azul', copies: 1, copiesInUse: 0, quotedWaitMinutes: 0 }),
  staffGame({ id: 3, title: 'Broken Box', copies: 0, quotedWaitMinutes: null }),
];

describe('one "Add walk-in" for the floor', () => {
  test('the picker lists every game A to Z with who waits and the quoted wait; no form until a game is chosen', () => {
    const wrapper = mount(WalkInPanel, { props: { games } });
    expect(wrapper.findAll('option').map((o) => o.text())).toEqual([
      'Choose a game…',
      'Azul — 0 waiting, any minute now',
      'Broken Box — 0 waiting, no copy to lend',
      'Catan — 1 waiting, about 45 min',
    ]);
    expect(wrapper.find('[data-testid="walkin-form"]').exists()).toBe(false);
  });

  test('a chosen game shows its quote, and the walk-in joins that game', async () => {
    const api = fakeApi({ 'POST /api/games/1/reservations': { status: 201, body: { ...reservation({ code: 'NEW1', position: 2 }), secret: 's' } } });
    const wrapper = mount(WalkInPanel, { props: { games } });
    await wrapper.get('[data-testid="walkin-game"]').setValue('1');
    expect(wrapper.get('[data-testid="walkin-quote"]').text()).toBe('Quote: about 45 min (1 waiting, 2 of 2 copies in use)');
    await wrapper.get('[data-testid="walkin-name"]').setValue('Noor Khan');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.sent.map((r) => r.route)).toEqual(['POST /api/games/1/reservations']);
  });
});

describe('the queue cards of 40 games', () => {
  test('busiest first; a game with nobody starts folded; search narrows; collapse all folds every card', async () => {
    const wrapper = mount(QueueList, { props: { games, now: NOW } });
    const titles = () => wrapper.findAll('h3').map((h) => h.text());
    const tables = () => wrapper.findAll('table').length;
    expect(titles()).toEqual(['Catan', 'Azul', 'Broken Box']);
    expect(tables()).toBe(1);
    await wrapper.get('[data-testid="queue-search"]').setValue('az');
    expect(titles()).toEqual(['Azul']);
    expect(wrapper.get('[data-testid="queue-count"]').text()).toBe('1 of 3 games');
    await wrapper.get('[data-testid="queue-search"]').setValue('');
    await wrapper.get('[data-testid="expand-all"]').trigger('click');
    expect(tables()).toBe(3);
    await wrapper.get('[data-testid="collapse-all"]').trigger('click');
    expect(tables()).toBe(0);
    await wrapper.findAll('[data-testid="collapse"]')[0]!.trigger('click');
    expect(tables()).toBe(1);
  });

  test('why Call next is off is written out under the button', () => {
    const wrapper = mount(QueueList, { props: { games, now: NOW } });
    expect(wrapper.findAll('[data-testid="call-next-blocker"]').map((p) => p.text())).toEqual(['All copies are in use', 'Nobody is waiting', 'Nobody is waiting']);
  });
});
