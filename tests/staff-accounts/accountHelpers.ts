import request from 'supertest';
import type { TestService } from '../helpers/testService';

export interface Credentials {
  username: string;
  password: string;
}

/** A new account through the admin API; returns its id. */
export async function createAccount(service: TestService, username: string, role: 'admin' | 'staff', password = `${username}-password-1`): Promise<Credentials & { id: number }> {
  const res = await service.staff.post('/api/users').send({ username, password, role });
  if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as number, username, password };
}

/** The `name=value` part of a Set-Cookie header of `res`, if it set that cookie. */
export function cookieFrom(res: request.Response, name: string): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

/** Signs in; `cookies` (e.g. a device cookie) and `address` (X-Forwarded-For, loopback is a trusted proxy) are sent along. */
export function attemptSignIn(service: TestService, credentials: Credentials, options: { cookies?: string[]; address?: string } = {}) {
  let req = request(service.url).post('/api/auth/login').send(credentials);
  if (options.cookies?.length) req = req.set('Cookie', options.cookies.join('; '));
  if (options.address) req = req.set('X-Forwarded-For', options.address);
  return req;
}

/** Signs in and returns the session cookie and the device cookie it was given. */
export async function signInAs(service: TestService, credentials: Credentials, options: { cookies?: string[]; address?: string } = {}) {
  const res = await attemptSignIn(service, credentials, options);
  if (res.status !== 200) throw new Error(`sign-in ${credentials.username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { session: cookieFrom(res, 'meeple.sid')!, device: cookieFrom(res, 'meeple.device')! };
}
