#!/usr/bin/env bash
# Runs OpenSearch's own API tests (../shared/conformance, via ../shared/tools/conformance.py)
# against the emulator: the core suite (templates, stored pipelines, ISM) and the ingest suite
# (pipeline execution, documents, Painless). Fails on any failure not listed in
# conformance-known-failures.txt, and on any listed case that now passes.
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
out="$(mktemp -d)"
target/debug/cluster-emulator --opensearch 127.0.0.1:0 --dashboards 127.0.0.1:0 >"$out/urls" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 50); do [ -s "$out/urls" ] && break; sleep 0.1; done
url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["opensearch"])' "$out/urls")"
for suite in core ingest; do
  python3 "$shared/tools/conformance.py" --url "$url" --suite "$suite" --json >"$out/$suite.json" || true
done
python3 - "$out" "$here/conformance-known-failures.txt" <<'PY'
import json, os, sys
out, known_file = sys.argv[1], sys.argv[2]
known = {l.strip() for l in open(known_file) if l.strip() and not l.startswith("#")}
failed = {}
for suite in ("core", "ingest"):
    result = json.load(open(os.path.join(out, suite + ".json")))
    suite_failed = {f["case"]: f["why"] for f in result["failures"]}
    failed.update(suite_failed)
    n_known = len([c for c in suite_failed if c in known])
    print(f"conformance {suite}: {result['passed']} passed, {result['failed']} failed ({n_known} known), {result['skipped']} skipped")
new = {case: why for case, why in failed.items() if case not in known}
fixed = known - set(failed)
for case, why in new.items():
    print(f"NEW FAILURE {case}: {why}")
for case in sorted(fixed):
    print(f"now passing, remove it from conformance-known-failures.txt: {case}")
sys.exit(1 if new or fixed else 0)
PY
