import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import WalkInForm from './WalkInForm.vue';
import { useToasts } from '../stores/toasts';
import { apiError, fakeApi } from '../testing/fakeApi';
import { reservation } from '../testing/fixtures';

const JOIN = 'POST /api/games/1/reservations';

function mountForm() {
  // Attached, so focus can move to the name field after a walk-in is added.
  return mount(WalkInForm, { props: { gameId: 1, gameTitle: 'Catan' }, attachTo: document.body });
}

async function fill(wrapper: ReturnType<typeof mountForm>, fields: { name?: string; party?: string; table?: string }) {
  if (fields.name !== undefined) await wrapper.get('[data-testid="walkin-name"]').setValue(fields.name);
  if (fields.party !== undefined) await wrapper.get('[data-testid="walkin-party"]').setValue(fields.party);
  if (fields.table !== undefined) await wrapper.get('[data-testid="walkin-table"]').setValue(fields.table);
  await wrapper.get('form').trigger('submit');
  await flushPromises();
}

/** Each field's error, as shown beside it, and whether the input is marked invalid. */
function errors(wrapper: ReturnType<typeof mountForm>) {
  const field = (testId: string) => {
    const input = wrapper.get(`[data-testid="${testId}"]`);
    const describedBy = input.attributes('aria-describedby');
    return { invalid: input.attributes('aria-invalid'), error: describedBy ? wrapper.get(`#${describedBy}`).text() : null };
  };
  return { name: field('walkin-name'), party: field('walkin-party'), table: field('walkin-table') };
}

describe('adding a walk-in', () => {
  test('a blank name is refused before anything is sent, beside the field', async () => {
    const api = fakeApi();
    const wrapper = mountForm();
    await fill(wrapper, { name: '   ' });
    expect(errors(wrapper).name).toEqual({ invalid: 'true', error: 'Please enter a name.' });
    expect(errors(wrapper).party).toEqual({ invalid: 'false', error: null });
    expect(api.sent).toEqual([]);
  });

  test.each([
    ['0', 'Party size must be a whole number from 1 to 20.'],
    ['21', 'Party size must be a whole number from 1 to 20.'],
    ['', 'Party size must be a whole number from 1 to 20.'],
  ])('party size "%s" is refused', async (party, message) => {
    const api = fakeApi();
    const wrapper = mountForm();
    await fill(wrapper, { name: 'Noor Khan', party });
    expect(errors(wrapper).party).toEqual({ invalid: 'true', error: message });
    expect(api.sent).toEqual([]);
  });

  test('a table outside 1–999 is refused; an empty table is fine', async () => {
    const api = fakeApi();
    const wrapper = mountForm();
    await fill(wrapper, { name: 'Noor Khan', table: '1000' });
    expect(errors(wrapper).table).toEqual({ invalid: 'true', error: 'Table number must be from 1 to 999, or left empty.' });
    expect(api.sent).toEqual([]);
  });

  test('a valid walk-in is sent, announced with its place, and the form is ready for the next', async () => {
    const api = fakeApi({ [JOIN]: { status: 201, body: { ...reservation({ code: 'WALK', customerName: 'Noor Khan', position: 3 }), secret: 'x'.repeat(24) } } });
    const wrapper = mountForm();
    await fill(wrapper, { name: '  Noor Khan ', party: '4', table: '12' });

    expect(api.sent).toEqual([{ route: JOIN, body: { customerName: 'Noor Khan', partySize: 4, tableNumber: 12 } }]);
    expect(useToasts().toasts.map((t) => t.message)).toEqual(['Added WALK Noor Khan to Catan at position 3.']);
    const input = (id: string) => wrapper.get<HTMLInputElement>(`[data-testid="${id}"]`).element;
    expect([input('walkin-name').value, input('walkin-party').value, input('walkin-table').value]).toEqual(['', '2', '']);
    expect(document.activeElement).toBe(input('walkin-name'));
    expect(errors(wrapper).name.error).toBeNull();
  });

  test("the server's field errors go beside the fields; anything else above the button", async () => {
    fakeApi({
      [JOIN]: apiError(400, 'validation_failed', 'Some fields are not valid.', [
        { path: 'customerName', message: 'Names cannot contain control characters.' },
      ]),
    });
    const wrapper = mountForm();
    await fill(wrapper, { name: 'Noor Khan' });
    expect(errors(wrapper).name).toEqual({ invalid: 'true', error: 'Names cannot contain control characters.' });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);

    fakeApi({ [JOIN]: apiError(409, 'conflict', 'Catan is not taking reservations.') });
    await fill(wrapper, {});
    expect(wrapper.get('[role="alert"]').text()).toBe('Catan is not taking reservations.');
    expect(errors(wrapper).name).toEqual({ invalid: 'false', error: null });
  });
});
