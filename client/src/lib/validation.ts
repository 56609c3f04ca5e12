// Client-side checks that match the API's limits (docs/API.md#schemas), so a phone user sees the problem
// before a round trip. The server validates again and its details are shown the same way.

import { i18n } from '../i18n';

const t = i18n.global.t;

export type FieldErrors = Record<string, string>;

export interface ReservationFields {
  customerName: string;
  partySize: number | string | null;
  tableNumber: number | string | null;
}

export interface ReservationPayload {
  customerName: string;
  partySize: number;
  tableNumber: number | null;
}

function toInt(value: number | string | null): number | null {
  if (value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value.trim());
  return Number.isInteger(n) ? n : NaN;
}

export function validateReservation(
  fields: ReservationFields,
): { ok: true; value: ReservationPayload } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const customerName = fields.customerName.trim();
  if (customerName.length < 1) errors.customerName = t('validation.name');
  else if (customerName.length > 60) errors.customerName = t('validation.nameLength');

  const partySize = toInt(fields.partySize);
  if (partySize === null || Number.isNaN(partySize) || partySize < 1 || partySize > 20) {
    errors.partySize = t('validation.partySize');
  }

  const tableNumber = toInt(fields.tableNumber);
  if (tableNumber !== null && (Number.isNaN(tableNumber) || tableNumber < 1 || tableNumber > 999)) {
    errors.tableNumber = t('validation.table');
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { customerName, partySize: partySize as number, tableNumber } };
}

export interface GameFields {
  title: string;
  minPlayers: number | string;
  maxPlayers: number | string;
  playMinutes: number | string;
  copies: number | string;
  /** blank: no cap */
  maxQueue: number | string | null;
}

export interface GamePayload {
  title: string;
  minPlayers: number;
  maxPlayers: number;
  playMinutes: number;
  copies: number;
  maxQueue: number | null;
}

export function validateGame(fields: GameFields): { ok: true; value: GamePayload } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const title = fields.title.trim();
  if (!title) errors.title = t('validation.title');
  const minPlayers = toInt(fields.minPlayers);
  const maxPlayers = toInt(fields.maxPlayers);
  const playMinutes = toInt(fields.playMinutes);
  const copies = toInt(fields.copies);
  if (minPlayers === null || Number.isNaN(minPlayers) || minPlayers < 1) errors.minPlayers = t('validation.atLeastOnePlayer');
  if (maxPlayers === null || Number.isNaN(maxPlayers) || maxPlayers < 1) errors.maxPlayers = t('validation.atLeastOnePlayer');
  else if (!errors.minPlayers && (minPlayers as number) > maxPlayers) errors.maxPlayers = t('validation.atLeastMinimum');
  if (playMinutes === null || Number.isNaN(playMinutes) || playMinutes < 1) errors.playMinutes = t('validation.atLeastOneMinute');
  if (copies === null || Number.isNaN(copies) || copies < 0) errors.copies = t('validation.copies');
  const maxQueue = toInt(fields.maxQueue);
  if (maxQueue !== null && (Number.isNaN(maxQueue) || maxQueue < 1 || maxQueue > 999)) errors.maxQueue = t('validation.maxQueue');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      minPlayers: minPlayers as number,
      maxPlayers: maxPlayers as number,
      playMinutes: playMinutes as number,
      copies: copies as number,
      maxQueue,
    },
  };
}
