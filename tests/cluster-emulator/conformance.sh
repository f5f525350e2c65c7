#!/usr/bin/env bash
# Runs OpenSearch's own API tests (../shared/conformance, via ../shared/tools/conformance.py)
# against the emulator. Fails on any failure not listed in conformance-known-failures.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${SIEMCTL_SHARED:-$root/../shared}"
if [ ! -f "$shared/tools/conformance.py" ]; then
  echo "conformance: $shared/tools/conformance.py not found; skipping (set SIEMCTL_SHARED to run it)"
  exit 0
fi
cd "$root"
cargo build --quiet -p cluster-emulator
out="$(mktemp)"
target/debug/cluster-emulator --opensearch 127.0.0.1:0 --dashboards 127.0.0.1:0 >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["opensearch"])' "$out")"
python3 "$shared/tools/conformance.py" --url "$url" --json >"$out.json" || true
python3 - "$out.json" "$here/conformance-known-failures.txt" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
known = {l.strip() for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")}
failed = {f["case"]: f["why"] for f in result["failures"]}
new = {case: why for case, why in failed.items() if case not in known}
fixed = known - set(failed)
print(f"conformance: {result['passed']} passed, {result['failed']} failed ({len(failed) - len(new)} known), {result['skipped']} skipped")
for case, why in new.items():
    print(f"NEW FAILURE {case}: {why}")
for case in fixed:
    print(f"now passing, remove it from conformance-known-failures.txt: {case}")
sys.exit(1 if new or fixed else 0)
PY
