#!/usr/bin/env bash
# Benchmark of the agent-isolation issue: what the OS sandbox costs a build+test gate. The same agent mission
# (a scripted agent adds a test; gates build and test) runs with agent.sandbox: bwrap and with agent.sandbox: none,
# alternating, side by side in one run, in two phases: the unsandboxed side first keeps the build servers of the
# earlier runs warm (a developer's machine), then starts after shutting them down (a fresh CI job). Each side is the
# whole gate time (restore, build, test) from the run report. Before the phases, WARM_RUNS (default 4) unsandboxed
# missions warm the developer's build servers. The solution is the demo plus PROJECTS generated
# libraries (default 20; PROJECTS=0 for the demo alone). The scripted agent first waits AGENT_SECONDS (default 20) as
# a model call would: a real agent works for minutes, and the sandbox warms the gates' build servers meanwhile. Prints
# the medians of the gate time, of each gate and of the whole mission, and the overheads; the target is under 10% of
# the gate time. PHASES=developer (or ci) runs one phase only. KEEP=1 keeps the sample repository (its
# .loops/state/runs hold the mission logs).
set -euo pipefail
# Both sides run with the SDK's defaults: MSBuild node reuse and the compiler server on (a CI image may turn both off,
# which would leave the unsandboxed side without the warm servers a developer's machine has).
unset MSBUILDDISABLENODEREUSE UseSharedCompilation
RUNS=${RUNS:-5}
PROJECTS=${PROJECTS:-20}
AGENT_SECONDS=${AGENT_SECONDS:-20}
WARM_RUNS=${WARM_RUNS:-4}
PHASES=${PHASES:-developer ci}
for phase in $PHASES; do case $phase in developer|ci) ;; *) echo "PHASES: developer, ci or both"; exit 2 ;; esac; done
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

# Warm the NuGet caches, and the build servers of the developer's machine: they converge after a few builds of the
# solution (in one trial its compiler time fell from 4.1 s to 1.9 s over the first two, the whole build from 9.0 s to
# 6.1 s over the first four).
for warm in $(seq 1 "$WARM_RUNS"); do loops delegate --repo "$repo" --mission bench-none >/dev/null 2>&1; done
# Two phases, each alternating bwrap and none. Phase 1: none keeps the build servers the earlier runs left (a
# developer's machine: MSBuild nodes and the compiler server stay warm between builds). Phase 2: every none run
# starts after `dotnet build-server shutdown` (the first mission of a fresh CI job: cold servers, as each mission's
# sandbox hosts start). The sandbox's hosts live in their own namespaces: the shutdown does not reach them.
for side in bwrap none bwrap-ci fresh; do : > "$work/$side.txt"; done
for phase in $PHASES; do
  for run in $(seq 1 "$RUNS"); do
    for mode in bwrap none; do
      side=$mode
      if [ "$phase" = ci ]; then
        if [ "$mode" = none ]; then side=fresh; dotnet build-server shutdown >/dev/null 2>&1 || true; else side=bwrap-ci; fi
      fi
      loops delegate --repo "$repo" --mission "bench-$mode" --report "$work/report-$side.json" >/dev/null 2>&1
      seconds "$work/report-$side.json" >> "$work/$side.txt"
    done
  done
done

column() { cut -d' ' -f"$2" "$work/$1.txt" | median; }
overhead() { awk -v s="$1" -v p="$2" 'BEGIN { printf "%+.1f%%", (s - p) / p * 100 }'; }
echo "demo + $PROJECTS libraries, agent working ${AGENT_SECONDS} s, median of $RUNS runs each ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
# The host's speed drifts during a run: each sandboxed run against the unsandboxed run next to it, too.
paired() { paste -d' ' <(cut -d' ' -f1 "$work/$1.txt") <(cut -d' ' -f1 "$work/$2.txt") | awk '{print ($1 - $2) / $2 * 100}' | median | awk '{printf "%+.1f%%", $1}'; }
[ ! -s "$work/bwrap.txt" ] || echo "  developer's machine: build+test gates  bwrap: $(column bwrap 1) s   none, servers kept: $(column none 1) s   overhead $(overhead "$(column bwrap 1)" "$(column none 1)"), paired runs $(paired bwrap none) (target: under 10%)"
[ ! -s "$work/bwrap-ci.txt" ] || echo "  fresh CI job:        build+test gates  bwrap: $(column bwrap-ci 1) s   none, servers cold: $(column fresh 1) s   overhead $(overhead "$(column bwrap-ci 1)" "$(column fresh 1)"), paired runs $(paired bwrap-ci fresh) (target: under 10%)"
for side in bwrap none bwrap-ci fresh; do
  [ ! -s "$work/$side.txt" ] || echo "  $side: build $(column "$side" 3) s, test $(column "$side" 4) s; whole mission $(column "$side" 2) s"
done
[ ! -s "$work/bwrap.txt" ] || echo "  mission overhead, servers kept: $(overhead "$(column bwrap 2)" "$(column none 2)")"
[ ! -s "$work/bwrap-ci.txt" ] || echo "  mission overhead, servers cold: $(overhead "$(column bwrap-ci 2)" "$(column fresh 2)")"
