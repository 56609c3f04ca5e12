// The language a party picks on /join: kept on the reservation, on its ticket, and used for its
// text messages (English from MESSAGE_CALLED / MESSAGE_ALMOST, German and Spanish built in);
// a party that picked none gets the café's default language (the café identity setting).
import { act, createGame } from '../helpers/api';
import { LoopbackGateway } from '../helpers/gatewayReceiver';
import { eventually, startTestService, type TestService } from '../helpers/testService';

jest.setTimeout(90_000);

describe('a party joining in its own language', () => {
  const gateway = new LoopbackGateway();
  let service: TestService;

  beforeAll(async () => {
    await gateway.start();
    service = await startTestService('language', {
      CAFE_NAME: 'Dice & Slice',
      SMS_PROVIDER: 'twilio',
      TWILIO_API_URL: gateway.url,
      TWILIO_ACCOUNT_SID: 'AC0123456789abcdef',
      TWILIO_AUTH_TOKEN: 'twilio-test-token-123',
      TWILIO_FROM: '+15005550006',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await gateway.stop();
  });

  it('when a party joins in German and another in Spanish, their tickets say so and their texts come in their language', async () => {
    const game = await createGame(service, { title: 'Wingspan', autoAdvance: false });
    const join = (customerName: string, phone: string, language?: string) =>
      service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName, phone, ...(language ? { language } : {}) });
    const de = await join('Dana Deutsch', '+44 7700 900111', 'de');
    const es = await join('Eva España', '+44 7700 900222', 'es');
    const none = await join('Nico None', '+44 7700 900333');
    expect([de.status, es.status, none.status]).toEqual([201, 201, 201]);
    expect([de.body.language, es.body.language, none.body.language]).toEqual(['de', 'es', null]);

    const ticket = await service.anon.get(`/api/tickets/${de.body.code}`);
    expect(ticket.body.language).toBe('de');

    expect((await act(service, de.body.id, 'call')).status).toBe(200);
    await eventually(() => gateway.requests.length === 3);
    const bodies = Object.fromEntries(gateway.requests.map((r) => new URLSearchParams(r.body)).map((f) => [f.get('To'), f.get('Body')]));
    expect(bodies).toEqual({
      '+447700900111': `Dice & Slice: Wingspan ist bereit! Zeig dein Ticket ${de.body.code} innerhalb von 5 Minuten an der Theke.`,
      '+447700900222': `Dice & Slice: ya casi te toca con Wingspan (ticket ${es.body.code}). Vuelve a la cafetería, por favor.`,
      '+447700900333': `Dice & Slice: almost your turn for Wingspan (ticket ${none.body.code}). Please head back to the café.`,
    });
  });

  it('when the café’s default language is Spanish, a party that chose none gets Spanish texts; one that chose English keeps English', async () => {
    const identity = { name: null, accent: null, publicUrl: null, timeZone: null, language: 'es' };
    expect((await service.staff.put('/api/settings/cafe').send(identity)).status).toBe(200);
    try {
      const game = await createGame(service, { title: 'Cascadia', autoAdvance: false });
      const join = (customerName: string, phone: string, language?: string) =>
        service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName, phone, ...(language ? { language } : {}) });
      const none = await join('Nora Nadie', '+44 7700 900444');
      const en = await join('Ella English', '+44 7700 900555', 'en');
      expect([none.status, en.status]).toEqual([201, 201]);
      // Nothing chosen is kept as nothing: a later change of the café's default applies to it.
      expect(none.body.language).toBeNull();

      const before = gateway.requests.length;
      expect((await act(service, none.body.id, 'call')).status).toBe(200);
      await eventually(() => gateway.requests.length === before + 2);
      const bodies = Object.fromEntries(gateway.requests.slice(before).map((r) => new URLSearchParams(r.body)).map((f) => [f.get('To'), f.get('Body')]));
      expect(bodies).toEqual({
        '+447700900444': `Dice & Slice: ¡Cascadia ya está listo! Enseña tu ticket ${none.body.code} en la barra en menos de 5 minutos.`,
        '+447700900555': `Dice & Slice: almost your turn for Cascadia (ticket ${en.body.code}). Please head back to the café.`,
      });
    } finally {
      await service.staff.put('/api/settings/cafe').send({ ...identity, language: 'en' });
    }
  });

  it('when the language is not one the café speaks, the join is refused with a clear error and nobody is queued', async () => {
    const game = await createGame(service, { title: 'Azul', autoAdvance: false });
    for (const language of ['fr', 'EN', '', 7, null]) {
      const res = await service.anon.post(`/api/games/${game.id}/reservations`).send({ customerName: 'Franz Fremd', language });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'language' })]);
    }
    const queue = await service.staff.get('/api/reservations').query({ gameId: game.id });
    expect(queue.body).toEqual([]);
  });
});
