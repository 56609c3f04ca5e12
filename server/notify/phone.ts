import { z } from '../http/zod';
import { ValidationFailed } from '../errors';
import type { Config } from '../config';

/** E.164 after dropping spaces, dashes, dots and brackets people type: "+44 7700 900123" → "+447700900123". */
export const PhoneNumber = z
  .string('A phone number in international format, like +44 7700 900123')
  .max(32, 'At most 32 characters')
  .transform((value) => value.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use international format with the country code, like +44 7700 900123'))
  .openapi({ example: '+447700900123', description: 'E.164; only when the café sends text messages. Never shown on any screen' });

/** A phone number is personal data: kept only when the café actually sends texts. */
export function requireTextsOn(config: Config, phone: string | null | undefined): void {
  if (phone && !config.notify.sms) {
    throw new ValidationFailed('This café does not send text messages; leave the phone number out', { details: [{ path: 'phone', message: 'Text messages are off here' }], precise: { code: 'texts_off' } });
  }
}
