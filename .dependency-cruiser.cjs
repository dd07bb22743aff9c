// The layer rules of svinit (docs/architecture.md), checked by test/unit/architecture/layers.test.ts.
// A folder of src/ may import from its own folder and from lower layers only; folders of one layer
// do not import each other; no import cycles (type-only imports count). So that no edge escapes
// the rules: every module lives in a layer's folder, every import resolves, no module is orphaned.

/** Lowest first. */
const LAYERS = [['config'], ['init'], ['logging'], ['engine'], ['events', 'fcgi', 'metrics', 'rpc'], ['http', 'ctl'], ['daemon'], ['cli']];

const rank = (folder) => LAYERS.findIndex((layer) => layer.includes(folder));
const alt = (folders) => `^src/(${folders.join('|')})/`;

const layerRules = LAYERS.flat().map((folder) => {
  const higher = LAYERS.flat().filter((other) => other !== folder && rank(other) >= rank(folder));
  return {
    name: `layer-${folder}`,
    comment: `src/${folder} imports only from its own folder and lower layers`,
    severity: 'error',
    from: { path: alt([folder]) },
    to: { path: alt(higher) },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      // A module outside every layer would be checked by no layer rule.
      name: 'in-a-layer',
      comment: `every module of src/ lives in a folder of a layer (${LAYERS.flat().join(', ')})`,
      severity: 'error',
      from: { path: '^src/', pathNot: alt(LAYERS.flat()) },
      to: {},
    },
    {
      name: 'in-a-layer-imported',
      comment: `every module of src/ lives in a folder of a layer (${LAYERS.flat().join(', ')})`,
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: alt(LAYERS.flat()) },
    },
    {
      // A module nothing imports and that imports nothing is dead code (or outside every rule).
      name: 'no-orphans',
      comment: 'every module of src/ imports or is imported',
      severity: 'error',
      from: { orphan: true },
      to: {},
    },
    {
      // An import the tool cannot resolve is an edge it cannot check.
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // No includeOnly: it would hide an import that resolves to nothing (not-to-unresolvable).
  },
};
