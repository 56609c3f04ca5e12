import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { headingSlug } from '../../scripts/generate-api-docs';

const ROOT = join(__dirname, '../..');
/** The documentation a reader follows: the READMEs and everything in docs/. */
const PAGES = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Text a link may sit in: fenced blocks and code spans are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
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
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = headingSlug(heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const isExternal = (target: string) => /^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//');

/** Why a relative link of `page` (a path from the repository root) leads nowhere, or null. */
function brokenBecause(page: string, target: string, read: (file: string) => string): string | null {
  const [path = '', anchor] = target.split('#');
  const file = path ? resolve(ROOT, dirname(page), decodeURIComponent(path)) : resolve(ROOT, page);
  // A clone has nothing beside it, whatever this machine keeps next to the repository.
  if (relative(ROOT, file).startsWith('..')) return 'outside the repository';
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) return null;
  return anchorsOf(read(file)).has(decodeURIComponent(anchor).toLowerCase()) ? null : `no heading #${anchor} in ${relative(ROOT, file)}`;
}

function brokenLinks(page: string, markdown: string): string[] {
  const read = (file: string) => (file === resolve(ROOT, page) ? markdown : readFileSync(file, 'utf8'));
  return linkTargets(markdown)
    .filter((target) => !isExternal(target))
    .flatMap((target) => {
      const reason = brokenBecause(page, target, read);
      return reason ? [`${page}: (${target}) ${reason}`] : [];
    });
}

describe('links in the documentation', () => {
  it.each(PAGES)('every relative link and anchor in %s leads to a file and heading of the repository', (page) => {
    expect(brokenLinks(page, readFileSync(join(ROOT, page), 'utf8'))).toEqual([]);
  });

  it('reads the pages a reader starts from', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'docs/SPEC.md', 'docs/API.md', 'docs/ARCHITECTURE.md']));
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

  it('gives repeated headings the anchors GitHub gives them', () => {
    expect([...anchorsOf('# API\n## `GET /api/board`\n### Board\n### Board\n```\n# not a heading\n```')]).toEqual([
      'api',
      'get-apiboard',
      'board',
      'board-1',
    ]);
  });
});
