import type { Ticket } from '../api';

// The ticket as last seen, so the page opened offline (from the service worker's shell) shows
// where the party stood and when, instead of an error.

const key = (code: string) => `meeple-queue:ticket:${code.toUpperCase()}`;

export interface SavedTicket {
  ticket: Ticket;
  savedAt: string;
}

export function saveTicket(ticket: Ticket): void {
  try {
    localStorage.setItem(key(ticket.code), JSON.stringify({ ticket, savedAt: new Date().toISOString() } satisfies SavedTicket));
  } catch {
    // Storage full or disabled: the page works, just not offline.
  }
}

export function loadTicket(code: string): SavedTicket | null {
  try {
    const raw = localStorage.getItem(key(code));
    return raw ? (JSON.parse(raw) as SavedTicket) : null;
  } catch {
    return null;
  }
}
