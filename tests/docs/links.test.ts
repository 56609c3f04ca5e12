import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { headingSlug } from '../../scripts/generate-api-docs';

const ROOT = join(__dirname, '../..');
/** The documentation a reader follows: the READMEs and everything in docs/. */
const PAGES = [
  'README.md',
  'bench/README.md',
  'tests/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
/** Where comments cite documents. tests/docs is left out: its examples name missing files on purpose. */
const SOURCES = ['server', 'client/src', 'scripts', 'tests', 'bench', 'migrations', 'nginx', 'Jenkinsfile', 'Dockerfile', 'docker-compose.yml', 'docker-stack.yml', '.env.example'];
const SOURCE_EXTENSIONS = /\.(ts|mts|vue|js|mjs|sh|conf|template)$/;

const FENCED_BLOCKS = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm;

/** Text a link may sit in: fenced blocks and code spans are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(FENCED_BLOCKS, '').replace(/`[^`\n]*`/g, '');
}

/** The targets of inline links and images, `[text](target)`, and of `[label]: target` definitions. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const definitions = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]!);
  return [...inline, ...definitions];
}

/** The anchors GitHub gives a page's headings; a repeated heading gets -1, -2, … */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(FENCED_BLOCKS, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = headingSlug(heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const isExternal = (target: string) => /^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//');

/**
 * Why `target` (a path with an optional #anchor, or a bare #anchor into `from`), read from the
 * folder `base`, leads nowhere; null when it leads to a file of the repository and a heading.
 */
function brokenBecause(target: string, base: string, from: string, read: (file: string) => string): string | null {
  const [path = '', anchor] = target.split('#');
  const file = path ? resolve(base, decodeURIComponent(path)) : from;
  // A clone has nothing beside it, whatever this machine keeps next to the repository.
  if (relative(ROOT, file).startsWith('..')) return 'outside the repository';
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) return null;
  return anchorsOf(read(file)).has(decodeURIComponent(anchor).toLowerCase()) ? null : `no heading #${anchor} in ${relative(ROOT, file)}`;
}

/** `page` is a path from the repository root; its links are relative to its own folder. */
function brokenLinks(page: string, markdown: string): string[] {
  const from = resolve(ROOT, page);
  const read = (file: string) => (file === from ? markdown : readFileSync(file, 'utf8'));
  return linkTargets(markdown)
    .filter((target) => !isExternal(target))
    .flatMap((target) => {
      const reason = brokenBecause(target, dirname(from), from, read);
      return reason ? [`${page}: (${target}) ${reason}`] : [];
    });
}

/** Every markdown document a source file names ("see docs/SPEC.md#holds"), and why it leads nowhere. */
function brokenCitations(source: string, text: string): string[] {
  const from = resolve(ROOT, source);
  const read = (file: string) => readFileSync(file, 'utf8');
  return [...text.matchAll(/(?<![\w/.-])(?:\.\.?\/)*(?:[\w-]+\/)*[\w-]+\.md(?:#[\w-]+)?/g)].flatMap(([cited]) => {
    // Comments name documents from the repository root; code joins paths from its own folder.
    const reason = brokenBecause(cited, ROOT, from, read);
    return reason && brokenBecause(cited, dirname(from), from, read) ? [`${source}: ${cited} ${reason}`] : [];
  });
}

function sourceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = `${path}/${entry.name}`;
    if (entry.isDirectory()) return child === 'tests/docs' || entry.name === 'node_modules' ? [] : sourceFiles(child);
    return SOURCE_EXTENSIONS.test(entry.name) ? [child] : [];
  });
}

describe('links in the documentation', () => {
  it.each(PAGES)('every relative link and anchor in %s leads to a file and heading of the repository', (page) => {
    expect(brokenLinks(page, readFileSync(join(ROOT, page), 'utf8'))).toEqual([]);
  });

  it('reads the pages a reader starts from', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'docs/SPEC.md', 'docs/API.md', 'docs/ARCHITECTURE.md']));
  });

  it('every document a comment cites is in the repository, with the heading it names', () => {
    const files = SOURCES.flatMap(sourceFiles);
    expect(files).toEqual(expect.arrayContaining(['server/realtime/contract.ts', 'tests/helpers/api.ts', 'scripts/container-smoke.sh']));
    expect(files.flatMap((file) => brokenCitations(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('reports a missing file, a missing heading, and a link outside the repository, but not code or web addresses', () => {
    const page = [
      '# Title',
      '## Queue rules',
      'See [rules](#queue-rules), [gone](#nowhere), [spec](docs/NOPE.md), [old](../shared/SPEC.md),',
      '[arch](docs/ARCHITECTURE.md#no-such-section), [site](https://example.com/x.md) and `[code](missing.md)`.',
      '```sh',
      'echo "[fenced](missing.md)"',
      '```',
    ].join('\n');
    expect(brokenLinks('README.md', page)).toEqual([
      'README.md: (#nowhere) no heading #nowhere in README.md',
      'README.md: (docs/NOPE.md) no file docs/NOPE.md',
      'README.md: (../shared/SPEC.md) outside the repository',
      'README.md: (docs/ARCHITECTURE.md#no-such-section) no heading #no-such-section in docs/ARCHITECTURE.md',
    ]);
  });

  it('reports a comment that cites a document outside the repository, a missing one, or a missing heading', () => {
    const source = [
      '// The queue order from SPEC.md: (enqueuedAt, id).',
      '// As ../shared/API.md says, and docs/SPEC.md#holds and docs/SPEC.md#no-such-rule.',
      "const page = join(__dirname, '../docs/API.md');",
    ].join('\n');
    expect(brokenCitations('scripts/example.ts', source)).toEqual([
      'scripts/example.ts: SPEC.md no file SPEC.md',
      'scripts/example.ts: ../shared/API.md outside the repository',
      'scripts/example.ts: docs/SPEC.md#no-such-rule no heading #no-such-rule in docs/SPEC.md',
    ]);
  });

  it('gives repeated headings the anchors GitHub gives them', () => {
    expect([...anchorsOf('# API\n## `GET /api/board`\n### Board\n### Board\n```\n# not a heading\n```')]).toEqual([
      'api',
      'get-apiboard',
      'board',
      'board-1',
    ]);
  });
});
