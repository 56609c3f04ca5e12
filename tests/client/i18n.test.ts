// The catalogues (client/src/i18n) against the client's sources: every key the screens use
// exists in English, German and Spanish; the three have the same keys; no template carries
// words outside them; every error code the server can send has a sentence in each language.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseSfc } from '@vue/compiler-sfc';
import { NodeTypes, type ElementNode, type TemplateChildNode } from '@vue/compiler-core';
import en from '../../client/src/i18n/en';
import de from '../../client/src/i18n/de';
import es from '../../client/src/i18n/es';
import { setDefaultLocale } from '../../client/src/i18n';
import { ApiError, errorMessage, fieldErrors, formErrors, GENERAL_CODES, toApiError } from '../../client/src/api/error';
import { ERROR_CODES, ERROR_CODE_LIST, FIELD_CODES, FIELD_CODE_LIST } from '../../server/errors';

const ROOT = join(__dirname, '../../client/src');
const catalogues = { en, de, es } as Record<string, object>;

function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value as object, path)) out.set(k, v);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' || entry.name === 'i18n' ? [] : sources(path);
    return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const keys = Object.fromEntries(Object.entries(catalogues).map(([lang, tree]) => [lang, flatten(tree)]));
const files = sources(ROOT).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

/** Keys used literally: t('a.b'), $t("a.b"), keypath="a.b"; and prefixes of built ones: t(`status.${s}`). */
function usedKeys(): { literal: Array<{ file: string; key: string }>; prefixes: Array<{ file: string; prefix: string }> } {
  const literal: Array<{ file: string; key: string }> = [];
  const prefixes: Array<{ file: string; prefix: string }> = [];
  for (const { path, text } of files) {
    for (const m of text.matchAll(/(?<![\w.])\$?t\(\s*(['"])([\w.-]+)\1/g)) literal.push({ file: path, key: m[2]! });
    for (const m of text.matchAll(/keypath="([\w.-]+)"/g)) literal.push({ file: path, key: m[1]! });
    for (const m of text.matchAll(/(?<![\w.])\$?t\(\s*`([\w.-]+)\.\$\{/g)) prefixes.push({ file: path, prefix: m[1]! });
  }
  return { literal, prefixes };
}

describe('the catalogues', () => {
  it('German and Spanish have exactly the keys English has', () => {
    const english = [...keys.en!.keys()].sort();
    expect([...keys.de!.keys()].sort()).toEqual(english);
    expect([...keys.es!.keys()].sort()).toEqual(english);
  });

  it('no message is empty, and the placeholders of each match English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, english] of keys.en!) {
      for (const lang of ['en', 'de', 'es']) {
        const text = keys[lang]!.get(key) ?? '';
        expect({ lang, key, empty: text.trim() === '' }).toEqual({ lang, key, empty: false });
        // Plural messages ("one | {n} many") may leave the count out of a form.
        const forms = (s: string) => new Set(s.split('|').flatMap(placeholders));
        expect({ lang, key, placeholders: [...forms(text)].sort() }).toEqual({ lang, key, placeholders: [...forms(english)].sort() });
      }
    }
  });

  it('every key the client uses exists in all three', () => {
    const { literal, prefixes } = usedKeys();
    expect(literal.length).toBeGreaterThan(200);
    const missing = literal.flatMap(({ file, key }) =>
      Object.keys(catalogues).filter((lang) => !keys[lang]!.has(key)).map((lang) => `${lang}: ${key} (${file})`),
    );
    expect(missing).toEqual([]);
    const missingPrefixes = prefixes.flatMap(({ file, prefix }) =>
      Object.keys(catalogues).filter((lang) => ![...keys[lang]!.keys()].some((k) => k.startsWith(`${prefix}.`))).map((lang) => `${lang}: ${prefix}.* (${file})`),
    );
    expect(missingPrefixes).toEqual([]);
  });
});

// Words a template may show as they are: the product's name and symbols.
const ALLOWED_TEXT = new Set(['Meeple Queue']);
const TEXT_ATTRIBUTES = ['title', 'aria-label', 'placeholder', 'alt', 'label', 'confirm-label', 'cancel-label', 'error', 'aria-description'];
const hasWords = (text: string) => /\p{L}{2,}/u.test(text) && !ALLOWED_TEXT.has(text.trim());

/**
 * Words inside an expression: a quoted string or a template literal's fixed part that reads as
 * prose (a space, or a capital then small letters). Keys ('join.title') and values such as
 * 'waiting' pass.
 */
function proseInExpression(expression: string): string[] {
  const literals = [...expression.matchAll(/'([^']*)'|"([^"]*)"|`([^`]*)`/g)].flatMap((m) =>
    m[3] !== undefined ? m[3].split(/\$\{[^}]*\}/) : [(m[1] ?? m[2])!],
  );
  return literals.filter((text) => /\p{L}{2,}/u.test(text) && (/\p{L}\s+\p{L}/u.test(text) || /^\p{Lu}\p{Ll}/u.test(text)) && !ALLOWED_TEXT.has(text.trim()));
}

function hardCoded(nodes: TemplateChildNode[], out: string[]): void {
  for (const node of nodes) {
    if (node.type === NodeTypes.TEXT && hasWords(node.content)) out.push(`text "${node.content.trim()}"`);
    if (node.type === NodeTypes.INTERPOLATION && node.content.type === NodeTypes.SIMPLE_EXPRESSION) {
      for (const prose of proseInExpression(node.content.content)) out.push(`{{ "${prose}" }}`);
    }
    if (node.type === NodeTypes.ELEMENT) {
      const element = node as ElementNode;
      for (const prop of element.props) {
        if (prop.type === NodeTypes.ATTRIBUTE && TEXT_ATTRIBUTES.includes(prop.name) && prop.value && hasWords(prop.value.content)) {
          out.push(`${element.tag} ${prop.name}="${prop.value.content}"`);
        }
        const bound = prop.type === NodeTypes.DIRECTIVE && prop.name === 'bind' && prop.arg?.type === NodeTypes.SIMPLE_EXPRESSION ? prop.arg.content : null;
        if (bound && TEXT_ATTRIBUTES.includes(bound) && prop.type === NodeTypes.DIRECTIVE && prop.exp?.type === NodeTypes.SIMPLE_EXPRESSION) {
          for (const prose of proseInExpression(prop.exp.content)) out.push(`${element.tag} :${bound}="…${prose}…"`);
        }
      }
      hardCoded(element.children, out);
    }
    if (node.type === NodeTypes.IF) for (const branch of node.branches) hardCoded(branch.children, out);
    if (node.type === NodeTypes.FOR) hardCoded(node.children, out);
  }
}

describe('the templates', () => {
  it('carry no words of their own: every text and label comes from the catalogues', () => {
    const found: string[] = [];
    for (const { path, text } of files.filter((f) => f.path.endsWith('.vue'))) {
      const template = parseSfc(text, { filename: path }).descriptor.template;
      if (!template?.ast) continue;
      const out: string[] = [];
      hardCoded(template.ast.children, out);
      found.push(...out.map((o) => `${path}: ${o}`));
    }
    expect(found).toEqual([]);
  });

  it('the check finds words when there are some', () => {
    const { descriptor } = parseSfc(
      '<template><p title="Hello there">Hello <b>{{ x ? \'Yes please\' : t(\'a.b\') }}</b> world<i :aria-label="`Edit ${x}`" :class="`row-${x}`" /></p></template>',
    );
    const out: string[] = [];
    hardCoded(descriptor.template!.ast!.children, out);
    expect(out).toEqual(['p title="Hello there"', 'text "Hello"', '{{ "Yes please" }}', 'text "world"', 'i :aria-label="…Edit …"']);
  });
});

describe('error codes', () => {
  // Every code an error body can carry (server/errors.ts, the one list the handler and the
  // OpenAPI document follow), every field code a validation detail can carry, and the client's
  // own: ApiError(…, 'busy' | 'bad_response' …) and toApiError's fallbacks.
  const clientCodes = [...new Set(files.flatMap(({ text }) => [...text.matchAll(/new ApiError\([^,]+, '(\w+)'/g)].map((m) => m[1]!)))];
  const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
  const withParams: Array<[string, readonly string[]]> = [
    ...ERROR_CODE_LIST.map((code): [string, readonly string[]] => [code, ERROR_CODES[code].params]),
    ...FIELD_CODE_LIST.map((code): [string, readonly string[]] => [code, FIELD_CODES[code].params]),
  ];

  it('finds the codes the server sends', () => {
    expect(ERROR_CODE_LIST).toEqual(
      expect.arrayContaining(['validation_failed', 'not_found', 'conflict', 'rate_limited', 'unavailable', 'internal', 'already_in_queue', 'cross_site', 'queue_closed', 'no_free_copy', 'illegal_move']),
    );
    expect(FIELD_CODE_LIST).toEqual(expect.arrayContaining(['accent_contrast', 'unknown_time_zone']));
  });

  it('the client treats as general exactly the codes the server marks general', () => {
    expect([...GENERAL_CODES].sort()).toEqual(ERROR_CODE_LIST.filter((code) => 'general' in ERROR_CODES[code]).sort());
  });

  it('every code the server or the client can produce has a sentence in each language', () => {
    const missing = [...withParams.map(([code]) => code), ...clientCodes, 'error'].flatMap((code) =>
      Object.keys(catalogues).filter((lang) => !keys[lang]!.has(`errors.${code}`)).map((lang) => `${lang}: errors.${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('each sentence uses exactly the params the server sends with its code, in every language', () => {
    const wrong = withParams.flatMap(([code, params]) =>
      Object.keys(catalogues)
        .map((lang) => ({ lang, code, placeholders: placeholders(keys[lang]!.get(`errors.${code}`) ?? ''), params: [...params].sort() }))
        .filter((c) => c.placeholders.join() !== c.params.join()),
    );
    expect(wrong).toEqual([]);
  });
});

describe('an API error on screen', () => {
  afterEach(() => setDefaultLocale('en'));

  it('is translated by its code; English keeps the server sentence; an unknown code falls back to the server message', async () => {
    const full = new ApiError(409, 'conflict', 'Already called from another device');
    const strange = new ApiError(418, 'teapot', 'I am a teapot');
    expect(errorMessage(full)).toBe('Already called from another device');
    await setDefaultLocale('de');
    expect(errorMessage(full)).toBe(de.errors.conflict);
    expect(errorMessage(strange)).toBe('I am a teapot');
    expect(errorMessage(toApiError(503, '<html>Bad gateway</html>'))).toBe(de.errors.unavailable);
    await setDefaultLocale('es');
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(es.errors.network);
  });

  it('a precise code is said with its params in every language, English included', async () => {
    const body = (code: string, params: object, message = 'the server’s English') => ({ error: { code, message, params, details: [] } });
    const noCopy = toApiError(409, body('no_free_copy', { title: 'Catan', copies: 2 }));
    expect(errorMessage(noCopy)).toBe('Every copy of “Catan” is in use (2 of 2).');
    await setDefaultLocale('de');
    expect(errorMessage(noCopy)).toBe('Alle Exemplare von „Catan“ sind gerade im Spiel (2 von 2).');
    // A status and a move in the catalogue's words, a number in the language's digits.
    expect(errorMessage(toApiError(409, body('illegal_move', { move: 'no_show', status: 'seated' })))).toBe('„Nicht da (nicht erschienen)“ geht gerade nicht: Diese Gruppe hat den Status „Am Tisch“.');
    expect(errorMessage(toApiError(409, body('illegal_move', { move: 'wrap_up', status: 'waiting' })))).toBe('„Letzte Runde“ geht gerade nicht: Diese Gruppe hat den Status „Wartet“.');
    const contrast = toApiError(400, {
      error: {
        code: 'validation_failed',
        message: 'The request body is not valid',
        params: {},
        details: [{ path: 'accent', message: 'White text on #f5b942 …', code: 'accent_contrast', params: { colour: '#f5b942', ratio: 1.87, min: 4.5 } }],
      },
    });
    expect(fieldErrors(contrast).accent).toBe('Weiße Schrift auf #f5b942 hat nur einen Kontrast von 1,87:1; gut lesbar wird sie erst ab 4,5:1. Nimm eine dunklere Farbe.');
    // A precise refusal about one field is said beside that field.
    const tooMany = toApiError(400, {
      error: { code: 'party_too_large', message: '…', params: { title: 'Catan', max: 4 }, details: [{ path: 'partySize', message: 'At most 4 for Catan' }] },
    });
    expect(formErrors(tooMany, ['partySize'])).toEqual({ fields: { partySize: '„Catan“ ist für höchstens 4 Personen. Teilt euch in zwei Gruppen auf oder wählt ein anderes Spiel.' }, message: null });
    await setDefaultLocale('es');
    expect(errorMessage(toApiError(429, body('too_many_joins', { seconds: 42, limit: 3 })))).toBe(
      'Demasiadas inscripciones desde aquí (como máximo 3 por minuto). Vuelve a intentarlo dentro de 42 s.',
    );
    // A body without params (an older server) still gives the sentence, not the placeholders' names.
    expect(errorMessage(toApiError(409, { error: { code: 'cannot_delete_self', message: 'x', details: [] } }))).toBe(es.errors.cannot_delete_self);
  });
});
