#!/usr/bin/env bash
#===- setup-ort.sh - Install ONNX Runtime (Node) into BUILD/ort -----------===#
#
#   tools/scripts/setup-ort.sh [BUILD]        (default BUILD: build)
#
# Installs the numeric reference of tools/ort (onnxruntime-node, pinned in
# tools/ort/package.json and package-lock.json) into BUILD/ort/node_modules
# with `npm ci`, never into the source tree. ONNXRUNTIME_NODE_INSTALL=skip
# stops the package's install script from downloading CUDA binaries: the CPU
# library it bundles (bin/napi-v6/linux/x64/libonnxruntime.so.1) is all the
# reference needs, so only the npm registry is used.
#
# Idempotent: when BUILD/ort holds an install of the same lock file that
# loads, it returns at once (~0.15 s). Measured with an empty npm cache:
# 85 MB download (25 packages), 214 MB in node_modules, 4 s with NodeSource's
# Node 20 / npm 11 and 7 s with Debian 12's nodejs 18 / npm 9.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
# Node ships its own CA list; also trust the system's (a machine behind a
# TLS-inspecting proxy installs the proxy's CA there).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
build=${1:-build}
src=$(cd "$(dirname "$0")/../ort" && pwd)
dest="$build/ort"

die() { echo "setup-ort: error: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 ||
  die "node not found: install Node.js >= 18 (tools/scripts/install-deps.sh does)"
command -v npm >/dev/null 2>&1 ||
  die "npm not found: install npm (tools/scripts/install-deps.sh does)"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || die "node $(node --version) is too old: need >= 18"

# What an install is of: the lock file and the Node.js major version (the
# binding is Node-API, but npm ci's result may depend on the engine).
stamp=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)-node$major
loads() {
  (cd "$dest" && node -e "
    const ort = require('onnxruntime-node');
    if (typeof ort.InferenceSession?.create !== 'function') process.exit(1);
  ") >/dev/null 2>&1
}
if [ -f "$dest/.installed" ] && [ "$(cat "$dest/.installed")" = "$stamp" ] && loads; then
  exit 0
fi

mkdir -p "$dest"
rm -f "$dest/.installed"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
echo "setup-ort: installing onnxruntime-node into $dest (npm ci, ~86 MB download)"
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! (cd "$dest" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --fetch-retry-maxtimeout=10000 \
        --loglevel=error) >"$log" 2>&1; then
  if grep -qE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH' "$log"; then
    die "npm ci failed: the npm registry ($(npm config get registry 2>/dev/null)) is unreachable ($(grep -m1 -oE 'E[A-Z]{4,}' "$log"))"
  fi
  grep -v 'Unknown user config' "$log" | tail -20 >&2
  die "npm ci failed in $dest (log above)"
fi
loads || die "onnxruntime-node installed in $dest but does not load: $(cd "$dest" && node -e "require('onnxruntime-node')" 2>&1 | grep -m1 -i error)"
echo "$stamp" > "$dest/.installed"
echo "setup-ort: onnxruntime-node $(cd "$dest" && node -p "require('onnxruntime-node/package.json').version") ready in $(( $(date +%s) - start )) s ($(du -sh "$dest/node_modules" | cut -f1) on disk)"
