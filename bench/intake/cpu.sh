#!/usr/bin/env bash
# CPU per API request, the API's combined writes on and off, at one revision: run.sh's API run
# (no import) with OCHAG_API_COMBINER=1 and =0 alternating, each recording the CPU time of
# gunicorn's worker processes and of the database's backends divided by the requests served.
# Throughput alone said the combiner bought little at a loaded machine; this says what each
# request costs on both sides.
# The revision is checked out in a temporary worktree and measured under this tree's run.sh
# and client.py, against its own database bench_intake_REV (as before_after.sh does).
# A revision from before the switch (2b4f36b) gets it by a one-line patch of that worktree.
# Usage: bench/intake/cpu.sh REV [rounds=3] [seconds=20] [persons=100000]
# Writes bench/results/intake-cpu-STAMP-REV.json and prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
REV=$(git rev-parse --short=7 "$1"); ROUNDS=${2:-3}; SECS=${3:-20}; PERSONS=${4:-100000}
ROOT=$PWD; TREE=$(mktemp -d)/$REV; STAMP=$(date +%Y-%m-%dT%H%M); RUNS=$(mktemp)
git worktree add -q --detach "$TREE" "$REV"
trap 'git worktree remove --force "$TREE" 2>/dev/null || true; rm -f "$RUNS"' EXIT
ln -s "$ROOT/.venv" "$TREE/.venv"
cp bench/intake/run.sh bench/intake/client.py "$TREE/bench/intake/"
INTAKE=$TREE/ochag/signals/intake.py
if ! grep -rq OCHAG_API_COMBINER "$TREE/ochag" && grep -q "return _API_COMBINER.submit(item)" "$INTAKE"; then
  sed -i 's/^    return _API_COMBINER.submit(item)$/    if __import__("os").environ.get("OCHAG_API_COMBINER") == "0":\n        return _write_api_batch([item])[0]\n    return _API_COMBINER.submit(item)/' "$INTAKE"
fi
for round in $(seq "$ROUNDS"); do
  for combiner in 1 0; do
    out=$(cd "$TREE" && BENCH_DB=bench_intake_$REV BENCH_TAG="cpu-$STAMP-r$round-c$combiner" \
      OCHAG_API_COMBINER=$combiner bash bench/intake/run.sh "$PERSONS" "$SECS" 0 | tail -1)
    .venv/bin/python -c 'import json, sys; r = json.load(open(sys.argv[1])); print(json.dumps({"round": int(sys.argv[2]), "combiner": int(sys.argv[3]), "api": r["api"], "load_before": r["machine"]["load_average_before"]}))' \
      "$TREE/$out" "$round" "$combiner" >> "$RUNS"
    echo "round $round combiner=$combiner: $TREE/$out" >&2
  done
done
.venv/bin/python - "$RUNS" "$REV" "$STAMP" "$PERSONS" <<'PYEOF'
import json, os, platform, statistics, subprocess, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
rev, stamp, persons = sys.argv[2], sys.argv[3], int(sys.argv[4])
def med(on, key):
    return statistics.median(r["api"]["cpu"][key] if key.endswith("request") else r["api"][key]
                             for r in runs if r["combiner"] == on)
summary = {f"combiner_{'on' if on else 'off'}": {
    key: med(on, key) for key in ("throughput_per_s", "p95_ms", "worker_cpu_ms_per_request",
                                  "database_cpu_ms_per_request")} for on in (1, 0)}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
out = {"revision": rev, "measured_by": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
       "date": stamp, "registry_persons": persons, "server": "gunicorn 2x8 (deploy/gunicorn.conf.py)", "clients": 16,
       "machine": {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()},
       "medians": summary, "runs": runs}
path = f"bench/results/intake-cpu-{stamp}-{rev}.json"
json.dump(out, open(path, "w"), indent=1)
print(path)
print(json.dumps(summary, indent=1))
PYEOF
