import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';
import { i18n } from '../i18n';
import { activeRegistration } from '../lib/serviceWorker';

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
    if (!audio) return;
    const start = audio.currentTime;
    // Two short high tones: distinct from a message ping, audible over café chatter.
    for (const offset of [0, 0.28]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.4, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.24);
    }
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
