import { endpoint } from '#shared/http/endpoint';

/** A browsable rendering of /api/openapi.json: self-contained (no CDN), one small script. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tix API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
 header{background:#1d2330;color:#fff;padding:18px 28px}h1{margin:0;font-size:22px}
 main{max-width:1100px;margin:0 auto;padding:20px 28px}h2{margin-top:32px;text-transform:uppercase;font-size:14px;letter-spacing:.08em;color:#5a6272}
 details{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:8px 0}summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:center}
 .m{font:600 12px ui-monospace,monospace;padding:3px 8px;border-radius:4px;color:#fff;min-width:54px;text-align:center}
 .GET{background:#2f7d4f}.POST{background:#2d5fb3}.PUT{background:#7a4fb0}.PATCH{background:#b37a1f}.DELETE{background:#b33a3a}
 code,pre{font:13px ui-monospace,monospace}pre{background:#f3f4f7;padding:10px;border-radius:6px;overflow:auto;margin:0 14px 14px}
 .d{padding:0 14px 6px;color:#5a6272}table{margin:0 14px 12px;border-collapse:collapse}td,th{border-bottom:1px solid #eceef2;padding:4px 10px;text-align:left}
</style></head>
<body><header><h1>Tix API</h1><div id="info"></div></header><main id="ops">Loading…</main>
<script>
fetch('openapi.json').then(r => r.json()).then(doc => {
  const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  document.getElementById('info').textContent = doc.info.description;
  const groups = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (groups[op.tags[0]] ??= []).push({ path, method: method.toUpperCase(), op });
  document.getElementById('ops').innerHTML = Object.entries(groups).map(([tag, list]) => '<h2>' + esc(tag) + '</h2>' + list.map(({ path, method, op }) =>
    '<details><summary><span class="m ' + method + '">' + method + '</span><code>' + esc(path) + '</code><span>' + esc(op.summary) + '</span></summary>' +
    '<div class="d">' + esc(op.description) + '</div>' +
    (op.parameters.length ? '<table><tr><th>parameter</th><th>in</th><th>schema</th></tr>' + op.parameters.map(p => '<tr><td><code>' + esc(p.name) + '</code></td><td>' + p.in + '</td><td><code>' + esc(JSON.stringify(p.schema)) + '</code></td></tr>').join('') + '</table>' : '') +
    (op.requestBody ? '<pre>' + esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)) + '</pre>' : '') +
    '</details>').join('')).join('');
});
</script></body></html>`;

export const handler = endpoint({}, async () => ({
  status: 200,
  text: PAGE,
  headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  },
}));
