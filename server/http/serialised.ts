import { createHash } from 'node:crypto';

/**
 * A JSON body serialised once and sent as is, with its entity tag: for a body held in memory
 * and sent many times (the public board), serialising and hashing it per request would be most
 * of what the request costs.
 */
export class SerialisedJson {
  readonly etag: string;

  constructor(readonly text: string) {
    this.etag = `W/"${createHash('sha1').update(text).digest('base64url')}"`;
  }

  static of(value: unknown): SerialisedJson {
    return new SerialisedJson(JSON.stringify(value));
  }
}
