import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from '../../infra/constructs/bundling.ts';
import { repoPath } from '../../infra/constructs/paths.ts';

/** esbuild options of a function bundle, as the CDK construct bundles it. */
const AS_LAMBDA = {
  bundle: true, platform: 'node', format: 'esm', target: BUNDLE.target, banner: { js: BUNDLE.banner },
  mainFields: [...BUNDLE.mainFields], external: [...BUNDLE.external], alias: { ...BUNDLE.alias }, logLevel: 'error',
} satisfies BuildOptions;

const sources = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);

describe('bundle hygiene', () => {
  it('imports zod as a namespace (`import * as z`): `import { z }` defeats tree-shaking and adds ~370 KB to every bundle', () => {
    const offenders = [...sources('shared'), ...sources('functions')].filter((file) =>
      /import\s*\{\s*z\s*\}\s*from\s*'zod'/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the bundles as Lambda runs them', () => {
  it("parse connection strings and talk to the document store with Node's URL standing in for whatwg-url", async () => {
    // Connection strings of the kinds the services meet (DocumentDB's included), parsed by the
    // driver's parser bundled with BUNDLE (alias) and unbundled (the real whatwg-url): same results.
    const urls = [
      'mongodb://127.0.0.1:27017',
      'mongodb://user:p%40ss%2Fw0rd@docdb.cluster-x.eu-west-1.docdb.amazonaws.com:27017/tix?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false',
      'mongodb://a.example:1,b.example:2,[::1]:3/db?authSource=admin&w=majority',
      'mongodb+srv://u:p@cluster0.example.net/x?appName=tix',
    ];
    const source = `
      import ConnectionString from 'mongodb-connection-string-url';
      import { MongoClient } from 'mongodb';
      const view = (u) => { const c = new ConnectionString(u); return { hosts: c.hosts, user: c.username, password: c.password, path: c.pathname, params: [...c.searchParams], text: c.toString() }; };
      const parsed = ${JSON.stringify(urls)}.map(view);
      const client = await new MongoClient(process.env.MONGODB_URL, { serverSelectionTimeoutMS: 3000 }).connect();
      const ping = await client.db('bundle-check').command({ ping: 1 });
      await client.close();
      console.log(JSON.stringify({ parsed, ping: ping.ok }));`;
    const { build } = await import('esbuild');
    const bundled = await build({
      stdin: { contents: source, resolveDir: repoPath(), loader: 'js' },
      ...AS_LAMBDA,
      write: false,
      metafile: true,
    });
    expect(Object.keys(bundled.metafile.inputs).filter((f) => /node_modules\/(whatwg-url|tr46)\//.test(f))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'tix-bundle-'));
    writeFileSync(join(dir, 'index.mjs'), bundled.outputFiles[0]!.text);
    const run = spawnSync(process.execPath, [join(dir, 'index.mjs')], { env: { PATH: process.env.PATH, MONGODB_URL: process.env.MONGODB_URL }, encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    type Parsed = { hosts: string[]; username: string; password: string; pathname: string; searchParams: URLSearchParams };
    const { default: ConnectionString } = (await import('mongodb-connection-string-url' as string)) as { default: new (url: string) => Parsed };
    const expected = urls.map((u) => {
      const c = new ConnectionString(u);
      return { hosts: c.hosts, user: c.username, password: c.password, path: c.pathname, params: [...c.searchParams], text: c.toString() };
    });
    expect(JSON.parse(run.stdout)).toEqual({ parsed: expected, ping: 1 });
  });
});

describe('the authorizer cold start', () => {
  it('loads no socket module and no node:crypto before the first request: Redis connects lazily, no logger opens stdout (a pipe here, so a socket), node:crypto waits for its first use', async () => {
    const { build } = await import('esbuild');
    const bundled = await build({
      entryPoints: [repoPath('functions', 'authorizer.ts')],
      ...AS_LAMBDA,
      write: false,
      minify: true,
    });
    const dir = mkdtempSync(join(tmpdir(), 'tix-authorizer-'));
    writeFileSync(join(dir, 'index.mjs'), bundled.outputFiles[0]!.text);
    const probe = `const before = new Set(process.moduleLoadList);
      const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
      if (typeof handler !== 'function') process.exit(3);
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env: { PATH: process.env.PATH, REDIS_URL: 'redis://127.0.0.1:1' }, encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
    expect(loaded.filter((m) => /^NativeModule (net|tls|_tls_wrap|crypto)$/.test(m))).toEqual([]);
  });
});

describe('node:crypto in the bundles (BUNDLE.alias)', () => {
  it('is loaded on the first call, and what the bundles import from it works as node:crypto does', async () => {
    const source = `
      import { createHash, randomInt, randomUUID } from 'node:crypto';
      const loaded = () => process.moduleLoadList.includes('NativeModule crypto');
      const atStart = loaded();
      console.log(JSON.stringify({ atStart, uuid: randomUUID(), hash: createHash('sha256').update('tix').digest('hex'), int: randomInt(3), afterUse: loaded() }));`;
    const { build } = await import('esbuild');
    const bundled = await build({ stdin: { contents: source, resolveDir: repoPath(), loader: 'js' }, ...AS_LAMBDA, write: false });
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', bundled.outputFiles[0]!.text], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { createHash } = await import('node:crypto');
    expect(JSON.parse(run.stdout)).toEqual({
      atStart: false,
      uuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      hash: createHash('sha256').update('tix').digest('hex'),
      int: expect.toBeOneOf([0, 1, 2]),
      afterUse: true,
    });
  });
});
