import { resolve } from 'node:path';

/** `npm start`: the whole platform locally, until Ctrl-C / SIGTERM stops everything it started. */
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 3000);
process.env.LOG_LEVEL ??= 'WARN'; // before any module creates its logger

const { startPlatform } = await import('./platform.ts');
const started = Date.now();
let platform: Awaited<ReturnType<typeof startPlatform>>;
try {
  platform = await startPlatform({
    dataDir,
    port,
    persistMongo: true,
    // The web app on `/`: compiled from frontend/src on request, or WEB=dist for the built bundle.
    web: (process.env.WEB as 'vite' | 'dist' | 'off' | undefined) || 'vite',
    log: (line) => console.log(line),
  });
} catch (error) {
  console.error(`\n✖ the platform could not start: ${(error as Error).message}\n`);
  process.exit(1);
}

console.log(`\nTix is running (${Date.now() - started} ms):`);
for (const [name, what] of Object.entries(platform.services)) console.log(`  ${name.padEnd(9)} ${what}`);
console.log(platform.services.web ? `\n  web app   ${platform.url}/` : '');
console.log(`  health    ${platform.url}/api/idm/health · /api/event-manager/health · /api/user-manager/health`);
console.log(`  ready     ${platform.url}/api/idm/ready · /api/event-manager/ready · /api/user-manager/ready`);
console.log(`  docs      ${platform.url}/api/docs\n\nCtrl-C stops everything.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await platform.stop();
    process.exit(0);
  });
}
