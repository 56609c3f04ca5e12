import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { NotFound, PayloadTooLarge, UnsupportedMediaType } from '../errors';

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const LOGO_MAX_BYTES = 256 * 1024;

const EXTENSIONS: Record<LogoType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export const logoFile = (hash: string, type: LogoType) => `${hash}.${EXTENSIONS[type]}`;

const startsWith = (bytes: Buffer, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * What the bytes are, by their signature, never by what the upload claims. Three fixed
 * signatures (the formats' own specifications), so no library: PNG's 8-byte header, JPEG's SOI
 * marker, WebP's RIFF....WEBP container.
 */
export function sniffLogo(bytes: Buffer): LogoType | 'svg' | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  const head = bytes.subarray(0, 1024).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<') && /<svg[\s>]/i.test(bytes.toString('utf8'))) return 'svg';
  return null;
}

export interface CheckedLogo {
  hash: string;
  type: LogoType;
  bytes: Buffer;
}

/** Checks an uploaded logo: its size, then its type by its bytes. */
export function checkLogo(base64: string): CheckedLogo {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > LOGO_MAX_BYTES) {
    const kib = Math.ceil(bytes.length / 1024);
    const maxKib = LOGO_MAX_BYTES / 1024;
    throw new PayloadTooLarge(`The logo is ${kib} KiB; it may be at most ${maxKib} KiB`, { precise: { code: 'logo_too_large', params: { kib, maxKib } } });
  }
  const type = sniffLogo(bytes);
  if (type === 'svg') {
    // An SVG can carry scripts and outside references; we do not sanitise it, so we refuse it.
    throw new UnsupportedMediaType('SVG logos are not accepted (they can carry scripts); upload a PNG, JPEG or WebP instead', { precise: { code: 'logo_svg' } });
  }
  if (!type) throw new UnsupportedMediaType('The logo must be a PNG, JPEG or WebP image', { precise: { code: 'logo_type' } });
  return { hash: createHash('sha256').update(bytes).digest('hex'), type, bytes };
}

/** Keeps a checked logo under its hash (in the caller's transaction). */
export async function insertLogo(trx: Knex, logo: CheckedLogo): Promise<void> {
  await trx('cafe_logos').insert({ hash: logo.hash, contentType: logo.type, bytes: logo.bytes }).onConflict('hash').ignore();
}

export async function readLogo(ctx: AppContext, file: string): Promise<{ hash: string; type: string; bytes: Buffer }> {
  const hash = file.slice(0, 64);
  const row = await ctx.knex('cafe_logos').where({ hash }).first('hash', 'contentType', 'bytes');
  if (!row || logoFile(row.hash as string, row.contentType as LogoType) !== file) throw new NotFound('No such logo', { precise: { code: 'logo_not_found' } });
  return { hash: row.hash as string, type: row.contentType as string, bytes: row.bytes as Buffer };
}
