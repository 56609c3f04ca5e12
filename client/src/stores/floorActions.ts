import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Reservation, Transition } from '../api';
import { actionDone, actionNames, DESTRUCTIVE, undoOf } from '../lib/actions';
import { useStaffStore } from './staff';
import { useToasts } from './toasts';
import { formatTime } from '../lib/format';
import { i18n } from '../i18n';

type Party = Pick<Reservation, 'id' | 'code' | 'customerName'>;

const clock = (iso: string | null) => (iso ? formatTime(iso) : '');
const t = i18n.global.t;

/**
 * A staff move from any screen part: a move that puts a party out of the queue is asked for
 * twice (one dialog for the whole page), every move that can be taken back says so in a toast
 * with an Undo button, and a refusal says why.
 */
export const useFloorActions = defineStore('floorActions', () => {
  const staff = useStaffStore();
  const toasts = useToasts();
  /** the destructive move waiting for "Yes" */
  const asking = ref<{ party: Party; action: Transition } | null>(null);

  async function run(party: Party, action: Transition): Promise<boolean> {
    try {
      const after = await staff.transition(party, action);
      const who = `${party.code} ${party.customerName}`;
      const text = action === 'extend-hold' ? t('actions.extended', { who, time: clock(after.holdExpiresAt) }) : actionDone(action, who);
      const undo = undoOf(action);
      if (undo) toasts.pushUndo(text, () => runUndo(party, undo));
      else toasts.push(text);
      return true;
    } catch (err) {
      toasts.error(err, `${actionNames[action]} ${party.code}`);
      return false;
    }
  }

  async function runUndo(party: Party, undo: Transition): Promise<void> {
    try {
      await staff.transition(party, undo);
      toasts.push(t('actions.undone', { who: `${party.code} ${party.customerName}` }));
    } catch (err) {
      toasts.error(err, t('actions.undoFor', { code: party.code }));
    }
  }

  /** Runs `action`, after a confirmation when it is destructive. */
  async function request(party: Party, action: Transition): Promise<void> {
    if (DESTRUCTIVE.has(action)) {
      asking.value = { party, action };
      return;
    }
    await run(party, action);
  }

  async function confirm(): Promise<void> {
    const pending = asking.value;
    if (!pending) return;
    asking.value = null;
    await run(pending.party, pending.action);
  }

  function dismiss() {
    asking.value = null;
  }

  return { asking, request, confirm, dismiss };
});
