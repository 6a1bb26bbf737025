// How dependency-cruiser reads our TypeScript (named so that no other tool loads it as a Babel
// config). The repository's TypeScript 7 has no JavaScript API for dependency-cruiser's own TS
// parser, and its swc parser rejects JSX in .tsx files, so Babel strips types and JSX first.
// Babel would drop `import type …` lines with the types; the plugin below turns each into a bare
// `import '…'` first, so type-only imports still count against the layer rules.
module.exports = {
  babelrc: false,
  configFile: false,
  plugins: [
    function keepTypeOnlyImports({ types: t }) {
      const typeOnly = (node) =>
        (t.isImportDeclaration(node) && (node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')))) ||
        (t.isExportNamedDeclaration(node) && !!node.source && node.exportKind === 'type');
      return {
        name: 'keep-type-only-imports',
        visitor: {
          // On entering the program: the TypeScript transform removes type imports there too, and
          // plugins run before presets.
          Program(program) {
            for (const stmt of program.get('body')) {
              if (typeOnly(stmt.node)) stmt.replaceWith(t.importDeclaration([], t.stringLiteral(stmt.node.source.value)));
            }
          },
        },
      };
    },
    // Resolved from here, so the rules also run on a tree outside the repository (the layer tests).
    [require.resolve('@babel/plugin-transform-react-jsx'), { runtime: 'automatic' }],
  ],
  presets: [[require.resolve('@babel/preset-typescript'), { isTSX: true, allExtensions: true, onlyRemoveTypeImports: true }]],
};
