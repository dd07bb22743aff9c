// The layer rules of svinit (docs/architecture.md), checked by test/unit/architecture/layers.test.ts.
// A folder of src/ may import from its own folder and from lower layers only; folders of one layer
// do not import each other; no import cycles (type-only imports count).

/** Lowest first. */
const LAYERS = [['config'], ['init'], ['logging'], ['engine'], ['events', 'fcgi', 'rpc'], ['http', 'ctl'], ['daemon'], ['cli']];

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
      // EXEMPTION, to be removed: src/http/server.ts ↔ src/http/web.ts is being taken apart on the
      // branch that hardens src/http (the error page moves to its own module).
      from: { pathNot: '^src/http/(server|web)\\.ts$' },
      to: { circular: true },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^src/',
  },
};
