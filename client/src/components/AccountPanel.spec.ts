import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import AccountPanel from './AccountPanel.vue';
import { useAuth } from '../stores/auth';
import { useToasts } from '../stores/toasts';
import { apiError, fakeApi, type Reply } from '../testing/fakeApi';

const ADMIN = { id: 1, username: 'admin', role: 'admin' as const };
const PIA = { id: 2, username: 'pia', role: 'staff' as const };

async function mountAs(user: typeof ADMIN | typeof PIA, routes: Record<string, Reply> = {}) {
  const api = fakeApi({ 'GET /api/users': { status: 200, body: [ADMIN, PIA] }, ...routes });
  useAuth().user = user;
  const wrapper = mount(AccountPanel, { attachTo: document.body });
  await flushPromises();
  return { api, wrapper };
}

type Wrapper = Awaited<ReturnType<typeof mountAs>>['wrapper'];

async function changePassword(wrapper: Wrapper, current: string, next: string) {
  await wrapper.get('[data-testid="password-current"]').setValue(current);
  await wrapper.get('[data-testid="password-new"]').setValue(next);
  await wrapper.get('[data-testid="password-form"]').trigger('submit');
  await flushPromises();
}

const toasts = () => useToasts().toasts.map((t) => t.message);

describe('changing your own password', () => {
  test('sends the current and the new password, clears both and says the other devices are signed out', async () => {
    const { api, wrapper } = await mountAs(PIA, { 'POST /api/auth/password': { status: 204 } });
    await changePassword(wrapper, 'old-password-1', 'new-password-1');
    expect(api.sent.filter((r) => r.route.startsWith('POST'))).toEqual([
      { route: 'POST /api/auth/password', body: { currentPassword: 'old-password-1', newPassword: 'new-password-1' } },
    ]);
    expect((wrapper.get('[data-testid="password-current"]').element as HTMLInputElement).value).toBe('');
    expect((wrapper.get('[data-testid="password-new"]').element as HTMLInputElement).value).toBe('');
    expect(toasts()).toEqual(['Password changed. Your other devices are signed out.']);
  });

  test("the server's field errors show beside the fields, and the fields keep what was typed", async () => {
    const { wrapper } = await mountAs(PIA, {
      'POST /api/auth/password': apiError(400, 'validation_failed', 'The current password is not right', [{ path: 'currentPassword', message: 'Wrong password' }]),
    });
    await changePassword(wrapper, 'typo-password', 'new-password-1');
    const current = wrapper.get('[data-testid="password-current"]');
    expect(current.attributes('aria-invalid')).toBe('true');
    expect(wrapper.get(`#${current.attributes('aria-describedby')}`).text()).toBe('Wrong password');
    expect((wrapper.get('[data-testid="password-new"]').element as HTMLInputElement).value).toBe('new-password-1');
    expect(toasts()).toEqual([]);
  });

  test('a lockout is said above the button', async () => {
    const { wrapper } = await mountAs(PIA, { 'POST /api/auth/password': apiError(429, 'rate_limited', 'Too many failed sign-ins; try again in 900 s') });
    await changePassword(wrapper, 'guess-password', 'new-password-1');
    expect(wrapper.get('[role="alert"]').text()).toBe('Too many failed sign-ins; try again in 900 s');
  });
});

describe('staff accounts (admins)', () => {
  test('plain staff see no accounts and fetch none', async () => {
    const { api, wrapper } = await mountAs(PIA);
    expect(wrapper.find('[data-testid="users-table"]').exists()).toBe(false);
    expect(api.sent).toEqual([]);
  });

  test("an admin resets another account's password; their own row has no reset", async () => {
    const { api, wrapper } = await mountAs(ADMIN, { 'POST /api/users/2/password': { status: 204 } });
    expect(wrapper.get('[data-testid="user-admin"]').find('button').exists()).toBe(false);

    await wrapper.get('[data-testid="reset-pia"]').trigger('click');
    await wrapper.get('[data-testid="reset-password"]').setValue('pia-reset-password');
    await wrapper.get('[data-testid="user-pia"]').get('form').trigger('submit');
    await flushPromises();

    expect(api.sent.filter((r) => r.route.startsWith('POST'))).toEqual([{ route: 'POST /api/users/2/password', body: { password: 'pia-reset-password' } }]);
    expect(toasts()).toEqual(['Password of pia reset; their devices are signed out.']);
    expect(wrapper.find('[data-testid="reset-password"]').exists()).toBe(false);
  });

  test('a refused reset stays open with the reason', async () => {
    const { wrapper } = await mountAs(ADMIN, {
      'POST /api/users/2/password': apiError(400, 'validation_failed', 'The request body is not valid', [{ path: 'password', message: 'At least 10 characters' }]),
    });
    await wrapper.get('[data-testid="reset-pia"]').trigger('click');
    await wrapper.get('[data-testid="reset-password"]').setValue('short');
    await wrapper.get('[data-testid="user-pia"]').get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="user-pia"] [role="alert"]').text()).toBe('At least 10 characters');
    expect(toasts()).toEqual([]);
  });
});
