// The manifest's pure parts: the short name under a home-screen icon and a PNG's size read from its bytes.
import { logoIcon, pngSize, shortName, SHORT_NAME_MAX } from '../../server/settings/manifest';
import { solidPng } from '../helpers/png';

describe('the short name under a home-screen icon', () => {
  test.each([
    ['Dice & Slice', 'Dice & Slice'],
    ['Dice & Slice Board Game Café', 'Dice & Slice'],
    ['The Rolling Meeple', 'The Rolling'],
    ['Würfel & Co. Spielecafé', 'Würfel & Co.'],
    ['Spielecafébrettspielhaus', 'Spielecaféb…'],
    ['Die Würfelbude am Markt', 'Die Würfelb…'],
    ['  Board   Game  Corner ', 'Board Game'],
    ['Meeples & Dragons', 'Meeples'],
    ['Ludo & Dragons', 'Ludo & Drag…'],
  ])('%s → %s', (name, short) => {
    expect(shortName(name)).toBe(short);
  });

  test('counts what a reader sees as one character as one (accents, emoji), and never cuts one in half', () => {
    const name = '🎲🎲🎲🎲🎲🎲🎲🎲🎲🎲🎲🎲🎲🎲';
    expect(shortName(name)).toBe(`${'🎲'.repeat(SHORT_NAME_MAX - 1)}…`);
    expect(shortName('Cafe\u0301 Cafe\u0301 Cafe\u0301')).toBe('Cafe\u0301 Cafe\u0301');
  });
});

describe('a PNG logo as the icon', () => {
  test('its width and height come from the image', () => {
    expect(pngSize(solidPng(300, 120))).toEqual({ width: 300, height: 120 });
    expect(pngSize(Buffer.from('not a png at all, just words'))).toBeNull();
  });

  test('only a square PNG of at least 192 px becomes the icon', () => {
    expect(logoIcon('/logo.png', 'image/png', solidPng(192, 192))).toEqual({ src: '/logo.png', sizes: '192x192', type: 'image/png', purpose: 'any' });
    expect(logoIcon('/logo.png', 'image/png', solidPng(191, 191))).toBeNull();
    expect(logoIcon('/logo.png', 'image/png', solidPng(512, 256))).toBeNull();
    expect(logoIcon('/logo.jpg', 'image/jpeg', solidPng(512, 512))).toBeNull();
  });
});
