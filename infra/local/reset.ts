import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

/** `npm run reset`: forget all local data (databases, generated secrets). Stop `npm start` first. */
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
rmSync(dataDir, { recursive: true, force: true });
console.log(`removed ${dataDir}`);
