// Lint: TypeScript rules plus the layer boundaries of ../shared/DESIGN.md.
// The dependency direction is a design decision, not a style preference: do not relax it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'events',
  'worker_threads',
];

/** Patterns a layer may not import, with the reason shown in the lint error. */
function forbid(...groups) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: groups.map(([group, message]) =>
          group instanceof RegExp ? { regex: group.source, message } : { group, message },
        ),
      },
    ],
  };
}

// Regexes, not globs, where a glob cannot say it: "electron/*" would also match our own
// "main/electron/..." files, and a glob starting with "#" is a comment to the gitignore syntax.

const electronOnly = [/^electron(-updater)?(\/.*)?$/, 'Only main/electron may import electron or electron-updater.'];
const noReact = [['react', 'react-dom', 'react/*', 'react-dom/*'], 'React belongs to the renderer.'];
const studioOnlyFromCli = [/^#studio\//, 'Only the CLI starts Studio; the app and the publisher never import it.'];
// Shells reach the core through its public entries only: #core/index, and one index per
// capability (#core/kiosk/index, #core/channel/index …). Internals move without breaking them.
const coreEntriesOnly = [
  /^#core\/(?!index$|[a-z-]+\/index$)/,
  'Shells import the core only through its public entries: #core/index or #core/<capability>/index.',
];
const coreByPath = '**/core/**';

const rendererRules = [
  [nodeBuiltins, 'The renderer runs in a sandboxed page: DOM only.'],
  electronOnly,
  [
    /^#(core|host|publish|studio)\//,
    'The renderer reaches the core only through the client (renderer/api/client), and Studio over HTTP.',
  ],
  [
    ['**/main/core/**', '**/main/host/**', '**/main/electron/**', '**/main/publish/**', '**/main/studio/**'],
    'The renderer reaches the core only through the client (renderer/api/client), and Studio over HTTP.',
  ],
];
// Components get the client from <ClientProvider> (useClient), so each can be rendered with a fake.
const clientSingleton = [
  /(^|\/)api\/client$/,
  'Take the API client from useClient() (renderer/data/ClientProvider): only renderer/main.tsx imports the singleton.',
];

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/demo/source/microsites/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No new Function.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'main/electron/tools/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    files: ['main/shared/**'],
    rules: forbid(
      [nodeBuiltins, 'main/shared is plain TypeScript: no Node built-ins.'],
      electronOnly,
      noReact,
      [/^#(core|host|publish)\//, 'main/shared imports nothing of the other layers.'],
      [
        ['**/core/**', '**/host/**', '**/electron/**', '**/renderer/**', '**/publish/**'],
        'main/shared imports nothing of the other layers.',
      ],
    ),
  },
  {
    files: ['main/core/**'],
    rules: forbid(
      electronOnly,
      noReact,
      [/^#(host|publish|studio)\//, 'main/core depends on main/shared only.'],
      [
        ['**/host/**', '**/electron/**', '**/renderer/**', '**/publish/**', '**/cli/**', '**/studio/**'],
        'main/core depends on main/shared only.',
      ],
    ),
  },
  {
    files: ['main/host/**', 'main/publish/**', 'main/cli/**'],
    rules: forbid(electronOnly, noReact, coreEntriesOnly, [
      ['**/renderer/**', coreByPath],
      'The renderer is reached over HTTP and the core through #core/… public entries, not by path.',
    ]),
  },
  {
    // Only the CLI starts Studio; the app's host and the publisher never depend on it.
    files: ['main/host/**', 'main/publish/**'],
    rules: forbid(
      electronOnly,
      noReact,
      coreEntriesOnly,
      [
        ['**/renderer/**', coreByPath],
        'The renderer is reached over HTTP and the core through #core/… public entries, not by path.',
      ],
      studioOnlyFromCli,
    ),
  },
  {
    // Studio is a server beside the app: core, shared and the publisher, never the app's shells.
    files: ['main/studio/**'],
    rules: forbid(
      electronOnly,
      noReact,
      coreEntriesOnly,
      [/^#host\//, 'main/studio does not use the browser host.'],
      [
        ['**/renderer/**', '**/host/**', '**/electron/**', '**/cli/**'],
        'main/studio is reached over HTTP; it imports core, shared and publish only.',
      ],
    ),
  },
  {
    // The key-message check and the phrase count are pure text functions, so a device can run
    // them too (the rep sees what was said right after recording): no Node built-ins here.
    files: [
      'main/studio/rehearse/transcription/words.ts',
      'main/studio/rehearse/transcription/key-messages.ts',
      'main/studio/rehearse/transcription/phrases.ts',
    ],
    rules: forbid(
      electronOnly,
      noReact,
      [
        nodeBuiltins,
        'The key-message check and phrases are plain TypeScript (the device may run them): no Node built-ins.',
      ],
      [
        ['**/renderer/**', '**/host/**', '**/electron/**', '**/cli/**', '**/database/**'],
        'The key-message check and phrases take text and return results: no database, no shells.',
      ],
    ),
  },
  {
    // Previews of the draft run the real renderer in a browser host; only this folder starts one.
    files: ['main/studio/preview/**'],
    rules: forbid(electronOnly, noReact, coreEntriesOnly, [
      ['**/renderer/**', '**/host/**', '**/electron/**', '**/cli/**'],
      'main/studio/preview reaches the host through #host/server only.',
    ]),
  },
  {
    files: ['main/electron/**'],
    rules: forbid(
      noReact,
      coreEntriesOnly,
      [/^#host\//, 'main/electron does not use the browser host.'],
      [
        ['**/renderer/**', '**/host/**', coreByPath],
        'main/electron talks to the renderer over IPC only, and to the core through #core/… public entries.',
      ],
      studioOnlyFromCli,
    ),
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts', 'renderer/studio/vite.config.ts'],
    rules: forbid(...rendererRules, clientSingleton),
  },
  {
    // The root picks the real client and provides it; every component takes it from context.
    // DeliverySettingsDialog moves to useClient when its connector-driven rewrite lands.
    files: ['renderer/main.tsx', 'renderer/sync/DeliverySettingsDialog.tsx'],
    rules: forbid(...rendererRules),
  },
  {
    files: ['test/**'],
    rules: forbid([/^electron(\/.*)?$/, 'Tests use a fake electron module (vi.mock) or the _electron launcher.']),
  },
);
