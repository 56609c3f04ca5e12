import type { AppContext } from '../context';
import { readIdentity, resolveCafe, type CafeIdentity } from './identity';
import { NotFound } from '../errors';
import { logoFile, readLogo } from './logo';

/**
 * The web app manifest of the phone's ticket (the installable PWA), built from the café's
 * identity: a phone that adds the ticket to its home screen shows the café's name and colour,
 * not ours. vite-plugin-pwa used to write a fixed one into the build; the app serves it now
 * (GET /manifest.webmanifest), and index.html links it.
 */

/** What fits under a home-screen icon before the launcher cuts it (Android shows about 12). */
export const SHORT_NAME_MAX = 12;

/** The background of the customer screens (client/src/styles.css --bg): the splash shown while /join loads. */
export const PAGE_BACKGROUND = '#f5f3ee';

/** A home screen needs a square icon of at least this size (Chromium: installable from 144, 192 for the launcher). */
export const LOGO_ICON_MIN = 192;

export interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: 'any' | 'maskable';
}

export interface WebAppManifest {
  name: string;
  short_name: string;
  description: string;
  lang: string;
  start_url: string;
  scope: string;
  display: 'standalone';
  background_color: string;
  theme_color: string;
  icons: ManifestIcon[];
}

/** The app's own icons (client/public/icons), for a café without a usable logo. */
export const BUILT_IN_ICONS: ManifestIcon[] = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
];

const graphemes = (text: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

/**
 * A short form of the café's name for under the icon: the whole name if it fits, else as many
 * whole words as fit ("Dice & Slice Board Game Café" → "Dice & Slice"). When whole words leave
 * less than half the room ("Die" of "Die Würfelbude"), the name is cut and says so
 * ("Die Würfelb…"). Counted in graphemes, so "é" or an emoji is one character, never half of one.
 */
export function shortName(name: string, max = SHORT_NAME_MAX): string {
  const whole = name.trim().replace(/\s+/g, ' ');
  if (graphemes(whole).length <= max) return whole;
  let fitted = '';
  for (const word of whole.split(' ')) {
    const next = fitted ? `${fitted} ${word}` : word;
    if (graphemes(next).length > max) break;
    fitted = next;
  }
  // A last word like "&" or "-" reads as cut off.
  fitted = fitted.replace(/(\s+[^\p{L}\p{N}]+)+$/u, '');
  if (graphemes(fitted).length * 2 >= max) return fitted;
  return `${graphemes(whole).slice(0, max - 1).join('').trimEnd()}…`;
}

/** A PNG's width and height, from its IHDR chunk (the first chunk after the 8-byte signature, by the PNG specification). */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The logo as the manifest's icon: a square PNG large enough for a home screen, with its real size; anything else keeps our icons. */
export function logoIcon(src: string, type: string, bytes: Buffer): ManifestIcon | null {
  if (type !== 'image/png') return null;
  const size = pngSize(bytes);
  if (!size || size.width !== size.height || size.width < LOGO_ICON_MIN) return null;
  return { src, sizes: `${size.width}x${size.height}`, type, purpose: 'any' };
}

export function buildManifest(cafe: { name: string; accent: string; language: string }, logo: ManifestIcon | null): WebAppManifest {
  return {
    name: cafe.name,
    short_name: shortName(cafe.name),
    description: 'Your place in the board game queue',
    lang: cafe.language,
    start_url: '/join',
    scope: '/',
    display: 'standalone',
    background_color: PAGE_BACKGROUND,
    theme_color: cafe.accent,
    icons: logo ? [logo] : BUILT_IN_ICONS,
  };
}

/**
 * The icon the current logo makes, remembered by the logo's hash (its bytes never change under
 * one hash): the manifest is public, and reading a 256 KiB image for every request would let
 * anyone make MySQL send it again and again.
 */
let remembered: { hash: string; icon: ManifestIcon | null } | null = null;

async function iconOf(ctx: AppContext, logo: NonNullable<CafeIdentity['logo']>, src: string): Promise<ManifestIcon | null> {
  if (logo.type !== 'image/png') return null;
  if (remembered?.hash === logo.hash) return remembered.icon && { ...remembered.icon, src };
  // A logo removed by another instance a moment ago (its cached identity is older): our icons.
  const image = await readLogo(ctx, logoFile(logo.hash, logo.type)).catch((err: unknown) => {
    if (err instanceof NotFound) return null;
    throw err;
  });
  if (!image) return null;
  const icon = logoIcon(src, image.type, image.bytes);
  remembered = { hash: logo.hash, icon };
  return icon;
}

/** The manifest as the café is now: its name, accent and (when it makes a good icon) its logo. */
export async function readManifest(ctx: AppContext): Promise<WebAppManifest> {
  const stored = await readIdentity(ctx);
  const cafe = resolveCafe(ctx, stored);
  const { logo } = stored.value;
  const icon = logo && cafe.logoUrl ? await iconOf(ctx, logo, cafe.logoUrl) : null;
  return buildManifest(cafe, icon);
}
