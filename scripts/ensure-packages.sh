#!/usr/bin/env bash
# Installs the Debian packages whose commands are missing, with apt-get (through sudo when not
# root). Arguments are command:package pairs, e.g. `tesseract:tesseract-ocr wrk:wrk`. Used by
# .ci/run and by the npm scripts that need a system tool (bench, strength).
set -euo pipefail

missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
((${#missing[@]})) || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${missing[*]} (not a Debian system: install them by hand)" >&2
  exit 1
fi
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
