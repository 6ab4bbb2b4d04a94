#!/usr/bin/env bash
# Benchmark 1 of the delegate-loop issue: `loops delegate` for one format mission (gates build, test,
# format, diff) on the demo solution, against the same work done by hand in one shell script
# (git worktree add, dotnet format, dotnet build, dotnet test --no-build,
# dotnet format --verify-no-changes, git commit). Runs alternate, RUNS each; prints medians and the ratio.
# Target: median ratio <= 1.10.
set -euo pipefail
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/loops-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build "$here/src/ExecutionLoops.Cli" -c Release -nologo -v q >/dev/null
loops() { dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" "$@"; }

# One pristine sample repo; every run starts from its own clone of it.
loops demo --no-run --path "$work/sample" >/dev/null
# Warm the NuGet cache and the build servers once so neither side pays for first-time downloads.
(cd "$work/sample" && dotnet build DemoShop.sln -nologo -v q >/dev/null && git clean -fdxq)

by_hand() {
  local repo=$1
  git -C "$repo" worktree add -q -b hand/format "$repo-wt" HEAD
  (
    cd "$repo-wt"
    dotnet format DemoShop.sln --include src/ tests/
    dotnet build DemoShop.sln -nologo -v q
    dotnet test DemoShop.sln --no-build -nologo -v q
    dotnet format DemoShop.sln --verify-no-changes
    git add -A -- . ':(exclude,glob)**/bin/**' ':(exclude,glob)**/obj/**'
    git commit -qm "style: format" -m "Mission-Id: format-code"
  ) >/dev/null
}

with_loops() {
  local repo=$1
  (cd "$repo" && loops delegate --mission format-code >/dev/null 2>&1)
}

now() { date +%s%N; }  # nanoseconds
hand_times=(); loops_times=()
for i in $(seq 1 "$RUNS"); do
  for side in hand loops; do
    repo="$work/$side-$i"
    git clone -q "$work/sample" "$repo"
    start=$(now)
    if [ "$side" = hand ]; then by_hand "$repo"; else with_loops "$repo"; fi
    elapsed=$(awk -v a="$(now)" -v b="$start" 'BEGIN{printf "%.3f", (a-b)/1e9}')
    if [ "$side" = hand ]; then hand_times+=("$elapsed"); else loops_times+=("$elapsed"); fi
    printf 'run %d %-5s %6.2fs\n' "$i" "$side" "$elapsed"
  done
done

python3 - "${hand_times[*]}" "${loops_times[*]}" <<'PY'
import statistics, sys
hand = [float(x) for x in sys.argv[1].split()]
loops = [float(x) for x in sys.argv[2].split()]
mh, ml = statistics.median(hand), statistics.median(loops)
print(f"by hand   median {mh:6.2f}s  runs {' '.join(f'{x:.2f}' for x in hand)}")
print(f"loops     median {ml:6.2f}s  runs {' '.join(f'{x:.2f}' for x in loops)}")
print(f"ratio loops/by-hand = {ml/mh:.3f} (target <= 1.10)")
PY
