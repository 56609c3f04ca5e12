import { computed, getCurrentScope, onScopeDispose, readonly, ref } from 'vue';
import { playChime } from '../lib/chime';

const STORAGE_KEY = 'meeple.board.sound';

/**
 * The TV's chime when a party is called, switchable off (kept in localStorage, so it survives the
 * nightly reload). Browsers keep a page's audio suspended until someone touches it, so the board
 * shows "tap to enable sound" until a tap or key press has let the audio run.
 */
export function useBoardSound() {
  const enabled = ref(readSetting());
  const running = ref(false);
  let audio: AudioContext | null = null;

  function context(): AudioContext | null {
    if (typeof AudioContext === 'undefined') return null;
    if (!audio) {
      audio = new AudioContext();
      audio.addEventListener('statechange', () => {
        running.value = audio?.state === 'running';
      });
    }
    return audio;
  }

  /** Called from a user gesture: the one moment a browser lets the audio start. */
  function unlock() {
    const ctx = context();
    if (!ctx) return;
    void ctx.resume().then(() => {
      running.value = ctx.state === 'running';
    });
  }

  function toggle() {
    enabled.value = !enabled.value;
    try {
      localStorage.setItem(STORAGE_KEY, enabled.value ? 'on' : 'off');
    } catch {
      // Private mode or a full storage: the switch still works until the page reloads.
    }
    if (enabled.value) unlock();
  }

  function chime() {
    // Not before a tap has let the audio run: notes queued on a suspended context would all
    // sound at once on the tap, long after the call.
    if (enabled.value && audio?.state === 'running') playChime(audio);
  }

  const gesture = () => {
    if (enabled.value) unlock();
  };
  window.addEventListener('pointerdown', gesture);
  window.addEventListener('keydown', gesture);
  if (getCurrentScope()) {
    onScopeDispose(() => {
      window.removeEventListener('pointerdown', gesture);
      window.removeEventListener('keydown', gesture);
      void audio?.close();
    });
  }

  return {
    enabled: readonly(enabled),
    /** Sound is wanted but the browser still waits for a tap. */
    needsTap: computed(() => enabled.value && !running.value),
    toggle,
    chime,
  };
}

function readSetting(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}
