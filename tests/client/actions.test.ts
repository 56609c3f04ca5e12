import { callNextBlocker, legalActions } from '../../client/src/lib/actions';
import { ACTION_PATHS } from '../../server/queue/routes';
import { legalActions as serverLegalActions, STATUSES } from '../../server/queue/states';

describe('actions staff can take on a row', () => {
  const pathOf = new Map(ACTION_PATHS.map((a) => [a.action, a.path]));

  it.each(STATUSES)("a %s party offers exactly the moves the server's state machine allows", (status) => {
    expect(legalActions(status)).toEqual(serverLegalActions(status).map((a) => pathOf.get(a)));
  });

  it('an ended party offers no move at all, and a live one at least one', () => {
    expect(STATUSES.filter((s) => legalActions(s).length === 0).sort()).toEqual(['cancelled', 'finished', 'no_show']);
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
