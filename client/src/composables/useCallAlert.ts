import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';
import { i18n } from '../i18n';
import { activeRegistration } from '../lib/serviceWorker';
import { playBeep } from '../lib/chime';

type Permission = NotificationPermission | 'unsupported';

/**
 * Sound, vibration and a system notification for "your game is ready". Browsers only let a
 * page make sound after the user has touched it, so the first tap anywhere unlocks audio;
 * notification permission is asked from a button, never on load.
 */
export function useCallAlert() {
  const permission = ref<Permission>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  const problem = ref<string | null>(null);
  let audio: AudioContext | null = null;

  function unlockAudio() {
    if (typeof AudioContext === 'undefined') return;
    audio ??= new AudioContext();
    void audio.resume();
  }

  window.addEventListener('pointerdown', unlockAudio, { once: true });
  if (getCurrentScope()) onScopeDispose(() => window.removeEventListener('pointerdown', unlockAudio));

  async function enable() {
    unlockAudio();
    if (permission.value !== 'default') return;
    permission.value = await Notification.requestPermission();
  }

  function beep() {
    if (audio) playBeep(audio);
  }

  /**
   * `tag` is the ticket's (as the push handler in src/sw.ts uses): a push arriving for the same
   * call replaces this notification instead of showing a second one.
   */
  async function alert(title: string, body: string, tag: string) {
    beep();
    if ('vibrate' in navigator) navigator.vibrate([200, 100, 200, 100, 400]);
    if (permission.value !== 'granted') return;
    try {
      // Through the service worker: Android Chrome refuses `new Notification()` in a page.
      const registration = await activeRegistration();
      if (registration) await registration.showNotification(title, { body, tag, icon: '/icons/icon-192.png' });
      else new Notification(title, { body, tag });
    } catch (err) {
      // The page itself still shows the called state; say why there was no system notification.
      problem.value = i18n.global.t('errors.noNotification', { reason: err instanceof Error ? err.message : String(err) });
    }
  }

  return { permission: readonly(permission), problem: readonly(problem), enable, alert };
}
