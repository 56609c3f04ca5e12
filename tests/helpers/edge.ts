/**
 * Tearing down what a test (or a bench script) put together in front of real app instances:
 * client sockets, nginx, the app processes, the rendered config, the static root, the database
 * and Redis keys. Each part may be missing (set-up failed half way).
 */
import { rmSync } from 'node:fs';
import { cleanupNginx, type RenderedNginx, type RunningNginx } from './nginx';
import { dropTestData, type AppInstance, type TestEnv } from './appProcess';

export interface Edge {
  sockets?: Array<{ close(): unknown }>;
  nginx?: RunningNginx;
  apps: AppInstance[];
  rendered?: RenderedNginx;
  staticRoot?: string;
  env?: TestEnv;
}

export async function tearDownEdge(edge: Edge): Promise<void> {
  for (const s of edge.sockets ?? []) s.close();
  await edge.nginx?.stop();
  await Promise.all(edge.apps.map((a) => a.stop(10_000)));
  if (edge.rendered) cleanupNginx(edge.rendered);
  if (edge.staticRoot) rmSync(edge.staticRoot, { recursive: true, force: true });
  if (edge.env) await dropTestData(edge.env);
}
