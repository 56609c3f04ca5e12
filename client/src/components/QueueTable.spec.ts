import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import QueueTable from './QueueTable.vue';
import { useToasts } from '../stores/toasts';
import { apiError, deferred, fakeApi } from '../testing/fakeApi';
import { NOW, minutesAgo, reservation, secondsFromNow, staffGame } from '../testing/fixtures';
import type { StaffGame } from '../api';

function mountTable(game: StaffGame) {
  return mount(QueueTable, { props: { game, now: NOW } });
}

const row = (wrapper: ReturnType<typeof mountTable>, code: string) => wrapper.get(`[data-testid="queue-row-${code}"]`);
const buttonLabels = (wrapper: ReturnType<typeof mountTable>, code: string) => row(wrapper, code).findAll('button').map((b) => b.text());

describe('the staff queue table', () => {
  test('called parties come first, then the waiting line in order, then seated ones', () => {
    const game = staffGame({
      waiting: [reservation({ code: 'W001', position: 1 }), reservation({ code: 'W002', position: 2 })],
      calling: [reservation({ code: 'C001', status: 'called', holdExpiresAt: secondsFromNow(90) })],
      seated: [reservation({ code: 'S001', status: 'seated' })],
    });
    const codes = mountTable(game).findAll('tbody tr').map((tr) => tr.attributes('data-status') + ':' + tr.get('.code').text());
    expect(codes).toEqual(['called:C001', 'waiting:W001', 'waiting:W002', 'seated:S001']);
  });

  test('each status offers only the moves the queue allows, and every row can be edited', () => {
    const game = staffGame({
      waiting: [reservation({ code: 'WAIT', position: 1 })],
      calling: [reservation({ code: 'CALL', status: 'called', holdExpiresAt: secondsFromNow(90) })],
      seated: [reservation({ code: 'SEAT', status: 'seated' })],
    });
    const wrapper = mountTable(game);
    expect(buttonLabels(wrapper, 'WAIT')).toEqual(['Call', 'Cancel', 'Edit']);
    expect(buttonLabels(wrapper, 'CALL')).toEqual(['Seat', 'No-show', 'Cancel', 'Edit']);
    expect(buttonLabels(wrapper, 'SEAT')).toEqual(['Finish', 'Edit']);
  });

  test('a row shows position, name, party, table, minutes waited and, when called, the hold left', () => {
    const game = staffGame({
      waiting: [reservation({ code: 'WAIT', position: 1, customerName: 'Priya Shah', partySize: 4, tableNumber: 12, enqueuedAt: minutesAgo(75) })],
      calling: [reservation({ code: 'CALL', status: 'called', tableNumber: null, holdExpiresAt: secondsFromNow(150) })],
    });
    const wrapper = mountTable(game);
    const cells = row(wrapper, 'WAIT').findAll('td').map((td) => td.text());
    expect(cells.slice(0, 7)).toEqual(['1', 'WAIT', 'Priya Shah', '4', '12', '1 h 15 min', 'Waiting']);
    expect(row(wrapper, 'CALL').get('[data-testid="row-status"]').text()).toBe('Called');
    expect(row(wrapper, 'CALL').get('.hold').text()).toBe('2:30');
    expect(row(wrapper, 'WAIT').find('.hold').exists()).toBe(false);
    expect(row(wrapper, 'CALL').findAll('td')[4]!.text()).toBe('—');
  });

  test('an empty queue says so', () => {
    expect(mountTable(staffGame()).get('tbody').text()).toBe('Nobody in the queue.');
  });

  test('buttons name the party for screen readers', () => {
    const wrapper = mountTable(staffGame({ waiting: [reservation({ code: 'WAIT', customerName: 'Sam Okafor', position: 1 })] }));
    expect(row(wrapper, 'WAIT').findAll('button').map((b) => b.attributes('aria-label'))).toEqual([
      'Call WAIT Sam Okafor',
      'Cancel WAIT Sam Okafor',
      'Edit WAIT Sam Okafor',
    ]);
  });

  test.each([
    ['waiting', 'Call', 'call'],
    ['waiting', 'Cancel', 'cancel'],
    ['called', 'Seat', 'seat'],
    ['called', 'No-show', 'no-show'],
    ['called', 'Cancel', 'cancel'],
    ['seated', 'Finish', 'finish'],
  ] as const)('on a %s row, %s sends POST /api/reservations/{id}/%s', async (status, label, path) => {
    const party = reservation({ code: 'ROW1', status, position: status === 'waiting' ? 1 : null });
    const group = status === 'waiting' ? 'waiting' : status === 'called' ? 'calling' : 'seated';
    const api = fakeApi({ [`POST /api/reservations/${party.id}/${path}`]: { status: 200, body: { ...party } } });
    const wrapper = mountTable(staffGame({ [group]: [party] }));

    const button = row(wrapper, 'ROW1').findAll('button').find((b) => b.text() === label)!;
    await button.trigger('click');
    await flushPromises();

    expect(api.sent.map((r) => r.route)).toEqual([`POST /api/reservations/${party.id}/${path}`]);
    expect(useToasts().toasts).toEqual([]);
  });

  test('while an action is in flight, that row cannot send another; other rows can', async () => {
    const first = reservation({ code: 'ONE1', position: 1 });
    const second = reservation({ code: 'TWO2', position: 2 });
    const answer = deferred();
    const api = fakeApi({ [`POST /api/reservations/${first.id}/call`]: answer.answer });
    const wrapper = mountTable(staffGame({ waiting: [first, second] }));
    const actionButtons = (code: string) => row(wrapper, code).findAll('button').filter((b) => b.text() !== 'Edit');

    await actionButtons('ONE1')[0]!.trigger('click');
    expect(actionButtons('ONE1').map((b) => b.attributes('disabled'))).toEqual(['', '']);
    expect(actionButtons('TWO2').map((b) => b.attributes('disabled'))).toEqual([undefined, undefined]);
    // A second tap on the disabled button does nothing.
    await actionButtons('ONE1')[0]!.trigger('click');

    answer.release({ status: 200, body: { ...first, status: 'called' } });
    await flushPromises();
    expect(actionButtons('ONE1').map((b) => b.attributes('disabled'))).toEqual([undefined, undefined]);
    expect(api.sent).toHaveLength(1);
  });

  test("a refused action shows the server's reason in a toast, naming the action and the code", async () => {
    const party = reservation({ code: 'LATE', status: 'called', holdExpiresAt: secondsFromNow(10) });
    fakeApi({ [`POST /api/reservations/${party.id}/seat`]: apiError(409, 'conflict', 'Reservation LATE is no_show, not called.') });
    const wrapper = mountTable(staffGame({ calling: [party] }));

    await row(wrapper, 'LATE').get('[data-testid="row-action-seat"]').trigger('click');
    await flushPromises();

    expect(useToasts().toasts.map((t) => [t.kind, t.message])).toEqual([['error', 'Seat LATE: Reservation LATE is no_show, not called.']]);
    expect(row(wrapper, 'LATE').get('[data-testid="row-action-seat"]').attributes('disabled')).toBeUndefined();
  });

  test('Edit hands the reservation to the page (which opens the edit dialog) and sends nothing', async () => {
    const party = reservation({ code: 'EDIT', position: 1 });
    const api = fakeApi();
    const wrapper = mountTable(staffGame({ waiting: [party] }));

    await row(wrapper, 'EDIT').get('[data-testid="row-edit"]').trigger('click');

    expect(wrapper.emitted('edit')).toEqual([[party]]);
    expect(api.sent).toEqual([]);
  });
});
