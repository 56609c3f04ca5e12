import { readFileSync } from 'node:fs';
import {
  API_DOCS_FILE,
  BEGIN_MARKER,
  END_MARKER,
  currentApiDocument,
  headingSlug,
  renderHttpReference,
  withHttpReference,
} from '../../scripts/generate-api-docs';

const committed = readFileSync(API_DOCS_FILE, 'utf8');

describe('docs/API.md', () => {
  it('when a route or schema changes, the committed HTTP reference must be regenerated (npm run docs:api)', () => {
    expect(committed).toBe(withHttpReference(committed, currentApiDocument()));
  });

  it('documents every operation of the OpenAPI document under its own heading', () => {
    const document = currentApiDocument();
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `#### \`${method.toUpperCase()} ${path}\``),
    );
    const headings = committed.split('\n').filter((line) => line.startsWith('#### `'));
    expect(headings).toEqual(operations);
  });

  it('names every section once, so a link to a schema cannot land on an endpoint group of the same name', () => {
    const headings = committed.split('\n').filter((line) => /^#{1,6} /.test(line)).map((line) => headingSlug(line.replace(/^#+ /, '')));
    expect(headings.filter((slug, i) => headings.indexOf(slug) !== i)).toEqual([]);
  });

  it('a summary changed on the server makes the committed file stale', () => {
    const document = currentApiDocument();
    document.paths['/api/board']!.get!.summary = 'Something else entirely';
    expect(withHttpReference(committed, document)).not.toBe(committed);
  });

  it('keeps the hand-written text around the generated section as it is', () => {
    const page = `# Title\n\nBefore.\n\n${BEGIN_MARKER}\nstale\n${END_MARKER}\n\n## Socket.IO\n\nAfter.\n`;
    const document = currentApiDocument();
    expect(withHttpReference(page, document)).toBe(`# Title\n\nBefore.\n\n${renderHttpReference(document)}\n\n## Socket.IO\n\nAfter.\n`);
  });

  it('refuses a page without the markers rather than dropping its text', () => {
    expect(() => withHttpReference('# API\n\nNo markers here.\n', currentApiDocument())).toThrow(/markers/);
  });
});
