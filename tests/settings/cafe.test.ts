import { createHash } from 'node:crypto';
import request from 'supertest';
import { cafeTimeZone, readCafeVoice } from '../../server/settings/identity';
import { LOGO_MAX_BYTES } from '../../server/settings/logo';
import { closeAllClients, connect } from '../helpers/sockets';
import { createAccount, signInAs } from '../staff-accounts/accountHelpers';
import { startTestService, type TestService } from '../helpers/testService';
import { solidPng } from '../helpers/png';

interface Cafe {
  name: string;
  logoUrl: string | null;
  accent: string;
  publicUrl: string | null;
  timeZone: string;
  language: string;
  version: number;
}

const ENV = { CAFE_NAME: 'Dice & Slice', PUBLIC_URL: 'https://queue.example.com/', CAFE_TIMEZONE: 'Europe/Berlin', RUN_WORKERS: 'false' };
const VALID = { name: 'The Rolling Meeple', accent: '#7A1F5C', publicUrl: 'https://play.example.org', timeZone: 'America/New_York', language: 'de' };

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(24, 2)]);
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const b64 = (bytes: Buffer) => bytes.toString('base64');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('café identity settings', () => {
  let service: TestService;
  let plainStaff: ReturnType<typeof request.agent>;

  beforeAll(async () => {
    service = await startTestService('cafe', ENV);
    const clerk = await createAccount(service, 'clerk', 'staff');
    const { session } = await signInAs(service, clerk);
    plainStaff = request.agent(service.url).set('Cookie', session);
  });
  afterEach(() => closeAllClients());
  afterAll(() => service?.stop());

  const cafe = async () => (await service.anon.get('/api/cafe').expect(200)).body as Cafe;

  test('until an admin sets anything, every screen gets the environment: CAFE_NAME, PUBLIC_URL, CAFE_TIMEZONE', async () => {
    expect(await cafe()).toEqual({
      name: 'Dice & Slice',
      logoUrl: null,
      accent: '#2348b5',
      publicUrl: 'https://queue.example.com',
      timeZone: 'Europe/Berlin',
      language: 'en',
      version: 0,
    });
    const settings = await service.staff.get('/api/settings/cafe').expect(200);
    expect(settings.body).toMatchObject({ name: null, accent: null, publicUrl: null, timeZone: null, language: 'en', logoUrl: null, updatedBy: null });
    expect(settings.body.defaults).toEqual({ name: 'Dice & Slice', accent: '#2348b5', publicUrl: 'https://queue.example.com', timeZone: 'Europe/Berlin' });
  });

  test.each([
    ['a colour that is not one', { accent: 'blue' }, 'accent', /#2348b5/, {}],
    [
      'an accent white text cannot be read on',
      { accent: '#ffd700' },
      'accent',
      /contrast of 1\.\d\d:1; it must be at least 4\.5:1/,
      // the values a translated sentence needs, beside the English one
      { code: 'accent_contrast', params: { colour: '#ffd700', ratio: expect.closeTo(1.4, 1), min: 4.5 } },
    ],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone', /IANA/, { code: 'unknown_time_zone', params: {} }],
    ['a language we have no words for', { language: 'fr' }, 'language', /./, {}],
    ['an address with a path', { publicUrl: 'https://example.com/queue' }, 'publicUrl', /scheme and host only/, { code: 'public_url', params: {} }],
    ['an address that is not web', { publicUrl: 'ftp://example.com' }, 'publicUrl', /scheme and host only/, { code: 'public_url', params: {} }],
    ['an empty name', { name: '  ' }, 'name', /name/, {}],
  ])('%s is refused with the field and a reason, and changes nothing', async (_story, change, path, message, coded) => {
    const before = await cafe();
    const res = await service.staff.put('/api/settings/cafe').send({ ...VALID, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const detail = (res.body.error.details as Array<{ path: string; message: string; code?: string }>).find((d) => d.path === path);
    expect(detail?.message).toMatch(message);
    if ('code' in coded) expect(detail).toMatchObject(coded);
    else expect(detail?.code).toBeUndefined();
    expect(await cafe()).toEqual(before);
  });

  test('only an admin may change the identity or the logo; plain staff get 403, strangers 401', async () => {
    expect((await plainStaff.get('/api/settings/cafe')).status).toBe(200);
    const forbidden = await plainStaff.put('/api/settings/cafe').send(VALID);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('admin_only');
    expect((await plainStaff.put('/api/settings/cafe/logo').send({ data: b64(PNG) })).status).toBe(403);
    expect((await plainStaff.delete('/api/settings/cafe/logo')).status).toBe(403);
    expect((await service.anon.put('/api/settings/cafe').send(VALID)).status).toBe(401);
    expect((await cafe()).name).toBe('Dice & Slice');
  });

  test('when an admin saves, the setting wins over the environment everywhere: the public read, messages, the hours', async () => {
    const saved = await service.staff.put('/api/settings/cafe').send({ ...VALID, publicUrl: 'https://play.example.org/' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...VALID, accent: '#7a1f5c', updatedBy: 'staff:admin' });
    const now = await cafe();
    expect(now).toMatchObject({ ...VALID, accent: '#7a1f5c', logoUrl: null });
    expect(now.version).toBeGreaterThan(0);
    expect(await readCafeVoice(service.ctx)).toEqual({ name: 'The Rolling Meeple', language: VALID.language });
    expect(await cafeTimeZone(service.ctx)).toBe('America/New_York');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const audit = await service.staff.get('/api/audit').query({ from: day(-2), to: day(2) }).expect(200);
    expect(JSON.stringify(audit.body)).toContain('cafe_identity');

    // null: back to the environment's defaults
    await service.staff.put('/api/settings/cafe').send({ name: null, accent: null, publicUrl: null, timeZone: null, language: 'es' }).expect(200);
    expect(await cafe()).toMatchObject({ name: 'Dice & Slice', accent: '#2348b5', publicUrl: 'https://queue.example.com', timeZone: 'Europe/Berlin', language: 'es' });
  });

  describe('the logo', () => {
    test('a PNG is kept under the hash of its bytes and served with a year of caching, 304 when the browser has it', async () => {
      const res = await service.staff.put('/api/settings/cafe/logo').send({ data: b64(PNG) });
      expect(res.status).toBe(200);
      const url = `/api/cafe/logo/${sha(PNG)}.png`;
      expect(res.body.logoUrl).toBe(url);
      expect((await cafe()).logoUrl).toBe(url);

      const image = await service.anon.get(url).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(image.headers.etag).toBe(`"${sha(PNG)}"`);
      expect(Buffer.compare(image.body as Buffer, PNG)).toBe(0);

      const again = await service.anon.get(url).set('If-None-Match', image.headers.etag!);
      expect(again.status).toBe(304);
      const other = await service.anon.get(url).set('If-None-Match', '"something-else"');
      expect(other.status).toBe(200);
    });

    test('JPEG and WebP are recognised by their bytes; a new logo replaces the old one, whose address is gone', async () => {
      await service.staff.put('/api/settings/cafe/logo').send({ data: b64(PNG) }).expect(200);
      const jpeg = await service.staff.put('/api/settings/cafe/logo').send({ data: b64(JPEG) }).expect(200);
      expect(jpeg.body.logoUrl).toBe(`/api/cafe/logo/${sha(JPEG)}.jpg`);
      expect((await service.anon.get(`/api/cafe/logo/${sha(PNG)}.png`)).status).toBe(404);
      const webp = await service.staff.put('/api/settings/cafe/logo').send({ data: b64(WEBP) }).expect(200);
      expect(webp.body.logoUrl).toBe(`/api/cafe/logo/${sha(WEBP)}.webp`);
      const served = await service.anon.get(webp.body.logoUrl as string);
      expect(served.headers['content-type']).toBe('image/webp');
      // the right hash under the wrong extension is not an address we gave out
      expect((await service.anon.get(`/api/cafe/logo/${sha(WEBP)}.png`)).status).toBe(404);
      expect((await service.anon.get('/api/cafe/logo/..%2Fsecrets')).status).toBe(400);
    });

    test.each([
      ['an SVG (it can carry scripts)', SVG, 415, 'logo_svg', {}, /SVG/],
      ['a text file', Buffer.from('just some words, not a picture'), 415, 'logo_type', {}, /PNG, JPEG or WebP/],
      ['a PNG over 256 KiB', Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)]), 413, 'logo_too_large', { kib: 257, maxKib: 256 }, /at most 256 KiB/],
    ])('%s is refused and the logo stays', async (_story, bytes, status, code, params, message) => {
      const before = (await cafe()).logoUrl;
      expect(before).not.toBeNull();
      const res = await service.staff.put('/api/settings/cafe/logo').send({ data: b64(bytes) });
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, params });
      expect(res.body.error.message).toMatch(message);
      expect((await cafe()).logoUrl).toBe(before);
    });

    test('a body that is not base64 is a 400; removing the logo leaves none', async () => {
      const res = await service.staff.put('/api/settings/cafe/logo').send({ data: 'data:image/png;base64,AAAA' });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('data');
      const removed = await service.staff.delete('/api/settings/cafe/logo').expect(200);
      expect(removed.body.logoUrl).toBeNull();
      expect((await cafe()).logoUrl).toBeNull();
    });
  });

  test('the opening hours are read in the café’s time zone: the setting’s, else CAFE_TIMEZONE', async () => {
    // Open one hour a day, starting at this hour on Kiritimati's clock (UTC+14): in Berlin
    // (UTC+1 or +2) that hour is 12 or 13 hours away, so the queue is closed there.
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Pacific/Kiritimati', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const day = { open: at(hour), close: at(hour + 1), lastJoin: null };
    const days = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, day]));
    await service.staff.put('/api/settings/opening-hours').send({ enabled: true, days, closedMessage: 'Closed now.' }).expect(200);
    try {
      await service.staff.put('/api/settings/cafe').send({ ...VALID, timeZone: null }).expect(200);
      expect((await service.anon.get('/api/queue-status')).body.open).toBe(false);
      await service.staff.put('/api/settings/cafe').send({ ...VALID, timeZone: 'Pacific/Kiritimati' }).expect(200);
      expect((await service.anon.get('/api/queue-status')).body.open).toBe(true);
    } finally {
      await service.staff.put('/api/settings/opening-hours').send({ enabled: false, days, closedMessage: 'Closed now.' }).expect(200);
    }
  });

  test('a screen connected to /cafe gets the identity at once and every change after, newest version last', async () => {
    const screen = connect(service.url, '/cafe');
    const first = await screen.waitFor<Cafe>('cafe');
    expect(first.name).toBe((await cafe()).name);
    await service.staff.put('/api/settings/cafe').send({ ...VALID, name: 'Live Meeples', accent: '#005f5f' }).expect(200);
    const changed = await screen.waitFor<Cafe>('cafe', (c) => c.name === 'Live Meeples');
    expect(changed.accent).toBe('#005f5f');
    expect(changed.version).toBeGreaterThan(first.version);
  });

  describe('the web app manifest (the installable ticket)', () => {
    const manifest = () => service.anon.get('/manifest.webmanifest');
    const json = (res: request.Response) => JSON.parse(res.text) as Record<string, unknown> & { icons: Array<Record<string, string>> };

    test('after a rename it carries the café’s name, a short form for under the icon, and its accent', async () => {
      await service.staff.put('/api/settings/cafe').send({ ...VALID, name: 'Dice & Slice Board Game Café', accent: '#7A1F5C', language: 'es' }).expect(200);
      const res = await manifest();
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
      expect(json(res)).toEqual({
        name: 'Dice & Slice Board Game Café',
        short_name: 'Dice & Slice',
        description: 'Your place in the board game queue',
        lang: 'es',
        start_url: '/join',
        scope: '/',
        display: 'standalone',
        background_color: '#f5f3ee',
        theme_color: '#7a1f5c',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      });
      await service.staff.put('/api/settings/cafe').send({ ...VALID, name: 'Würfel', accent: null }).expect(200);
      expect(json(await manifest())).toMatchObject({ name: 'Würfel', short_name: 'Würfel', theme_color: '#2348b5' });
    });

    test('is revalidated on every use: no-cache with an ETag, 304 while the café is unchanged, 200 with the new name once renamed', async () => {
      await service.staff.put('/api/settings/cafe').send({ ...VALID, name: 'Before' }).expect(200);
      const first = await manifest();
      expect(first.headers['cache-control']).toBe('no-cache');
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^W\/".+"$/);
      expect((await manifest().set('If-None-Match', etag)).status).toBe(304);
      await service.staff.put('/api/settings/cafe').send({ ...VALID, name: 'After' }).expect(200);
      const renamed = await manifest().set('If-None-Match', etag);
      expect(renamed.status).toBe(200);
      expect(json(renamed).name).toBe('After');
      expect(renamed.headers.etag).not.toBe(etag);
    });

    test('a square PNG logo of 192 px or more is the icon, with the size read from the image; any other logo keeps the app’s icons', async () => {
      const square = solidPng(256, 256);
      await service.staff.put('/api/settings/cafe/logo').send({ data: b64(square) }).expect(200);
      const src = `/api/cafe/logo/${sha(square)}.png`;
      expect(json(await manifest()).icons).toEqual([{ src, sizes: '256x256', type: 'image/png', purpose: 'any' }]);
      expect((await service.anon.get(src)).status).toBe(200);

      for (const other of [solidPng(300, 100), solidPng(64, 64), JPEG]) {
        await service.staff.put('/api/settings/cafe/logo').send({ data: b64(other) }).expect(200);
        expect(json(await manifest()).icons.map((i) => i.src)).toEqual(['/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-512.png']);
      }
      await service.staff.delete('/api/settings/cafe/logo').expect(200);
    });
  });
});

describe('café identity with two app instances', () => {
  let first: TestService;
  let second: TestService;
  beforeAll(async () => {
    first = await startTestService('cafe2', ENV);
    second = await startTestService('cafe2', ENV, first.name);
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await second?.stop({ keepData: true });
    await first?.stop();
  });

  test('a change saved on one instance reaches the screens connected to the other', async () => {
    const screen = connect(second.url, '/cafe');
    await screen.waitFor<Cafe>('cafe');
    await first.staff.put('/api/settings/cafe').send({ ...VALID, name: 'Across Instances' }).expect(200);
    const seen = await screen.waitFor<Cafe>('cafe', (c) => c.name === 'Across Instances');
    expect(seen.accent).toBe('#7a1f5c');
  });
});
