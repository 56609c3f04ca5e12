import { describe, expect, test } from '@jest/globals';
import { flushPromises, mount } from '@vue/test-utils';
import CafeIdentityForm from './CafeIdentityForm.vue';
import { apiError, fakeApi } from '../testing/fakeApi';
import type { CafeSettings } from '../api';

const SETTINGS: CafeSettings = {
  name: null,
  accent: null,
  publicUrl: null,
  timeZone: null,
  language: 'en',
  logoUrl: null,
  defaults: { name: 'Meeple Queue', accent: '#2348b5', publicUrl: null, timeZone: 'UTC' },
  updatedBy: null,
  updatedAt: null,
};

async function openForm(isAdmin: boolean, routes = {}) {
  const api = fakeApi({ 'GET /api/settings/cafe': { status: 200, body: SETTINGS }, ...routes });
  const wrapper = mount(CafeIdentityForm, { props: { isAdmin } });
  await flushPromises();
  return { api, wrapper };
}

describe('the café settings form', () => {
  test('blank fields are sent as null (the server’s defaults, shown as placeholders)', async () => {
    const { api, wrapper } = await openForm(true, { 'PUT /api/settings/cafe': { status: 200, body: { ...SETTINGS, name: 'Dice & Slice' } } });
    expect(wrapper.get('[data-testid="cafe-name-input"]').attributes('placeholder')).toBe('Meeple Queue');
    await wrapper.get('[data-testid="cafe-name-input"]').setValue('Dice & Slice');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.sent.at(-1)).toEqual({
      route: 'PUT /api/settings/cafe',
      body: { name: 'Dice & Slice', accent: null, publicUrl: null, timeZone: null, language: 'en' },
    });
  });

  test('a refused accent shows the server’s reason under the field', async () => {
    const refusal = apiError(400, 'validation_failed', 'The request body is not valid', [
      { path: 'accent', message: 'White text on #f5b942 has a contrast of 1.87:1; it must be at least 4.5:1' },
    ]);
    const { wrapper } = await openForm(true, { 'PUT /api/settings/cafe': refusal });
    await wrapper.get('[data-testid="cafe-accent-input"]').setValue('#f5b942');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('contrast of 1.87:1');
    expect(wrapper.get('[data-testid="cafe-accent-input"]').attributes('aria-invalid')).toBe('true');
  });

  test('plain staff see the settings but cannot change them', async () => {
    const { wrapper } = await openForm(false);
    expect(wrapper.get('[data-testid="cafe-name-input"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-testid="cafe-save"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="cafe-logo-input"]').exists()).toBe(false);
  });
});
