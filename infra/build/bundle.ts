import { mkdirSync, rmSync, statSync } from 'node:fs';
import { build } from 'esbuild';
import { HANDLERS } from '../../shared/routes.ts';
import { BUNDLE } from '../constructs/bundling.ts';
import { repoPath } from '../constructs/paths.ts';

/**
 * `npm run build`: every function bundled on its own, exactly as the CDK construct bundles it,
 * into dist/<handler>/index.mjs. Prints each bundle's size.
 */
export const FUNCTIONS = [...HANDLERS, 'authorizer', 'idm/issue-service-token'];

export async function bundleAll(outDir = repoPath('dist')): Promise<Array<{ name: string; file: string; bytes: number }>> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const results = [];
  for (const name of FUNCTIONS) {
    const file = `${outDir}/${name}/index.mjs`;
    await build({
      entryPoints: [repoPath('functions', `${name}.ts`)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLE.target,
      banner: { js: BUNDLE.banner },
      mainFields: [...BUNDLE.mainFields],
      external: [...BUNDLE.external],
      alias: { ...BUNDLE.alias },
      minify: BUNDLE.minify,
      logLevel: 'error',
    });
    results.push({ name, file, bytes: statSync(file).size });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await bundleAll();
  for (const { name, bytes } of results.sort((a, b) => b.bytes - a.bytes)) console.log(`${(bytes / 1024).toFixed(0).padStart(6)} KB  ${name}`);
}
