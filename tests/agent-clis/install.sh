#!/usr/bin/env bash
# Installs the pinned coding-agent CLIs (package.json beside this script) once into a cache folder outside HOME and
# /tmp, where the agent sandbox can read them, and prints that folder: node_modules/.bin holds the executables,
# copilot-cache the package Copilot CLI unpacks on its first run. The folder's name carries a hash of package.json,
# so a new pin installs anew. Used by the real-CLI tests and by .ci/run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root="${LOOPS_AGENT_CLIS_CACHE:-/var/tmp/loops-agent-clis}/$(sha256sum "$here/package.json" | cut -c1-12)"
mkdir -p "$root"
exec 9>"$root.lock"
flock 9
if [ ! -f "$root/.installed" ]; then
  cp "$here/package.json" "$root/package.json"
  npm install --prefix "$root" --no-package-lock --no-audit --no-fund --loglevel=error >&2
  # Copilot unpacks its JavaScript on first run; done once here, it is read from this folder (COPILOT_PKG_CACHE_HOME).
  COPILOT_PKG_CACHE_HOME="$root/copilot-cache" HOME="$root/home" "$root/node_modules/.bin/copilot" --version >&2
  touch "$root/.installed"
fi
echo "$root"
