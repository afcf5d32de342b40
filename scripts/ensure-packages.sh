#!/usr/bin/env bash
# Installs the Debian packages whose commands are missing, with apt-get (through sudo when not
# root). Arguments are check:package pairs, e.g. `tesseract:tesseract-ocr wrk:wrk`; the check is a
# command, an absolute path that must exist, or python3.MODULE (Debian's /usr/bin/python3 must
# import it). Used by .ci/run and by the npm scripts that need a system tool (bench, strength).
set -euo pipefail

missing=()
present() {
  case "$1" in
    /*) [[ -e $1 ]] ;;
    python3.*) /usr/bin/python3 -c "import ${1#python3.}" >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}
for pair in "$@"; do
  present "${pair%:*}" || missing+=("${pair##*:}")
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
