#!/usr/bin/env bash
# What installing verifyd costs a consumer, measured on the packed tarball in a fresh project:
# the tarball alone (an application embedding verifyd through the Express, Hono or fetch
# adapter), then with the service's optional peers at the versions of this checkout's lock file
# (what `verifyd serve` needs). Prints packages (lock-file entries) and size (du -sb).
#
#   bash scripts/install-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
peers=$(node -p "['fastify','prom-client','@fastify/swagger'].map(n => n + '@' + require('./package-lock.json').packages['node_modules/' + n].version).join(' ')")
npm pack --silent --pack-destination "$dir" >/dev/null
cd "$dir" && mkdir consumer && cd consumer && echo '{"name":"consumer","private":true,"type":"module"}' > package.json
report() {
  local packages bytes
  packages=$(node -p "Object.keys(require('./package-lock.json').packages).length - 1")
  bytes=$(du -sb node_modules | cut -f1)
  disk=$(du -sh node_modules | cut -f1)
  node -e "console.log('$1: ' + $packages + ' packages, ' + ($bytes / 2 ** 20).toFixed(1) + ' MiB (' + ($bytes / 1e6).toFixed(1) + ' MB); on disk (du -sh) ' + '$disk')"
}
npm install --no-audit --no-fund --silent ../verifyd-*.tgz
report 'embedding (the tarball alone)'
# shellcheck disable=SC2086
npm install --no-audit --no-fund --silent $peers
report "service (with $peers)"
