#!/usr/bin/env bash
# Benchmark 2 of the delegate-loop issue: `loops lint` on 1,000 generated briefs. Prints the wall time,
# the start-up time (lint of a single brief) and the difference. Target: under 1 s after start-up.
set -euo pipefail
COUNT=${COUNT:-1000}
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/loops-lint-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build "$here/src/ExecutionLoops.Cli" -c Release -nologo -v q >/dev/null
loops() { dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" "$@"; }

make_repo() {
  local repo=$1 count=$2
  mkdir -p "$repo/.loops/missions"
  git -C "$repo" init -q
  for i in $(seq 1 "$count"); do
    cat > "$repo/.loops/missions/mission-$i.md" <<BRIEF
---
kind: command
on:
  schedule: "0 $((i % 24)) * * *"
scope:
  include: ["src/**"]
  exclude: ["src/Generated/**"]
constraints:
  max-files: 20
  max-lines: 400
  timeout: 15m
commands:
  - dotnet tool run refresh-$i
gates: [build, test, {diff: {max-lines: 400}}]
success:
  - The generated file $i is up to date
review:
  title: "chore: refresh $i"
  labels: [toil]
---
# Refresh generated file $i

Run the generator and commit what changed.
BRIEF
  done
}

make_repo "$work/many" "$COUNT"
make_repo "$work/one" 1

now() { date +%s%N; }  # nanoseconds
many=(); one=()
for i in $(seq 1 "$RUNS"); do
  s=$(now); loops lint --repo "$work/one" >/dev/null; one+=("$(awk -v a="$(now)" -v b="$s" 'BEGIN{printf "%.3f", (a-b)/1e9}')")
  s=$(now); loops lint --repo "$work/many" >/dev/null; many+=("$(awk -v a="$(now)" -v b="$s" 'BEGIN{printf "%.3f", (a-b)/1e9}')")
done

python3 - "${one[*]}" "${many[*]}" "$COUNT" <<'PY'
import statistics, sys
one = statistics.median(float(x) for x in sys.argv[1].split())
many = statistics.median(float(x) for x in sys.argv[2].split())
print(f"lint of 1 brief (start-up):  median {one:.3f}s")
print(f"lint of {sys.argv[3]} briefs:        median {many:.3f}s")
print(f"after start-up:              {many - one:.3f}s (target < 1 s)")
PY
