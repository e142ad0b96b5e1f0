import { ensureDatabase, migrate } from '../shared/kernel/migrations.ts';
const url = await ensureDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'tix_audit_probe');
await migrate('events', url);
console.log(url);
