import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../shared/docs/openapi.ts';

/** `npm run generate:openapi`: writes gen/openapi.json from the route table and handler schemas. */
export async function generateOpenApi() {
  return buildOpenApi(async (handler) => {
    const file = new URL(`../functions/${handler}.ts`, import.meta.url).href;
    const module = (await import(/* @vite-ignore */ file)) as { handler?: { spec?: never } };
    return module.handler?.spec;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../gen/openapi.json', import.meta.url), `${JSON.stringify(await generateOpenApi(), null, 2)}\n`);
  console.log('wrote gen/openapi.json');
  process.exit(0);
}
