// Writes client/src/api/schema.d.ts from the server's OpenAPI document, which is built from the
// same zod schemas that validate requests. The client's API types derive from that file, so a
// field renamed on the server breaks `vue-tsc` instead of a screen.
//
// Run: npm run api:types   (tests/client/api-contract.test.ts fails when the file is stale)
// With --stdout it prints the file instead of writing it; the test compares that to the committed one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../server/app';

const SCHEMA_FILE = join(__dirname, '../client/src/api/schema.d.ts');

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

if (require.main === module) {
  generateApiTypes()
    .then((source) => {
      if (process.argv.includes('--stdout')) {
        process.stdout.write(source);
        return;
      }
      writeFileSync(SCHEMA_FILE, source);
      console.log(`Wrote ${SCHEMA_FILE}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
