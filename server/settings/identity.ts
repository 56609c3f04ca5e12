import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { z } from '../http/zod';
import { recordAudit } from '../audit/log';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages';
import { CafeSettingsBody } from './schemas';
import { defineSetting, forgetSetting, readSetting, readSettingForUpdate, writeSetting, type StoredSetting } from './store';
import { LOGO_TYPES, checkLogo, insertLogo, logoFile, type LogoType } from './logo';

/** The accent the screens use until an admin picks another (client/src/styles.css has it too). */
export const DEFAULT_ACCENT = '#2348b5';

const StoredLogo = z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), type: z.enum(LOGO_TYPES) });

/**
 * The café's identity, a key of the settings store. `null` fields fall back to the
 * environment (CAFE_NAME, PUBLIC_URL, CAFE_TIMEZONE) or the built-in accent, so a café that
 * never opens the settings screen runs exactly as configured.
 */
export interface CafeIdentity {
  name: string | null;
  accent: string | null;
  publicUrl: string | null;
  timeZone: string | null;
  language: Language;
  logo: { hash: string; type: LogoType } | null;
}

const StoredIdentity = CafeSettingsBody.extend({ logo: StoredLogo.nullable() });

export const CAFE_IDENTITY = defineSetting<CafeIdentity>('cafe_identity', StoredIdentity, {
  name: null,
  accent: null,
  publicUrl: null,
  timeZone: null,
  language: DEFAULT_LANGUAGE,
  logo: null,
});

export type CafeSettingsInput = Omit<CafeIdentity, 'logo'>;

/** What every screen shows: the settings with the environment's defaults filled in. */
export interface Cafe {
  name: string;
  logoUrl: string | null;
  accent: string;
  publicUrl: string | null;
  timeZone: string;
  language: Language;
  version: number;
}

export function readIdentity(ctx: Pick<AppContext, 'knex'>): Promise<StoredSetting<CafeIdentity>> {
  return readSetting(ctx.knex, CAFE_IDENTITY);
}

export const logoUrl = (logo: CafeIdentity['logo']) => (logo ? `/api/cafe/logo/${logoFile(logo.hash, logo.type)}` : null);

export function defaults(ctx: Pick<AppContext, 'config'>) {
  return { name: ctx.config.notify.cafeName, accent: DEFAULT_ACCENT, publicUrl: ctx.config.publicUrl, timeZone: ctx.config.timeZone };
}

export function resolveCafe(ctx: Pick<AppContext, 'config'>, stored: StoredSetting<CafeIdentity>): Cafe {
  const { value } = stored;
  const fallback = defaults(ctx);
  return {
    name: value.name ?? fallback.name,
    logoUrl: logoUrl(value.logo),
    accent: value.accent ?? fallback.accent,
    publicUrl: value.publicUrl ?? fallback.publicUrl,
    timeZone: value.timeZone ?? fallback.timeZone,
    language: value.language,
    // updated_at has milliseconds and moves with every save: screens keep the newest.
    version: stored.updatedAt?.getTime() ?? 0,
  };
}

export async function readCafe(ctx: Pick<AppContext, 'knex' | 'config'>): Promise<Cafe> {
  return resolveCafe(ctx, await readIdentity(ctx));
}

/**
 * The one door for every change of the identity, logo included: lock, change, save, record who
 * did it, and once committed tell the screens (the realtime layer sends the new identity to
 * every screen of every instance). `alongside` writes in the same transaction (a new logo).
 */
async function saveIdentity(
  ctx: AppContext,
  change: (current: CafeIdentity) => CafeIdentity,
  actor: string,
  what: string,
  alongside?: (trx: Knex) => Promise<void>,
): Promise<void> {
  await ctx.knex.transaction(async (trx) => {
    await alongside?.(trx);
    // Read under a lock so a logo upload and a settings save at once do not undo each other.
    const current = await readSettingForUpdate(trx, CAFE_IDENTITY);
    const next = change(current);
    await writeSetting(trx, CAFE_IDENTITY, next, actor);
    if (current.logo && current.logo.hash !== next.logo?.hash) await trx('cafe_logos').where({ hash: current.logo.hash }).delete();
    await recordAudit(trx, { actor, type: 'settings_changed', subject: CAFE_IDENTITY.key, details: { changed: what } });
  });
  forgetSetting(ctx.knex, CAFE_IDENTITY);
  ctx.notifier.cafeChanged();
}

export function saveCafeSettings(ctx: AppContext, input: CafeSettingsInput, actor: string): Promise<void> {
  const settings: CafeSettingsInput = {
    ...input,
    accent: input.accent?.toLowerCase() ?? null,
    publicUrl: input.publicUrl?.replace(/\/$/, '') ?? null,
  };
  return saveIdentity(ctx, (current) => ({ ...settings, logo: current.logo }), actor, 'identity');
}

/** A new logo (checked by its bytes) replaces the old one, which is deleted. */
export async function saveLogo(ctx: AppContext, base64: string, actor: string): Promise<void> {
  const logo = checkLogo(base64);
  await saveIdentity(ctx, (current) => ({ ...current, logo: { hash: logo.hash, type: logo.type } }), actor, 'logo', (trx) => insertLogo(trx, logo));
}

export function removeLogo(ctx: AppContext, actor: string): Promise<void> {
  return saveIdentity(ctx, (current) => ({ ...current, logo: null }), actor, 'logo');
}

/** How the café speaks in a party's messages: its name, and its default language for parties that chose none. */
export async function readCafeVoice(ctx: AppContext): Promise<{ name: string; language: Language }> {
  const { name, language } = await readCafe(ctx);
  return { name, language };
}

/** The café's time zone (opening hours, "today", exports): the setting, else CAFE_TIMEZONE. */
export async function cafeTimeZone(ctx: Pick<AppContext, 'knex' | 'config'>): Promise<string> {
  return (await readCafe(ctx)).timeZone;
}
