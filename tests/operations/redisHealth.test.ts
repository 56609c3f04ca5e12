import { EventEmitter } from 'node:events';
import pino from 'pino';
import { watchRedis } from '../../server/redisHealth';

describe('watchRedis', () => {
  test('an outage is logged once, its end once, and reconnect listeners run after it', () => {
    const lines: Array<{ msg: string; role: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const connection = new EventEmitter();
    const watch = watchRedis(connection, logger, 'test');
    let reconnects = 0;
    watch.onReconnected(() => (reconnects += 1));

    connection.emit('ready');
    expect(reconnects).toBe(0);
    for (let i = 0; i < 5; i += 1) connection.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    connection.emit('ready');

    expect(lines.map((l) => l.msg)).toEqual(['Redis connection lost; retrying', 'Redis connection restored']);
    expect(lines.every((l) => l.role === 'test')).toBe(true);
    expect(reconnects).toBe(1);
  });
});
