// Import boundaries: which top-level folder of src/ may import which. ARCHITECTURE.md draws the same picture.
// A folder may import the folders listed for it, and nothing else of src/ (its own files always). The map is
// layered, so no two folders import each other in a loop.
const allowed = {
  common: [],
  config: ['common'],
  auth: ['common', 'config'],
  observability: ['common', 'config', 'auth'],
  analysis: ['common', 'config', 'auth'],
  inventory: ['common', 'config', 'auth'],
  agents: ['common', 'config', 'auth', 'inventory'],
  network: ['common', 'config', 'auth', 'inventory', 'agents'],
  capture: ['common', 'config', 'auth', 'inventory', 'agents', 'analysis'],
  migration: ['common', 'config', 'auth', 'observability', 'inventory', 'agents', 'network', 'capture', 'analysis'],
  reports: ['common', 'config', 'auth', 'inventory', 'migration', 'analysis', 'capture'],
};
const folders = Object.keys(allowed);

module.exports = {
  forbidden: [
    ...folders.map((folder) => ({
      name: `${folder}-imports-one-way`,
      comment: `src/${folder} may import only src/{${allowed[folder].join(',')}}`,
      severity: 'error',
      from: { path: `^src/${folder}/` },
      to: { path: '^src/[^/]+/', pathNot: [`^src/(${[folder, ...allowed[folder]].join('|')})/`] },
    })),
    {
      name: 'no-lab-in-production',
      comment: 'lab/ is the test bed; production code never imports it',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^lab/' },
    },
    {
      name: 'no-tests-in-production',
      severity: 'error',
      from: { path: '^(src|lab)/' },
      to: { path: '^test/' },
    },
    {
      name: 'composition-roots-stay-on-top',
      comment: 'the app module, the CLI and the database set-up wire everything; no module imports them',
      severity: 'error',
      from: { path: `^src/(${folders.join('|')})/` },
      to: { path: '^src/([^/]+\\.ts$|cli/|database/)' },
    },
    {
      name: 'analyze-command-stays-light',
      comment:
        "livemig analyze loads only commander and the analyzer: its start-up is timed against capinfos (bench:analyze), so nothing it reaches may pull in NestJS, TypeORM, the ORM's metadata or the libvirt addon",
      severity: 'error',
      from: { path: '^src/cli/commands/analyze\\.command\\.ts$' },
      to: { path: '(node_modules/(@nestjs|typeorm|reflect-metadata|class-validator|class-transformer)/|native/)', reachable: true },
    },
    {
      name: 'cli-entry-loads-commands-lazily',
      comment: 'src/cli/main.ts imports only commander up front; each command is a dynamic import, loaded when asked for',
      severity: 'error',
      from: { path: '^src/cli/main\\.ts$' },
      to: { dynamic: false, pathNot: 'node_modules/commander/' },
    },
    {
      name: 'typeorm-only-in-repositories',
      comment: 'services depend on repositories; only repositories, entities and src/database touch TypeORM',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.entity\\.ts$', '/repositories/', '^src/database/'] },
      to: { path: 'node_modules/(typeorm|@nestjs/typeorm)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Worktrees link node_modules to one checkout's; keep the link's path so known violations match everywhere.
    preserveSymlinks: true,
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|native/build)/' },
  },
};
