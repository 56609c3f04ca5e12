import { readonly, ref } from 'vue';
import { i18n } from '../i18n';
import { api, errorMessage } from '../api';
import { activeRegistration, serviceWorkerSupported } from '../lib/serviceWorker';

/**
 * Web Push for one ticket: "Notify me" asks for permission, subscribes this browser with the
 * server's VAPID key and hands the subscription to the server with the ticket's secret. A
 * browser that already said yes (an earlier ticket) is subscribed again for this one quietly.
 */
export type PushState = 'unsupported' | 'off' | 'busy' | 'on' | 'denied';

function pushSupported(): boolean {
  return serviceWorkerSupported() && typeof window !== 'undefined' && 'PushManager' in window && typeof Notification !== 'undefined';
}

export function usePush() {
  const state = ref<PushState>(pushSupported() ? (Notification.permission === 'denied' ? 'denied' : 'off') : 'unsupported');
  const problem = ref<string | null>(null);

  async function subscribeThisBrowser(code: string, secret: string): Promise<void> {
    const registration = await activeRegistration();
    if (!registration) throw new Error(i18n.global.t('errors.noPushHere'));
    const { pushPublicKey } = await api.notifications.options();
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: pushPublicKey }));
    const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
    await api.tickets.subscribe(code, secret, { endpoint: json.endpoint, keys: json.keys });
  }

  /** The button: permission, then the subscription. */
  async function enable(code: string, secret: string): Promise<void> {
    if (state.value === 'unsupported' || state.value === 'busy') return;
    problem.value = null;
    state.value = 'busy';
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        state.value = permission === 'denied' ? 'denied' : 'off';
        return;
      }
      await subscribeThisBrowser(code, secret);
      state.value = 'on';
    } catch (err) {
      state.value = 'off';
      problem.value = i18n.global.t('errors.pushFailed', { reason: errorMessage(err) });
    }
  }

  /** On opening a ticket: already allowed in this browser → on for this ticket too. */
  async function resume(code: string, secret: string): Promise<void> {
    if (!pushSupported() || Notification.permission !== 'granted') return;
    try {
      await subscribeThisBrowser(code, secret);
      state.value = 'on';
    } catch {
      // Quietly off: the button is there to try again and say why.
      state.value = 'off';
    }
  }

  return { state: readonly(state), problem: readonly(problem), enable, resume };
}
