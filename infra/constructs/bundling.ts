import { repoPath } from './paths.ts';

/**
 * How every function is bundled: one place for the CDK construct (what Lambda runs) and for
 * `npm run build` / the size and cold-start benchmark (what we measure).
 */
export const BUNDLE = {
  target: 'node22',
  /** The CommonJS drivers inside the ESM bundle (pg, mongodb, ioredis) call require(). */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  mainFields: ['module', 'main'],
  /** The Lambda runtime provides AWS SDK v3. */
  external: ['@aws-sdk/*'],
  /** Modules replaced at bundling time by a module of ours (an absolute path). */
  alias: {
    'whatwg-url': repoPath('infra', 'build', 'native-url.mjs'),
    'node:crypto': repoPath('infra', 'build', 'lazy-node-crypto.mjs'),
  },
  minify: true,
} as const;
