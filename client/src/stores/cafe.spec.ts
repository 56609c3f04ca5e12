import { afterEach, describe, expect, test } from '@jest/globals';
import { flushPromises } from '@vue/test-utils';
import { useCafe, DEFAULT_CAFE } from './cafe';
import { deferred, fakeApi } from '../testing/fakeApi';
import { socketOn } from '../testing/fakeSocket';
import type { Cafe } from '../api';
import { currentLocale, setLocale } from '../i18n';
import { formatDateTime, formatTime } from '../lib/format';

const saved = (change: Partial<Cafe>): Cafe => ({ ...DEFAULT_CAFE, name: 'Dice & Slice', accent: '#7a1f5c', version: 1000, ...change });

afterEach(() => useCafe().stop());

describe('the café store', () => {
  test('before anything arrives the screens show the app’s own name and blue, and the QR code the address this screen opened', () => {
    const cafe = useCafe();
    expect(cafe.name).toBe('Meeple Queue');
    expect(cafe.accent).toBe('#2348b5');
    expect(cafe.ready).toBe(false);
    expect(cafe.joinUrl).toBe(`${location.origin}/join`);
  });

  test('the HTTP answer fills it; a newer identity on /cafe replaces it; an older one is ignored', async () => {
    fakeApi({ 'GET /api/cafe': { status: 200, body: saved({}) } });
    const cafe = useCafe();
    cafe.start();
    await flushPromises();
    expect(cafe.name).toBe('Dice & Slice');
    const socket = socketOn('/cafe');
    socket.receive('cafe', saved({ name: 'Die Würfelbude', publicUrl: 'https://spiele.example.de', language: 'de', version: 2000 }));
    expect(cafe.name).toBe('Die Würfelbude');
    expect(cafe.language).toBe('de');
    expect(cafe.joinUrl).toBe('https://spiele.example.de/join');
    socket.receive('cafe', saved({ name: 'Stale', version: 1500 }));
    expect(cafe.name).toBe('Die Würfelbude');
  });

  test('a late HTTP answer does not undo what the socket already said', async () => {
    const late = deferred();
    fakeApi({ 'GET /api/cafe': late.answer });
    const cafe = useCafe();
    cafe.start();
    socketOn('/cafe').receive('cafe', saved({ name: 'From the socket', version: 3000 }));
    late.release({ status: 200, body: saved({ name: 'From HTTP', version: 1000 }) });
    await flushPromises();
    expect(cafe.name).toBe('From the socket');
  });

  test('screens where nobody chose a language follow the café’s default: when it arrives and when an admin changes it', async () => {
    fakeApi({ 'GET /api/cafe': { status: 200, body: saved({ language: 'de' }) } });
    const cafe = useCafe();
    cafe.start();
    await flushPromises();
    expect(currentLocale()).toBe('de');
    socketOn('/cafe').receive('cafe', saved({ language: 'es', version: 2000 }));
    await flushPromises();
    expect(currentLocale()).toBe('es');
  });

  test('a language chosen on this device wins over the café’s default', async () => {
    await setLocale('de');
    fakeApi({ 'GET /api/cafe': { status: 200, body: saved({ language: 'es' }) } });
    useCafe().start();
    await flushPromises();
    expect(currentLocale()).toBe('de');
  });

  test('every time of day is shown in the café’s zone, not the device’s, and follows an admin’s change', async () => {
    // 10:05 UTC: 00:05 the next day on Kiritimati (UTC+14), 05:05 in New York; the device (Jest) is neither.
    const at = '2026-11-30T10:05:00.000Z';
    const device = formatTime(at);
    fakeApi({ 'GET /api/cafe': { status: 200, body: saved({ timeZone: 'Pacific/Kiritimati' }) } });
    const cafe = useCafe();
    cafe.start();
    await flushPromises();
    expect(formatTime(at)).toBe('12:05 AM');
    expect(formatDateTime(at)).toBe('Dec 1, 2026, 12:05 AM');
    const socket = socketOn('/cafe');
    socket.receive('cafe', saved({ timeZone: 'America/New_York', version: 2000 }));
    await flushPromises();
    expect(formatTime(at)).toBe('05:05 AM');
    // A zone this browser's Intl does not know: the device's, rather than no times at all.
    socket.receive('cafe', saved({ timeZone: 'Mars/Olympus_Mons', version: 3000 }));
    await flushPromises();
    expect(formatTime(at)).toBe(device);
  });

  test('with no answer from the server (a ticket opened offline), times use the café’s zone this device last heard', async () => {
    const at = '2026-11-30T10:05:00.000Z';
    fakeApi({ 'GET /api/cafe': { status: 200, body: saved({ timeZone: 'Pacific/Kiritimati' }) } });
    const online = useCafe();
    online.start();
    await flushPromises();
    online.stop();

    const never = deferred();
    fakeApi({ 'GET /api/cafe': never.answer });
    useCafe().start();
    await flushPromises();
    expect(formatTime(at)).toBe('12:05 AM');
  });
});
