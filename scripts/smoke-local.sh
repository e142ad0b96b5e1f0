#!/usr/bin/env bash
# `npm run smoke:local`: starts `npm start` in the background (free ports, a temporary DATA_DIR),
# waits until it is ready, runs `npm run smoke` against it, and stops it. Exit status: the smoke's.
set -euo pipefail
cd "$(dirname "$0")/.."
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(free_port)
grpc_port=$(free_port)
data_dir=$(mktemp -d /tmp/tix-smoke-XXXXXX)
log="$data_dir/start.log"
# Its own process group, so that stopping it stops npm, tsx and the node process below them.
PORT=$port GRPC_PORT=$grpc_port DATA_DIR=$data_dir setsid npm start >"$log" 2>&1 &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -rf "$data_dir"
}
trap stop EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 180); do
  if curl -fsS "$url/api/idm/ready" >/dev/null 2>&1 && curl -fsS "$url/api/event-manager/ready" >/dev/null 2>&1 \
    && curl -fsS "$url/api/user-manager/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "npm start exited:"; cat "$log"; exit 1; fi
  sleep 1
done
npm run --silent smoke -- "$url"
