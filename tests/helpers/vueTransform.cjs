// Jest transformer for the client's single-file components, so component specs run the real
// .vue files: @vue/compiler-sfc compiles <script setup> with its template inlined (as Vite
// does in a production build), then SWC strips the TypeScript and turns the module into
// CommonJS. Styles are left out: jsdom does not lay anything out.
const { createHash } = require('node:crypto');
const { compileScript, parse, registerTS } = require('@vue/compiler-sfc');
const { transformSync } = require('@swc/core');

// defineProps<{ game: StaffGame }>() names types from other files; the compiler reads them
// with TypeScript to know which props are runtime booleans, strings, objects…
registerTS(() => require('typescript'));

function compileSfc(source, filename) {
  const { descriptor, errors } = parse(source, { filename });
  if (errors.length > 0) throw new Error(`${filename}: ${errors.map(String).join('\n')}`);
  if (!descriptor.scriptSetup) throw new Error(`${filename}: only <script setup> components are supported here`);
  const id = createHash('sha256').update(filename).digest('hex').slice(0, 8);
  return compileScript(descriptor, { id, inlineTemplate: true, sourceMap: true });
}

module.exports = {
  process(source, filename) {
    const compiled = compileSfc(source, filename);
    // Chained maps: a failing line in a spec's stack trace points into the .vue file.
    const { code, map } = transformSync(compiled.content, {
      filename: `${filename}.ts`,
      sourceMaps: true,
      inputSourceMap: compiled.map ? JSON.stringify(compiled.map) : undefined,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    return { code, map };
  },
};
