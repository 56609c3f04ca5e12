import { afterEach, describe, expect, test } from '@jest/globals';
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import TicketPage from './TicketPage.vue';
import LanguagePicker from '../components/LanguagePicker.vue';
import { fakeApi } from '../testing/fakeApi';
import { ticket } from '../testing/fixtures';
import { currentLocale, setDefaultLocale } from '../i18n';

// The ticket speaks the language its party chose on /join; a device's own choice wins.
async function openTicket(language: 'en' | 'de' | 'es' | null) {
  fakeApi({ 'GET /api/tickets/K7FA': { status: 200, body: ticket({ status: 'waiting', position: 3, estimatedWaitMinutes: 25, language }) } });
  const wrapper = mount(TicketPage, { props: { code: 'K7FA' }, global: { stubs: { RouterLink: RouterLinkStub } } });
  // The ticket, then the German catalogue (a chunk of its own), then the render.
  for (let i = 0; i < 5; i += 1) await flushPromises();
  return wrapper;
}

describe('languages on the ticket', () => {
  afterEach(() => setDefaultLocale('en'));

  test('a ticket joined in German shows in German, and English again once the page is left', async () => {
    const wrapper = await openTicket('de');
    expect(wrapper.get('h1').text()).toBe('Du bist 3. in der Reihe');
    expect(wrapper.find('[data-testid="ticket-wait"]').text()).toBe('etwa 25 Min.');
    expect(document.documentElement.lang).toBe('de');
    wrapper.unmount();
    await flushPromises();
    expect(currentLocale()).toBe('en');
  });

  test("a ticket without a language follows the café's default", async () => {
    await setDefaultLocale('es');
    const wrapper = await openTicket(null);
    expect(wrapper.get('h1').text()).toBe('Eres el 3.º en la cola');
  });

  test("the device's own choice wins over the ticket's, and is kept", async () => {
    const picker = mount(LanguagePicker);
    await picker.get('select').setValue('es');
    await flushPromises();
    expect(localStorage.getItem('meeple-queue.language')).toBe('es');
    const wrapper = await openTicket('de');
    expect(wrapper.get('h1').text()).toBe('Eres el 3.º en la cola');
    expect(picker.get('select').element.value).toBe('es');
  });
});
