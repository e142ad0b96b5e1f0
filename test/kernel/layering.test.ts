import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of `shared/` (docs/CONVENTIONS.md): the kernel knows nothing above it; auth builds on
 * the kernel (and reads the route table's access rules); the HTTP layer (endpoint + middleware) sits
 * on both; the services and functions on top. An import against that direction fails here.
 */

/** Every module specifier a source imports: static, re-export, side-effect and dynamic imports. */
export function importsOf(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((m) => m[1]!);
}

/** The repository path an import resolves to (`shared/auth/tokens.ts`), or undefined for a package. */
export function resolved(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('#shared/')) return `shared/${specifier.slice('#shared/'.length)}.ts`;
  if (specifier.startsWith('#functions/')) return `functions/${specifier.slice('#functions/'.length)}.ts`;
  if (specifier.startsWith('#gen/')) return `gen/${specifier.slice('#gen/'.length)}.ts`;
  if (specifier.startsWith('.')) return normalize(join(dirname(file), specifier));
  return undefined;
}

const sources = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));

/** `file → target` for each import of a layer's files whose target the rule refuses. */
function violations(files: string[], allowed: (target: string) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .map((specifier) => resolved(file, specifier))
      .filter((target): target is string => target !== undefined && !allowed(target))
      .map((target) => `${file} → ${target}`),
  );
}

const within = (...prefixes: string[]) => (target: string) =>
  prefixes.some((prefix) => target === prefix || target.startsWith(prefix.endsWith('.ts') ? prefix : `${prefix}/`));

describe('layering of shared/', () => {
  it('the kernel imports only the kernel (no auth, route table, HTTP layer or service)', () => {
    expect(violations(sources('shared/kernel'), within('shared/kernel'))).toEqual([]);
  });

  it('auth imports only auth, the kernel and the route table (no HTTP layer or service)', () => {
    expect(violations(sources('shared/auth'), within('shared/auth', 'shared/kernel', 'shared/routes.ts'))).toEqual([]);
  });

  it('the route table imports only auth (its roles) and the kernel', () => {
    expect(violations(['shared/routes.ts'], within('shared/auth', 'shared/kernel'))).toEqual([]);
  });

  it('the scanner sees every kind of import, so the rules above cannot pass by seeing nothing', () => {
    const source = [
      "import type { Route } from '../routes.ts';",
      "import { a,\n  b } from '../auth/policy.ts';",
      "export { c } from '#shared/http/endpoint';",
      "import './side-effect.ts';",
      "const d = await import('../users/deps.ts');",
      "import pg from 'pg';",
    ].join('\n');
    const targets = importsOf(source).map((s) => resolved('shared/kernel/x.ts', s));
    expect(targets).toEqual([
      'shared/routes.ts', 'shared/auth/policy.ts', 'shared/http/endpoint.ts',
      'shared/kernel/side-effect.ts', 'shared/users/deps.ts', undefined,
    ]);
    expect(targets.filter((t) => t !== undefined && !within('shared/kernel')(t))).toHaveLength(4);
    // …and finds the kernel's real imports (it is not looking at an empty tree).
    expect(sources('shared/kernel').flatMap((f) => importsOf(readFileSync(f, 'utf8'))).length).toBeGreaterThan(30);
  });
});
