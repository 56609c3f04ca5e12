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

describe('an admin manages the accounts', () => {
  test('adds an account: sends it, clears the form, lists the accounts again', async () => {
    const { api, wrapper } = await mountAs(ADMIN, { 'POST /api/users': { status: 201, body: { id: 3, username: 'sam', role: 'admin' } } });
    await wrapper.get('[data-testid="add-username"]').setValue(' sam ');
    await wrapper.get('[data-testid="add-password"]').setValue('sam-password-1');
    await wrapper.get('#add-role').setValue('admin');
    await wrapper.get('[data-testid="add-user-form"]').trigger('submit');
    await flushPromises();
    expect(api.sent.filter((r) => r.route === 'POST /api/users')).toEqual([
      { route: 'POST /api/users', body: { username: 'sam', password: 'sam-password-1', role: 'admin' } },
    ]);
    expect((wrapper.get('[data-testid="add-username"]').element as HTMLInputElement).value).toBe('');
    expect(api.sent.filter((r) => r.route === 'GET /api/users')).toHaveLength(2);
    expect(toasts()).toEqual(['Account sam added.']);
  });

  test("a refused account shows the server's field error beside the field", async () => {
    const { wrapper } = await mountAs(ADMIN, {
      'POST /api/users': apiError(400, 'validation_failed', 'The request body is not valid', [{ path: 'password', message: 'Use at least 10 characters' }]),
    });
    await wrapper.get('[data-testid="add-username"]').setValue('sam');
    await wrapper.get('[data-testid="add-password"]').setValue('short');
    await wrapper.get('[data-testid="add-user-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="add-user-form"]').text()).toContain('Use at least 10 characters');
    expect(toasts()).toEqual([]);
  });

  test('changes a role from the list; one’s own role cannot be changed there', async () => {
    const { api, wrapper } = await mountAs(ADMIN, { 'PATCH /api/users/2': { status: 200, body: { ...PIA, role: 'admin' } } });
    expect(wrapper.find('[data-testid="role-admin"]').exists()).toBe(false);
    await wrapper.get('[data-testid="role-pia"]').setValue('admin');
    await flushPromises();
    expect(api.sent.filter((r) => r.route.startsWith('PATCH'))).toEqual([{ route: 'PATCH /api/users/2', body: { role: 'admin' } }]);
    expect(toasts()).toEqual(['pia is now an admin.']);
  });

  test('removes an account only after the confirmation', async () => {
    const { api, wrapper } = await mountAs(ADMIN, { 'DELETE /api/users/2': { status: 204 } });
    expect(wrapper.find('[data-testid="remove-admin"]').exists()).toBe(false);
    await wrapper.get('[data-testid="remove-pia"]').trigger('click');
    await flushPromises();
    expect(api.sent.filter((r) => r.route.startsWith('DELETE'))).toEqual([]);
    const confirm = wrapper.findAll('dialog button').find((b) => b.text() === 'Remove')!;
    await confirm.trigger('click');
    await flushPromises();
    expect(api.sent.filter((r) => r.route.startsWith('DELETE'))).toEqual([{ route: 'DELETE /api/users/2', body: undefined }]);
    expect(toasts()).toEqual(['Account pia removed; its devices are signed out.']);
  });
});
