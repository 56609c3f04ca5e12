// The cancel secret is only ever returned when joining, so the phone that joined keeps it.

const key = (code: string) => `meeple-queue:secret:${code.toUpperCase()}`;

export function saveSecret(code: string, secret: string): void {
  localStorage.setItem(key(code), secret);
}

export function loadSecret(code: string): string | null {
  return localStorage.getItem(key(code));
}

export function forgetSecret(code: string): void {
  localStorage.removeItem(key(code));
}
