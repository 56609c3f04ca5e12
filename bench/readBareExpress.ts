/**
 * The baseline for bench/read.ts: a bare Express endpoint answering GET /api/board with the
 * JSON body in BENCH_BODY_FILE (the service's own board, so the same size), nothing else.
 * Serialised on every request, as the service's `res.json` does. Run by read.ts in its own process.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const body: unknown = JSON.parse(readFileSync(process.env.BENCH_BODY_FILE!, 'utf8'));
const app = express();
app.get('/api/board', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
server.keepAliveTimeout = 65_000;
process.once('SIGTERM', () => server.close(() => process.exit(0)));
