import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed bridge: only src/main/electron/ipcBridge.ts and src/preload/index.ts touch raw IPC.',
}
const noElectron = { name: 'electron', message: 'The renderer reaches main only through window.slipway.' }
const dockerode = {
  name: 'dockerode',
  message: 'Talk to engines through the port in src/main/docker/engine.ts: only src/main/docker/ imports dockerode.',
}
const lifecycle = {
  group: ['**/docker/containerLifecycle'],
  message:
    'Only the dispatch point changes containers: the lifecycle is wired in src/main/app.ts and used in src/main/workloads/dispatch/.',
}
const engineHandle = {
  group: ['**/docker/engineHandle'],
  allowTypeImports: true,
  message: 'An engine handle is opened only inside src/main/docker/ (import its type to hand it on).',
}
/** The import rule, with the given restrictions lifted. */
const imports = (...lifted) => {
  const paths = [rawIpc, dockerode].filter((p) => !lifted.includes(p))
  const patterns = [lifecycle, engineHandle].filter((p) => !lifted.includes(p))
  return { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] }
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'build/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      ...imports(),
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/main/electron/ipcBridge.ts', 'src/preload/index.ts'],
    rules: imports(rawIpc),
  },
  {
    files: ['src/main/docker/**/*.ts'],
    rules: imports(dockerode, lifecycle, engineHandle),
  },
  {
    // The composition root wires the lifecycle to the dispatch point; tests check both ends.
    files: ['src/main/app.ts', 'src/main/workloads/dispatch/**/*.ts', 'test/**/*.ts'],
    rules: imports(lifecycle),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/devweb/browserBridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [noElectron, dockerode], patterns: [lifecycle, engineHandle] },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
)
