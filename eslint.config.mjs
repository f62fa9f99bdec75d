// Lint for the whole repo. The import rules below keep the pure core pure: libs/domain, libs/contracts and
// workflows/ run inside Temporal's deterministic workflow sandbox, so they may not reach Node built-ins,
// Nest or any I/O library. The rule is an allow-list, so a new dependency has to be let in on purpose.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Anything that is not a relative import or one of the allowed specifiers.
const allowOnly = (...allowed) => `^(?!\\.{1,2}/${allowed.map((a) => `|${a.replace('/', '\\/')}$`).join('')})`;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.engines/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: allowOnly(), message: 'libs/domain is pure: it imports nothing but its own files.' }],
      }],
    },
  },
  {
    files: ['libs/contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: allowOnly('@engine/domain'),
          message: 'libs/contracts imports only libs/domain.',
        }],
      }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: allowOnly('@temporalio/workflow', '@engine/domain', '@engine/contracts'),
          message: 'workflows/ may import only @temporalio/workflow, @engine/domain and @engine/contracts.',
        }],
      }],
    },
  },
  // The web back office runs in the browser and talks to the engine only through its HTTP API.
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ignores: ['apps/web/*.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(node:|@engine/(?!api-client$)|@nestjs/|@temporalio/)',
          message: 'apps/web runs in the browser: it reaches the engine only through @engine/api-client.',
        }],
      }],
    },
  },
  // Tool configuration in CommonJS (jest's), where one config extends another with require().
  { files: ['*.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
