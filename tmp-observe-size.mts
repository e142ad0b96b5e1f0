import { build } from 'esbuild'; import { BUNDLE } from './infra/constructs/bundling.ts';
const r = await build({ entryPoints: [process.argv[2]!], bundle: true, platform: 'node', format: 'esm', target: BUNDLE.target, banner: { js: BUNDLE.banner }, mainFields: [...BUNDLE.mainFields], external: [...BUNDLE.external], alias: { ...BUNDLE.alias }, minify: true, write: false, logLevel: 'error' });
console.log(Math.round(r.outputFiles[0]!.contents.length/1024), 'KB');
