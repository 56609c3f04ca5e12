import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import QueueTable from './QueueTable.vue';
import { useFloorActions } from '../stores/floorActions';
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
    // Moving up and down sits beside the position; the steps back come from the undo toast and the ended list.
    expect(buttonLabels(wrapper, 'WAIT')).toEqual(['▲', '▼', 'Call', 'Cancel', 'Edit']);
    expect(buttonLabels(wrapper, 'CALL')).toEqual(['Seat', 'No-show', 'Cancel', '+ Time', 'Edit']);
    expect(buttonLabels(wrapper, 'SEAT')).toEqual(['Finish', 'Last round', 'Edit']);
  });

  test('a table marked "wrapping up" says since when and is not offered the mark again', async () => {
    const game = staffGame({
      seated: [reservation({ code: 'LAST', status: 'seated', seatedAt: minutesAgo(60), wrappingUpAt: minutesAgo(4) }), reservation({ code: 'PLAY', status: 'seated', seatedAt: minutesAgo(20) })],
    });
    const wrapper = mountTable(game);
    expect(row(wrapper, 'LAST').get('[data-testid="row-wrapping-up"]').text()).toBe('last round · 4 min');
    expect(buttonLabels(wrapper, 'LAST')).toEqual(['Finish', 'Edit']);
    expect(row(wrapper, 'PLAY').find('[data-testid="row-wrapping-up"]').exists()).toBe(false);
    const play = game.seated[1]!;
    const api = fakeApi({ [`POST /api/reservations/${play.id}/wrapping-up`]: { status: 200, body: { ...play, wrappingUpAt: minutesAgo(0) } } });
    await row(wrapper, 'PLAY').get('[data-testid="row-action-wrapping-up"]').trigger('click');
    await flushPromises();
    expect(api.sent.map((r) => r.route)).toEqual([`POST /api/reservations/${play.id}/wrapping-up`]);
  });

  test('a row shows position, name, party, table, minutes waited, the estimated wait and, when called, the hold left', () => {
    const game = staffGame({
      waiting: [reservation({ code: 'WAIT', position: 1, customerName: 'Priya Shah', partySize: 4, tableNumber: 12, enqueuedAt: minutesAgo(75), estimatedWaitMinutes: 20 })],
      calling: [reservation({ code: 'CALL', status: 'called', tableNumber: null, holdExpiresAt: secondsFromNow(150) })],
    });
    const wrapper = mountTable(game);
    const cells = row(wrapper, 'WAIT').findAll('td').map((td) => td.text());
    expect(row(wrapper, 'WAIT').get('.pos-number').text()).toBe('1');
    expect(cells.slice(1, 7)).toEqual(['WAIT', 'Priya Shah', '4', '12', '1 hr 15 min', '~20 min']);
    // The status, and under it how the party is reached.
    expect(row(wrapper, 'WAIT').get('[data-testid="row-status"]').text()).toBe('Waiting');
    expect(row(wrapper, 'WAIT').get('.status-cell [data-testid="row-reach"]').text()).toBe('Screen only');
    expect(row(wrapper, 'CALL').get('[data-testid="row-estimate"]').text()).toBe('');
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
      'Move up WAIT Sam Okafor',
      'Move down WAIT Sam Okafor',
      'Call WAIT Sam Okafor',
      'Cancel WAIT Sam Okafor',
      'Edit WAIT Sam Okafor',
    ]);
  });

  test.each([
    ['waiting', 'Call', 'call', 'uncall'],
    ['waiting', 'Cancel', 'cancel', 'reinstate'],
    ['called', 'Seat', 'seat', 'unseat'],
    ['called', 'No-show', 'no-show', 'reinstate'],
    ['called', 'Cancel', 'cancel', 'reinstate'],
    ['seated', 'Finish', 'finish', 'unfinish'],
  ] as const)('on a %s row, %s sends POST /api/reservations/{id}/%s, and its toast can undo it with /%s', async (status, label, path, undo) => {
    const party = reservation({ code: 'ROW1', status, position: status === 'waiting' ? 1 : null });
    const group = status === 'waiting' ? 'waiting' : status === 'called' ? 'calling' : 'seated';
    const api = fakeApi({
      [`POST /api/reservations/${party.id}/${path}`]: { status: 200, body: { ...party } },
      [`POST /api/reservations/${party.id}/${undo}`]: { status: 200, body: { ...party } },
    });
    const wrapper = mountTable(staffGame({ [group]: [party] }));

    const button = row(wrapper, 'ROW1').findAll('button').find((b) => b.text() === label)!;
    await button.trigger('click');
    await flushPromises();
    if (path === 'cancel' || path === 'no-show') {
      // Destructive: nothing is sent until the one confirmation on the page says yes.
      expect(api.sent).toEqual([]);
      expect(useFloorActions().asking).toMatchObject({ party: { code: 'ROW1' }, action: path });
      await useFloorActions().confirm();
      await flushPromises();
    }

    expect(api.sent.map((r) => r.route)).toEqual([`POST /api/reservations/${party.id}/${path}`]);
    const [toast] = useToasts().toasts;
    expect(toast).toMatchObject({ kind: 'info', message: expect.stringContaining('ROW1 Alex Rivera') });
    await toast!.undo!();
    await flushPromises();
    expect(api.sent.map((r) => r.route)).toEqual([`POST /api/reservations/${party.id}/${path}`, `POST /api/reservations/${party.id}/${undo}`]);
    expect(useToasts().toasts.at(-1)!.message).toMatch(/^Undone: ROW1/);
  });

  test('backing out of a destructive move sends nothing', async () => {
    const party = reservation({ code: 'KEEP', position: 1 });
    const api = fakeApi();
    const wrapper = mountTable(staffGame({ waiting: [party] }));
    await row(wrapper, 'KEEP').get('[data-testid="row-action-cancel"]').trigger('click');
    useFloorActions().dismiss();
    await flushPromises();
    expect(api.sent).toEqual([]);
    expect(useFloorActions().asking).toBeNull();
  });

  test('"+ Time" extends the hold and the toast says until when; a refused undo says why', async () => {
    const party = reservation({ code: 'HOLD', status: 'called', holdExpiresAt: secondsFromNow(30) });
    const api = fakeApi({
      [`POST /api/reservations/${party.id}/extend-hold`]: { status: 200, body: { ...party, holdExpiresAt: secondsFromNow(330) } },
    });
    const wrapper = mountTable(staffGame({ calling: [party] }));
    await row(wrapper, 'HOLD').get('[data-testid="row-action-extend-hold"]').trigger('click');
    await flushPromises();
    expect(api.sent).toEqual([{ route: `POST /api/reservations/${party.id}/extend-hold`, body: {} }]);
    expect(useToasts().toasts.map((t) => t.message)).toEqual([expect.stringMatching(/^More time for HOLD Alex Rivera: the hold ends at /)]);
    expect(useToasts().toasts[0]!.undo).toBeUndefined();
  });

  test('the first cannot move up and the last cannot move down; a move sends its request', async () => {
    const first = reservation({ code: 'FST1', position: 1 });
    const last = reservation({ code: 'LST2', position: 2 });
    const api = fakeApi({ [`POST /api/reservations/${last.id}/move-up`]: { status: 200, body: { ...last, position: 1 } } });
    const wrapper = mountTable(staffGame({ waiting: [first, last] }));
    expect(row(wrapper, 'FST1').get('[data-testid="row-action-move-up"]').attributes('disabled')).toBe('');
    expect(row(wrapper, 'LST2').get('[data-testid="row-action-move-down"]').attributes('disabled')).toBe('');
    await row(wrapper, 'LST2').get('[data-testid="row-action-move-up"]').trigger('click');
    await flushPromises();
    expect(api.sent.map((r) => r.route)).toEqual([`POST /api/reservations/${last.id}/move-up`]);
    expect(useToasts().toasts[0]!.message).toBe('Moved up: LST2 Alex Rivera.');
  });

  test('while an action is in flight, that row cannot send another; other rows can', async () => {
    const first = reservation({ code: 'ONE1', position: 1 });
    const second = reservation({ code: 'TWO2', position: 2 });
    const answer = deferred();
    const api = fakeApi({ [`POST /api/reservations/${first.id}/call`]: answer.answer });
    const wrapper = mountTable(staffGame({ waiting: [first, second] }));
    const actionButtons = (code: string) => row(wrapper, code).findAll('.actions button').filter((b) => b.text() !== 'Edit');

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
