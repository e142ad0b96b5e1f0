import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever the current directory (cdk, vitest and tsx run from different places). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const repoPath = (...parts: string[]) => join(REPO_ROOT, ...parts);
