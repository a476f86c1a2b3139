#!/usr/bin/env bash
# Run the real-browser gates (tests/browser/*.test.mjs) against a built site.
#
#   tests/browser/run.sh              build the example directory (release binary) at
#                                     the root and at a sub-path base URL, then test both
#   tests/browser/run.sh SITE_DIR     test an already built site (no sub-path build,
#                                     unless AIDMAP_SUBPATH_SITE/_BASE_URL are set)
#
# Extra files to run instead of all: AIDMAP_TESTS="a11y.test.mjs links.test.mjs".
# Needs .ci/install-browser-deps to have run once.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  # --ignore-scripts: vnu-jar's postinstall would download a JDK; Debian's java is used.
  npm ci --ignore-scripts --no-audit --no-fund --prefix "$HERE"
fi

if [ $# -ge 1 ]; then
  [ -f "$1/index.html" ] || { echo "run.sh: $1 has no index.html" >&2; exit 2; }
  AIDMAP_SITE="$(cd "$1" && pwd)"
  export AIDMAP_SITE
else
  cargo build --release --quiet
  # Wherever cargo puts it (CARGO_TARGET_DIR is common on shared machines).
  BIN="$("$ROOT/scripts/aidmap-bin")"
  OUT="$HERE/out"
  rm -rf "$OUT/site" "$OUT/subpath"
  mkdir -p "$OUT"
  # A free loopback port, written into the sub-path build's base URL; subpath.test.mjs
  # serves that build on it (and skips, saying why, if it was taken meanwhile).
  PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  SUB_URL="http://127.0.0.1:$PORT/sub/path/"
  echo "run.sh: building the example directory into $OUT/site and $OUT/subpath ($SUB_URL)"
  "$BIN" build --root . --out "$OUT/site"
  "$BIN" build --root . --out "$OUT/subpath" --base-url "$SUB_URL"
  export AIDMAP_SITE="$OUT/site" AIDMAP_SUBPATH_SITE="$OUT/subpath" AIDMAP_SUBPATH_BASE_URL="$SUB_URL"
  # search.test.mjs compares the browser with `aidmap find`; serve.test.mjs runs `aidmap serve`.
  export AIDMAP_BIN="$BIN" AIDMAP_ROOT="$ROOT"
  # hostile.test.mjs: content written by an attacker must not run.
  rm -rf "$OUT/hostile"
  "$BIN" build --root tests/fixtures/hostile --out "$OUT/hostile"
  export AIDMAP_HOSTILE_SITE="$OUT/hostile"
  # languages.test.mjs: the site in Welsh, Somali and Arabic (right to left).
  rm -rf "$OUT/languages"
  "$BIN" build --root tests/fixtures/languages-site --out "$OUT/languages" 2>/dev/null
  export AIDMAP_LANGUAGES_SITE="$OUT/languages"
fi

cd "$HERE"
if [ -n "${AIDMAP_TESTS:-}" ]; then
  # shellcheck disable=SC2206
  TESTS=($AIDMAP_TESTS)
else
  TESTS=(*.test.mjs)
fi
# One test file at a time: each launches its own Chromium, and there are 2 cores.
exec node --test --test-concurrency="${AIDMAP_TEST_CONCURRENCY:-1}" "${TESTS[@]}"
