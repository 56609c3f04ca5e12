import { z } from './zod';
import { ERROR_CODES, ERROR_CODE_LIST, FIELD_CODES, FIELD_CODE_LIST } from '../errors';

const paramsCell = (params: readonly string[]) => (params.length ? params.map((p) => `\`${p}\``).join(', ') : '—');

/** The codes as a table (code, status, params, when), in the document and so in docs/API.md. */
const errorCodeTable = [
  'What went wrong, precisely enough for a client to say it in its own words; the sentence’s values are in `params`.',
  '',
  '| `code` | status | `params` | when |',
  '| --- | --- | --- | --- |',
  ...ERROR_CODE_LIST.map((code) => {
    const rule = ERROR_CODES[code];
    return `| \`${code}\` | ${rule.status} | ${paramsCell(rule.params)} | ${rule.when} |`;
  }),
].join('\n');

const fieldCodeTable = [
  'A field refusal a form says in its own words (`details[].code`); the other details carry only a message.',
  '',
  '| `code` | `params` | when |',
  '| --- | --- | --- |',
  ...FIELD_CODE_LIST.map((code) => `| \`${code}\` | ${paramsCell(FIELD_CODES[code].params)} | ${FIELD_CODES[code].when} |`),
].join('\n');

export const ErrorCodeSchema = z.enum(ERROR_CODE_LIST as [string, ...string[]]).openapi('ErrorCode', { description: errorCodeTable });
export const FieldCodeSchema = z.enum(FIELD_CODE_LIST as [string, ...string[]]).openapi('FieldCode', { description: fieldCodeTable });

const params = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .openapi({ description: 'The values the sentence for `code` needs, by name (see ErrorCode); empty for a code without any', example: { title: 'Catan', copies: 2 } });

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string().openapi({ description: 'The same in English, for API users and logs' }),
      params,
      details: z.array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: FieldCodeSchema.optional(),
          params: params.optional(),
        }),
      ),
    }),
  })
  .openapi('Error');

export const IdParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647).openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const isoDate = z.string().openapi({ format: 'date-time', example: '2026-11-22T19:30:00.000Z' });
