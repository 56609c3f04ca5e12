/**
 * The baseline for bench/join.ts: a bare Express JSON endpoint shaped like the join route
 * (POST JSON in, 201 JSON out), nothing else. Run by join.ts in its own process.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.use(express.json({ limit: '16kb' }));
let next = 0;
app.post('/api/games/:id/reservations', (req, res) => {
  next += 1;
  res.status(201).json({ id: next, gameId: Number(req.params.id), status: 'waiting', position: next, ...req.body });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
server.keepAliveTimeout = 65_000;
process.once('SIGTERM', () => server.close(() => process.exit(0)));
