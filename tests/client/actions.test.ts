import { actionDone, callNextBlocker, legalActions, undoOf } from '../../client/src/lib/actions';
import { ACTION_PATHS } from '../../server/queue/routes';
import { legalActions as serverLegalActions, STATUSES } from '../../server/queue/states';

describe('actions staff can take on a row', () => {
  const pathOf = new Map(ACTION_PATHS.map((a) => [a.action, a.path]));

  it.each(STATUSES)("a %s party offers exactly the moves the server's state machine allows", (status) => {
    expect(legalActions(status)).toEqual(serverLegalActions(status).map((a) => pathOf.get(a)));
  });

  it('every status offers a move; an ended party only steps back', () => {
    for (const status of STATUSES) expect(legalActions(status).length).toBeGreaterThan(0);
    expect(legalActions('finished')).toEqual(['unfinish']);
    expect([...legalActions('no_show')].sort()).toEqual(['reinstate', 'requeue']);
    expect(legalActions('cancelled')).toEqual(['reinstate']);
  });

  it("every forward action has an undo the server allows from where the action leads, and the toast has words for each", () => {
    const forward = { call: 'called', seat: 'seated', finish: 'finished', 'no-show': 'no_show', cancel: 'cancelled' } as const;
    for (const [action, status] of Object.entries(forward)) {
      const undo = undoOf(action as keyof typeof forward)!;
      expect(legalActions(status)).toContain(undo);
      expect(actionDone(undo, 'R001 Alex R.').replace('R001 Alex R.', '').length).toBeGreaterThan(3);
    }
    expect(undoOf('extend-hold')).toBeNull();
  });
});

describe('call next', () => {
  it('works when someone waits and a copy is free', () => {
    expect(callNextBlocker({ copies: 2, copiesInUse: 1, waitingCount: 3 })).toBeNull();
  });

  it('says why not when nobody waits', () => {
    expect(callNextBlocker({ copies: 2, copiesInUse: 0, waitingCount: 0 })).toBe('Nobody is waiting');
  });

  it('says why not when every copy is out', () => {
    expect(callNextBlocker({ copies: 2, copiesInUse: 2, waitingCount: 1 })).toBe('All copies are in use');
    expect(callNextBlocker({ copies: 0, copiesInUse: 0, waitingCount: 1 })).toBe('No copies to lend');
  });
});
