// The layering rules of the design brief (README "Architecture"), checked on every `npm test` by
// test/architecture.test.ts. Direction: commands -> app.tsx -> screens -> components -> state ->
// {labs, kafka/workload, kafka/cluster} -> kafka/producer -> wire; kafka/cluster -> sandbox/control -> sandbox -> wire.
const UI = '^src/(app\\.tsx|screens/|components/)';
const below = (...folders) => `^src/(${folders.join('|')})`;

/** "nothing in `from` imports `to`": one forbidden rule per step of the direction. */
const upward = (name, from, to, comment) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    {
      name: 'react-ink-only-in-ui',
      comment: 'Only src/app.tsx, src/screens/ and src/components/ import react, ink or ink-*.',
      severity: 'error',
      from: { path: '^src/', pathNot: UI },
      to: { path: '^node_modules/(react|ink|ink-[^/]+)/' },
    },
    {
      name: 'no-kafkajs-in-state-or-ui',
      comment: 'state/ and the UI read the domain through its own types; kafkajs clients live in kafka/ and labs/.',
      severity: 'error',
      from: { path: '^src/(state/|app\\.tsx|screens/|components/)' },
      to: { path: '^node_modules/kafkajs/' },
    },
    {
      name: 'sandbox-imports-sandbox-and-wire',
      comment: 'The sandbox is a server that also runs alone: it imports only itself and wire/.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: '^src/(sandbox|wire)/' },
    },
    {
      name: 'wire-imports-nothing-of-ours',
      comment: 'wire/ is the protocol shared by both sides: it depends on nothing else in src/.',
      severity: 'error',
      from: { path: '^src/wire/' },
      to: { path: '^src/', pathNot: '^src/wire/' },
    },
    upward('commands-only-from-cli', '^src/(?!cli\\.tsx|commands/)', '^src/commands/', 'Nothing imports commands/ but cli.tsx.'),
    upward('app-from-commands-only', below('screens', 'components', 'state', 'labs', 'kafka', 'wire', 'sandbox'), '^src/app\\.tsx', 'app.tsx sits under commands/ only.'),
    upward('screens-from-app-only', below('components', 'state', 'labs', 'kafka', 'wire', 'sandbox'), '^src/screens/', 'Screens are drawn by app.tsx.'),
    upward('components-from-ui-only', below('state', 'labs', 'kafka', 'wire', 'sandbox'), '^src/components/', 'Widgets are for screens.'),
    upward('ui-reads-state-only', UI, below('labs', 'kafka', 'wire', 'sandbox'), 'Screens and widgets read state/; they never reach the engine, the labs or the wire.'),
    upward('state-from-ui-and-commands', below('labs', 'kafka', 'wire', 'sandbox'), '^src/state/', 'state/ is above the domain.'),
    upward('labs-from-state-and-commands', below('kafka', 'wire', 'sandbox'), '^src/labs/', 'Lessons use the client side; the client side knows no lesson.'),
    upward('producer-below-workload-and-cluster', below('kafka/producer', 'wire', 'sandbox'), '^src/kafka/(workload|cluster)/', 'The engine knows no workload and no cluster control.'),
    upward('producer-over-wire', below('wire', 'sandbox'), '^src/kafka/producer/', 'wire/ and the sandbox know no producer.'),
    {
      name: 'sandbox-through-its-control-api',
      comment: 'The client side uses the built-in cluster only through sandbox/control/ (the control API), from kafka/cluster/ or a command.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(sandbox/|kafka/cluster/|commands/)' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'cluster-uses-sandbox-control-only',
      comment: 'kafka/cluster/ and commands/ reach the sandbox through sandbox/control/ only, never its state.',
      severity: 'error',
      from: { path: '^src/(kafka/cluster|commands)/' },
      to: { path: '^src/sandbox/', pathNot: '^src/sandbox/control/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles between files (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.d.ts'] },
  },
};
