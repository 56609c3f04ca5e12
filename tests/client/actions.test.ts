import { callNextBlocker, legalActions } from '../../client/src/lib/actions';

describe('actions staff can take on a row', () => {
  it('a waiting party can be called or cancelled', () => {
    expect(legalActions('waiting')).toEqual(['call', 'cancel']);
  });

  it('a called party can be seated, marked no-show or cancelled', () => {
    expect(legalActions('called')).toEqual(['seat', 'no-show', 'cancel']);
  });

  it('a seated party can only finish', () => {
    expect(legalActions('seated')).toEqual(['finish']);
  });

  it.each(['finished', 'no_show', 'cancelled'] as const)('a %s party never changes again', (status) => {
    expect(legalActions(status)).toEqual([]);
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
