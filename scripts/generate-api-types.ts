// Writes client/src/api/schema.d.ts from the server's OpenAPI document, which is built from the
// same zod schemas that validate requests. The client's API types derive from that file, so a
// field renamed on the server breaks `vue-tsc` instead of a screen.
//
// It also writes client/src/api/transitions.ts: which actions staff may take on a party in each
// status, from the server's transition table (server/queue/states.ts) and the action's path
// (server/queue/routes.ts), so the client's buttons are never a hand copy of the state machine.
//
// Run: npm run api:types   (tests/client/api-contract.test.ts fails when either file is stale)
// With --stdout it prints schema.d.ts instead of writing it, with --stdout=transitions the
// transitions file; the test compares those to the committed ones.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../server/app';
import { ACTION_PATHS } from '../server/queue/routes';
import { consequencesOf, legalActions, STATUSES, UNDO } from '../server/queue/states';

const SCHEMA_FILE = join(__dirname, '../client/src/api/schema.d.ts');
const TRANSITIONS_FILE = join(__dirname, '../client/src/api/transitions.ts');

const HEADER = `// GENERATED FILE, do not edit by hand. Source: openApiDocument() in server/app.ts, built from the
// server's zod schemas. Regenerate with \`npm run api:types\` after changing a server schema;
// tests/client/api-contract.test.ts fails while this file is out of date.

`;

async function generateApiTypes(): Promise<string> {
  // The document is plain JSON; the round trip drops zod-to-openapi's class instances and undefineds.
  const document = JSON.parse(JSON.stringify(openApiDocument())) as OpenAPI3;
  // Fields with a default are optional in requests (NewGame, JoinQueue), not always present.
  const ast = await openapiTS(document, { silent: true, defaultNonNullable: false });
  return HEADER + astToString(ast);
}

/** The legal actions per status, by the path the client posts to. */
export function generateTransitions(): string {
  const pathOf = new Map(ACTION_PATHS.map((a) => [a.action, a.path]));
  const rows = STATUSES.map((status) => `  ${status}: [${legalActions(status).map((a) => `'${pathOf.get(a)}'`).join(', ')}],`);
  const copyRows = STATUSES.map(
    (status) => `  ${status}: [${legalActions(status).filter((a) => consequencesOf(status, a).takesCopy).map((a) => `'${pathOf.get(a)}'`).join(', ')}],`,
  );
  const undo = Object.entries(UNDO).map(([action, back]) => `  '${pathOf.get(action as keyof typeof UNDO)}': '${pathOf.get(back)}',`);
  return `// GENERATED FILE, do not edit by hand. Source: TRANSITIONS in server/queue/states.ts and
// ACTION_PATHS in server/queue/routes.ts. Regenerate with \`npm run api:types\`;
// tests/client/api-contract.test.ts fails while this file is out of date.

import type { ReservationStatus, Transition } from './types';

/** The actions staff may take on a party in each status: the server's state machine. */
export const LEGAL_ACTIONS: Record<ReservationStatus, readonly Transition[]> = {
${rows.join('\n')}
};

/** The actions that take one of the game's copies (the server refuses them while none is free). */
export const TAKES_A_COPY: Record<ReservationStatus, readonly Transition[]> = {
${copyRows.join('\n')}
};

/** The move that takes each action back (the undo toast); the server judges it like any other. */
export const UNDO: Partial<Record<Transition, Transition>> = {
${undo.join('\n')}
};
`;
}

if (require.main === module) {
  generateApiTypes()
    .then((source) => {
      if (process.argv.includes('--stdout')) {
        process.stdout.write(source);
        return;
      }
      if (process.argv.includes('--stdout=transitions')) {
        process.stdout.write(generateTransitions());
        return;
      }
      writeFileSync(SCHEMA_FILE, source);
      writeFileSync(TRANSITIONS_FILE, generateTransitions());
      console.log(`Wrote ${SCHEMA_FILE} and ${TRANSITIONS_FILE}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
