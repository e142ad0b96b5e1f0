import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

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
