import { shouldApply } from '../../client/src/stores/versioned';

describe('shouldApply', () => {
  it('applies anything when nothing is held yet', () => {
    expect(shouldApply(null, 0)).toBe(true);
    expect(shouldApply(undefined, 5)).toBe(true);
  });

  it('applies only a strictly newer version', () => {
    expect(shouldApply(7, 8)).toBe(true);
    expect(shouldApply(7, 7)).toBe(false);
    expect(shouldApply(7, 3)).toBe(false);
  });

  it('refuses a version that is not a number', () => {
    expect(shouldApply(null, Number.NaN)).toBe(false);
    expect(shouldApply(1, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
