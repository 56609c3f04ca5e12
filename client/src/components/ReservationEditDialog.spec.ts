import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import ReservationEditDialog from './ReservationEditDialog.vue';
import { apiError, deferred, fakeApi } from '../testing/fakeApi';
import { reservation } from '../testing/fixtures';
import type { Reservation } from '../api';

const party = reservation({ id: 41, code: 'EDIT', customerName: 'Ravi Iyer', partySize: 3, tableNumber: 7, position: 2 });
const PATCH = 'PATCH /api/reservations/41';

/** Mounted and settled: the dialog fills itself in once its element exists. */
async function mountDialog(target: Reservation | null = party) {
  const wrapper = mount(ReservationEditDialog, { props: { reservation: target } });
  await flushPromises();
  return wrapper;
}

type Dialog = Awaited<ReturnType<typeof mountDialog>>;

const field = (wrapper: Dialog, id: string) => wrapper.get<HTMLInputElement>(`[data-testid="${id}"]`);
const values = (wrapper: Dialog) => ['edit-name', 'edit-party', 'edit-table'].map((id) => field(wrapper, id).element.value);

describe('editing a reservation', () => {
  test('opens on a reservation, filled in with its name, party and table; closed without one', async () => {
    const closed = await mountDialog(null);
    expect(closed.get('dialog').attributes('open')).toBeUndefined();

    const wrapper = await mountDialog();
    expect(wrapper.get('dialog').attributes('open')).toBe('');
    expect(wrapper.get('h2').text()).toBe('Edit EDIT');
    expect(values(wrapper)).toEqual(['Ravi Iyer', '3', '7']);

    await wrapper.setProps({ reservation: reservation({ code: 'NEXT', customerName: 'Isla Walsh', partySize: 1, tableNumber: null }) });
    expect(values(wrapper)).toEqual(['Isla Walsh', '1', '']);
  });

  test('Save sends the checked fields and closes; an empty table is sent as none', async () => {
    const api = fakeApi({ [PATCH]: { status: 200, body: party } });
    const wrapper = await mountDialog();
    await field(wrapper, 'edit-name').setValue(' Ravi K. Iyer ');
    await field(wrapper, 'edit-table').setValue('');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(api.sent).toEqual([{ route: PATCH, body: { customerName: 'Ravi K. Iyer', partySize: 3, tableNumber: null } }]);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  test('Save is disabled while the change is on its way', async () => {
    const answer = deferred();
    fakeApi({ [PATCH]: answer.answer });
    const wrapper = await mountDialog();
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('[data-testid="edit-save"]').attributes('disabled')).toBe('');
    answer.release({ status: 200, body: party });
    await flushPromises();
    expect(wrapper.get('[data-testid="edit-save"]').attributes('disabled')).toBeUndefined();
  });

  test('a bad value is refused beside its field, nothing is sent and the dialog stays open', async () => {
    const api = fakeApi();
    const wrapper = await mountDialog();
    await field(wrapper, 'edit-party').setValue('25');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(wrapper.get('#edit-party-error').text()).toBe('Party size must be a whole number from 1 to 20.');
    expect(field(wrapper, 'edit-party').attributes('aria-invalid')).toBe('true');
    expect(api.sent).toEqual([]);
    expect(wrapper.emitted('close')).toBeUndefined();
  });

  test('a refusal from the server is shown and the dialog stays open', async () => {
    fakeApi({ [PATCH]: apiError(409, 'conflict', 'Reservation EDIT has ended.') });
    const wrapper = await mountDialog();
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('Reservation EDIT has ended.');
    expect(wrapper.emitted('close')).toBeUndefined();
  });

  test('Cancel and Escape close it without sending; Delete… hands the reservation on for confirmation', async () => {
    const api = fakeApi();
    const wrapper = await mountDialog();
    await wrapper.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await wrapper.get('dialog').trigger('cancel');
    await wrapper.get('[data-testid="edit-delete"]').trigger('click');

    expect(wrapper.emitted('close')).toHaveLength(2);
    expect(wrapper.emitted('delete')).toEqual([[party]]);
    expect(api.sent).toEqual([]);
  });
});
