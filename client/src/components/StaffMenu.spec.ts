import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import StaffMenu from './StaffMenu.vue';
import { useAuth } from '../stores/auth';
import { fakeApi } from '../testing/fakeApi';

const ADMIN = { id: 1, username: 'admin', role: 'admin' as const };

function mountMenu() {
  const api = fakeApi({ 'POST /api/auth/logout': { status: 204 } });
  useAuth().user = ADMIN;
  const wrapper = mount(StaffMenu, {
    props: { user: ADMIN },
    slots: { default: '<a href="/staff/settings" data-testid="tools-link">Tools</a>' },
    attachTo: document.body,
  });
  const details = () => wrapper.get('[data-testid="staff-menu"]').element as HTMLDetailsElement;
  return { api, wrapper, details };
}

describe('the staff top bar menu', () => {
  test('holds who is signed in, the links it is given, the language, the theme and sign-out', () => {
    const { wrapper } = mountMenu();
    expect(wrapper.get('[data-testid="staff-menu-button"]').text()).toBe('☰Menu');
    expect(wrapper.get('[data-testid="staff-user"]').text()).toBe('admin (admin)');
    expect(wrapper.get('nav').attributes('aria-label')).toBe('Staff tools');
    expect(wrapper.find('[data-testid="tools-link"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="staff-language"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="theme-switch"]').exists()).toBe(true);
    wrapper.unmount();
  });

  test('Sign out signs out', async () => {
    const { api, wrapper } = mountMenu();
    await wrapper.get('[data-testid="logout"]').trigger('click');
    await flushPromises();
    expect(api.sent.map((r) => r.route)).toContain('POST /api/auth/logout');
    expect(useAuth().user).toBeNull();
    wrapper.unmount();
  });

  test('folds away on Escape (focus back on its button), on a click elsewhere and after a link is followed', async () => {
    const { wrapper, details } = mountMenu();
    details().open = true;
    (wrapper.get('[data-testid="theme-switch"]').element as HTMLElement).focus();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(details().open).toBe(false);
    expect(document.activeElement).toBe(wrapper.get('summary').element);

    details().open = true;
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(details().open).toBe(false);

    details().open = true;
    await wrapper.get('[data-testid="tools-link"]').trigger('click');
    expect(details().open).toBe(false);
    wrapper.unmount();
  });
});
