#!/usr/bin/env bash
# Benchmark of the agent-isolation issue: what the OS sandbox costs a build+test gate. The same agent mission
# (a scripted agent adds a test; gates build and test) runs with agent.sandbox: bwrap and with agent.sandbox:
# none, alternating, side by side in one run. Each side is the whole gate time (restore, build, test) from the
# run report. The solution is the demo plus PROJECTS generated libraries (default 20; PROJECTS=0 for the demo
# alone). The scripted agent first waits AGENT_SECONDS (default 20) as a model call would: a real agent works for
# minutes, and the sandbox warms the gates' compiler server meanwhile. Prints the medians of the gate time and of
# the whole mission and of each gate, and the overhead; the target is under 10% of the gate time. KEEP=1 keeps the
# sample repository (its .loops/runs hold the mission logs).
set -euo pipefail
RUNS=${RUNS:-5}
PROJECTS=${PROJECTS:-20}
AGENT_SECONDS=${AGENT_SECONDS:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
# Not under /tmp: the sandbox has a /tmp of its own, and the agent script must be visible inside it.
work=$(mktemp -d /var/tmp/loops-sandbox-bench-XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work" /tmp/loops-worktrees/repo-*' EXIT
command -v bwrap >/dev/null || { echo "bubblewrap is not installed (apt-get install bubblewrap)"; exit 1; }

dotnet build "$here/src/ExecutionLoops.Cli" -c Release -nologo -v q >/dev/null
loops() { dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" "$@"; }

repo="$work/repo"
loops demo --path "$repo" --no-run >/dev/null
for p in $(seq -w 1 "$PROJECTS"); do
  mkdir -p "$repo/src/Lib$p"
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n' > "$repo/src/Lib$p/Lib$p.csproj"
  for c in 1 2 3 4 5; do
    printf 'namespace Lib%s;\n\npublic sealed class Type%s\n{\n    public int Add(int a, int b) => a + b;\n\n    public string Name { get; set; } = "x";\n}\n' "$p" "$c" > "$repo/src/Lib$p/Type$c.cs"
  done
  dotnet sln "$repo/DemoShop.sln" add "$repo/src/Lib$p/Lib$p.csproj" >/dev/null
done
cat > "$work/agent.sh" <<AGENT
#!/bin/sh
sleep $AGENT_SECONDS
cat > tests/DemoShop.Tests/BenchTests.cs <<'CS'
public class BenchTests { [Xunit.Fact] public void Adds() => Xunit.Assert.Equal(4, 2 + 2); }
CS
AGENT
for mode in bwrap none; do
  cat > "$repo/.loops/missions/bench-$mode.md" <<BRIEF
---
kind: agent
on: {manual: true}
scope: {include: ["tests/**"]}
constraints: {max-files: 5, max-lines: 50, timeout: 10m}
agent: {command: "sh $work/agent.sh", max-attempts: 1, sandbox: $mode}
gates: [build, test]
success: [a test is added]
---
# Bench ($mode)
BRIEF
done
git -C "$repo" add -A && git -C "$repo" commit -qm "bench missions"

# Prints "gate-seconds mission-seconds build-seconds test-seconds" of the report's one mission.
seconds() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); m=r["missions"][0]
assert m["outcome"]=="published", m["message"]
s=lambda d: float(d.split(":")[-1])+60*int(d.split(":")[-2])+3600*int(d.split(":")[-3])
g={x["name"]: s(x["duration"]) for x in m["gates"]}
print(g["build"] + g["test"], sum(s(t["duration"]) for t in m["stages"]), g["build"], g["test"])' "$1"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

loops delegate --repo "$repo" --mission bench-none >/dev/null 2>&1   # warm the NuGet and build caches once
: > "$work/bwrap.txt"; : > "$work/none.txt"
for run in $(seq 1 "$RUNS"); do
  for mode in bwrap none; do
    loops delegate --repo "$repo" --mission "bench-$mode" --report "$work/report-$mode.json" >/dev/null 2>&1
    seconds "$work/report-$mode.json" >> "$work/$mode.txt"
  done
done

sandboxed=$(cut -d' ' -f1 "$work/bwrap.txt" | median)
plain=$(cut -d' ' -f1 "$work/none.txt" | median)
sandboxed_mission=$(cut -d' ' -f2 "$work/bwrap.txt" | median)
plain_mission=$(cut -d' ' -f2 "$work/none.txt" | median)
echo "demo + $PROJECTS libraries, agent working ${AGENT_SECONDS} s, median of $RUNS runs each ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  build+test gates  bwrap: ${sandboxed} s   none: ${plain} s"
awk -v s="$sandboxed" -v p="$plain" 'BEGIN { printf "  gate overhead: %+.1f%% (target: under 10%%)\n", (s - p) / p * 100 }'
echo "  by gate           bwrap: build $(cut -d' ' -f3 "$work/bwrap.txt" | median) s, test $(cut -d' ' -f4 "$work/bwrap.txt" | median) s   none: build $(cut -d' ' -f3 "$work/none.txt" | median) s, test $(cut -d' ' -f4 "$work/none.txt" | median) s"
echo "  whole mission     bwrap: ${sandboxed_mission} s   none: ${plain_mission} s"
awk -v s="$sandboxed_mission" -v p="$plain_mission" 'BEGIN { printf "  mission overhead: %+.1f%%\n", (s - p) / p * 100 }'
