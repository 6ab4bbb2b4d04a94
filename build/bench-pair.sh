#!/usr/bin/env bash
# Benchmarks of the pair loop (issue 18), both sides of each comparison in one run, alternating:
# 1. `dotnet build -t:Pair` against a plain no-op `dotnet build`, on a one-project and on a 20-project solution
#    (target: <= 150 ms absolute overhead on both).
# 2. `loops pair checkpoint` on a repository of FILES files with one file changed, the whole process
#    (target: <= 0.35 s).
# 3. `loops pair watch` against `dotnet watch test` on the 20-project solution: the reaction from touching one leaf
#    file to the dashboard with build and affected tests done, resp. to dotnet watch's end of the test run
#    (target: pair watch <= dotnet watch).
# The loops tool measured is the one the packed ExecutionLoops.MSBuild package runs (a Release pack: ReadyToRun).
# The Pair rows run as on a developer's machine: node reuse on, no CI variables, so the first Pair call of the setup
# starts the warm pair server (loops pair serve) and every timed call is answered by it; the plain rows get the same
# environment. The checkpoint rows start the loops process each time and time it whole: served by the warm pair server
# its first call started (the default on a developer's machine), and alternating with those, run by the process itself
# (LOOPS_PAIR_SERVER=false, as in CI).
# Prints every run, the medians, the ratios and the load (uptime) at the time. LOOPS_TRACE=1 adds the phase trace of
# one extra call of each kind. Environment: RUNS (default 7), FILES (20000), WATCH_RUNS (5), SKIP_WATCH=1.
set -euo pipefail
RUNS=${RUNS:-7}
FILES=${FILES:-20000}
WATCH_RUNS=${WATCH_RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/loops-pair-bench-XXXXXX)
stop_servers() {
  for repo in "$work/one" "$work/twenty" "$work/big"; do
    [ -n "${tool:-}" ] && [ -d "$repo" ] && (cd "$repo" && dotnet "$tool" pair serve --stop >/dev/null 2>&1) || true
  done
}
cleanup() { stop_servers; jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export MSBUILDDISABLENODEREUSE=0   # a developer's machine keeps build nodes warm between calls
# ... and has no CI variables, and the compiler server on (a CI image may set UseSharedCompilation=false): the pair
# server follows MSBuild's node-reuse policy, which these would turn off.
unset CI TF_BUILD UseSharedCompilation
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_WATCH_SUPPRESS_EMOJIS=1
trace=${LOOPS_TRACE:-}
unset LOOPS_TRACE

echo "load before: $(uptime)"
version="0.0.0-bench.$(date +%s)"
dotnet pack "$here/src/ExecutionLoops.MSBuild" -c Release -o "$work/feed" -p:PackageVersion="$version" -nologo -v q >/dev/null

cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
cat > "$work/Directory.Build.props" <<XML
<Project>
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><RestorePackagesPath>$work/packages</RestorePackagesPath><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="ExecutionLoops.MSBuild" Version="$version" PrivateAssets="all" /></ItemGroup>
</Project>
XML

# A one-project solution and a 20-project one: Core, Lib1..Lib9 (each on Core), and one xunit project per library.
mkdir -p "$work/one" && cd "$work/one"
mkdir App && printf '<Project Sdk="Microsoft.NET.Sdk" />\n' > App/App.csproj
printf 'namespace App;\npublic static class Calc { public static int Add(int a, int b) => a + b; }\n' > App/Calc.cs
dotnet new sln -n One -o . >/dev/null && dotnet sln One.sln* add App/App.csproj >/dev/null

mkdir -p "$work/twenty" && cd "$work/twenty"
dotnet new sln -n Twenty -o . >/dev/null
test_packages='<ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" /><PackageReference Include="xunit" Version="2.9.3" /><PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" /></ItemGroup>'
for i in $(seq 0 9); do
  name=$([ "$i" = 0 ] && echo Core || echo "Lib$i")
  mkdir -p "src/$name" "tests/$name.Tests"
  ref=$([ "$i" = 0 ] && echo "" || echo '<ItemGroup><ProjectReference Include="../Core/Core.csproj" /></ItemGroup>')
  printf '<Project Sdk="Microsoft.NET.Sdk">%s</Project>\n' "$ref" > "src/$name/$name.csproj"
  printf 'namespace %s;\npublic static class Calc%s { public static int Twice(int a) => a * 2; }\n' "$name" "$i" > "src/$name/Calc$i.cs"
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><IsPackable>false</IsPackable></PropertyGroup>%s<ItemGroup><ProjectReference Include="../../src/%s/%s.csproj" /></ItemGroup></Project>\n' "$test_packages" "$name" "$name" > "tests/$name.Tests/$name.Tests.csproj"
  printf 'namespace %s.Tests;\npublic class CalcTests { [Xunit.Fact] public void Twice() => Xunit.Assert.Equal(4, %s.Calc%s.Twice(2)); }\n' "$name" "$name" "$i" > "tests/$name.Tests/CalcTests.cs"
  dotnet sln Twenty.sln* add "src/$name/$name.csproj" "tests/$name.Tests/$name.Tests.csproj" >/dev/null
done

for repo in "$work/one" "$work/twenty"; do
  cd "$repo"
  cp "$work/nuget.config" "$work/Directory.Build.props" .
  printf 'bin/\nobj/\n' > .gitignore
  git init -q -b main && git add -A && git -c user.name=b -c user.email=b@b commit -qm init
  dotnet build -nologo -v q >/dev/null
  dotnet build -nologo -v q -t:Pair -p:Goal=bench >/dev/null   # runs loops itself, then starts the pair server
  dotnet build -nologo -v q -t:Pair >/dev/null                  # the server's first call (its JIT)
done
tool=$(ls -d "$work"/packages/executionloops.msbuild/*/tools/net10.0)/loops.dll
for repo in one twenty; do
  served=$(cd "$work/$repo" && dotnet build -nologo -v n -t:Pair | grep -o 'served by the pair server (pid [0-9]*)' || echo "NOT served by a pair server")
  echo "$repo: Pair calls $served"
done

now() { date +%s%N; }
# Waits (at most a minute) until the CPUs were 85% idle for a whole second: the build servers of the rows before go on
# compiling their hot code in the background (tiered JIT) for seconds after a build, which is not the next row's cost.
settle() {
  local waited=0 idle
  while [ "$waited" -lt 60 ]; do
    idle=$(python3 -c '
import time
def sample():
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return fields[3] + fields[4], sum(fields)
i0, t0 = sample(); time.sleep(1); i1, t1 = sample()
print(int(100 * (i1 - i0) / max(1, t1 - t0)))')
    [ "$idle" -ge 85 ] && break
    waited=$((waited + 1))
  done
  echo "settled: ${idle}% idle after ${waited} s of waiting"
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", (a-b)/1e9}'; }
declare -A results
for repo in one twenty; do
  cd "$work/$repo"
  plain=(); pair=()
  for _ in $(seq 1 "$RUNS"); do
    s=$(now); dotnet build -nologo -v q >/dev/null; plain+=("$(seconds "$(now)" "$s")")
    s=$(now); dotnet build -nologo -v q -t:Pair >/dev/null; pair+=("$(seconds "$(now)" "$s")")
  done
  results[$repo-plain]="${plain[*]}"; results[$repo-pair]="${pair[*]}"
  if [ -n "$trace" ]; then echo "trace of one Pair call ($repo):"; LOOPS_TRACE=1 dotnet build -nologo -v m -t:Pair 2>&1 | grep loops-trace || true; fi
done
load_builds=$(cut -d, -f3- <<<"$(uptime)")

# MCP session_status against the CLI call it wraps (loops pair status), on the one-project solution: both build and checkpoint.
cd "$work/one"
read -r mcp_times cli_times < <(python3 - "$tool" "$RUNS" <<'PY2'
import json, subprocess, sys, time
tool, runs = sys.argv[1], int(sys.argv[2])
server = subprocess.Popen(["dotnet", tool, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
def send(message):
    server.stdin.write(json.dumps(message) + "\n"); server.stdin.flush()
def answer(id):
    while True:
        line = server.stdout.readline()
        if not line:
            raise SystemExit("the MCP server stopped")
        reply = json.loads(line)
        if reply.get("id") == id:
            return reply
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}})
answer(1)
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
mcp, cli = [], []
for i in range(runs + 1):
    started = time.monotonic()
    send({"jsonrpc": "2.0", "id": 10 + i, "method": "tools/call", "params": {"name": "session_status", "arguments": {}}})
    reply = answer(10 + i)
    took = time.monotonic() - started
    if reply.get("result", {}).get("isError") or "error" in reply:
        raise SystemExit(f"session_status failed: {reply}")
    started = time.monotonic()
    subprocess.run(["dotnet", tool, "pair", "status"], check=True, stdout=subprocess.DEVNULL)
    if i > 0:  # the first call of each warms the build nodes
        mcp.append(took); cli.append(time.monotonic() - started)
server.stdin.close(); server.wait()
print(",".join(f"{x:.3f}" for x in mcp), ",".join(f"{x:.3f}" for x in cli))
PY2
)

# A repository with many files for the checkpoint timing.
mkdir -p "$work/big" && cd "$work/big" && git init -q -b main
python3 - "$FILES" <<'PY'
import os, sys
n = int(sys.argv[1])
for i in range(n):
    d = f"src/m{i // 500}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i}.cs", "w") as f:
        f.write(f"namespace M{i // 500};\npublic static class C{i} {{ public static int V => {i}; }}\n")
PY
printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n' > Big.csproj
printf 'bin/\nobj/\n' > .gitignore
# The first commit of 20,000 files leaves as many loose objects, and git's automatic gc would pack them in a detached
# process during the first timed checkpoints (which made them twice as slow): pack them first, as an aged repository is.
git add -A && git -c user.name=b -c user.email=b@b -c gc.auto=0 commit -qm init && git gc --quiet
printf '{"version":"2.1.0","runs":[]}\n' > "$work/empty.sarif"
# The start runs in the process and starts the pair server for the next calls, as in a developer's terminal.
dotnet "$tool" pair start --goal bench --project Big.csproj --compiler-log "$work/empty.sarif" --build-succeeded true >/dev/null
dotnet "$tool" pair checkpoint >/dev/null   # the session's first checkpoint after start: the kept index exists from here on
# Until the server answers: its first call (its JIT) is not timed.
for _ in $(seq 1 50); do
  echo "// warm" >> src/m0/f0.cs
  LOOPS_TRACE=1 dotnet "$tool" pair checkpoint 2>&1 >/dev/null | grep -q "served by the pair server" && break
  sleep 0.2
done
# Alternating: served by the warm pair server (the default on a developer's machine), and run by the process itself
# (LOOPS_PAIR_SERVER=false; CI, or node reuse off).
checkpoints=(); local_checkpoints=()
settle
for i in $(seq 1 "$RUNS"); do
  echo "// edit $i" >> src/m0/f0.cs
  s=$(now); dotnet "$tool" pair checkpoint >/dev/null; checkpoints+=("$(seconds "$(now)" "$s")")
  echo "// edit $i, no server" >> src/m0/f0.cs
  s=$(now); LOOPS_PAIR_SERVER=false dotnet "$tool" pair checkpoint >/dev/null; local_checkpoints+=("$(seconds "$(now)" "$s")")
done
if [ -n "$trace" ]; then
  echo "// traced" >> src/m0/f0.cs; echo "trace of one checkpoint, served:"; LOOPS_TRACE=1 dotnet "$tool" pair checkpoint 2>&1 >/dev/null | grep loops-trace || true
  echo "// traced" >> src/m0/f0.cs; echo "trace of one checkpoint, no server:"; LOOPS_TRACE=1 LOOPS_PAIR_SERVER=false dotnet "$tool" pair checkpoint 2>&1 >/dev/null | grep loops-trace || true
fi
load_checkpoint=$(cut -d, -f3- <<<"$(uptime)")

# pair watch against dotnet watch test, one after the other on the same solution, the same leaf file touched.
watch_pair=""; watch_dotnet=""; load_watch=""
if [ -z "${SKIP_WATCH:-}" ]; then
  cd "$work/twenty"
  dotnet test Twenty.sln* -nologo -v q >/dev/null
  read -r watch_pair watch_dotnet < <(python3 - "$tool" "$WATCH_RUNS" <<'PY'
import os, subprocess, sys, threading, time, statistics
tool, runs = sys.argv[1], int(sys.argv[2])
leaf = "src/Lib9/Calc9.cs"

def react(command, done, ready):
    """Starts a watcher, waits until it is ready, then touches the leaf file `runs` times and times each reaction."""
    lines = []
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, start_new_session=True)
    def pump():
        for line in process.stdout:
            lines.append((time.monotonic(), line.rstrip("\n")))
    threading.Thread(target=pump, daemon=True).start()
    def wait_for(predicate, since, timeout=300):
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            for at, line in list(lines):
                if at >= since and predicate(line):
                    return at
            time.sleep(0.01)
        raise SystemExit(f"no reaction of {command[:3]} within {timeout}s; last lines: {lines[-10:]}")
    wait_for(ready, 0)
    time.sleep(2)
    took = []
    for i in range(runs):
        with open(leaf, "a") as f:
            f.write(f"// save {i} {time.time()}\n")
        saved = time.monotonic()
        took.append(wait_for(done, saved) - saved)
        time.sleep(2)
    os.killpg(process.pid, 15)
    process.wait()
    return took

pair = react(["dotnet", tool, "pair", "watch", "--project", [f for f in os.listdir(".") if f.startswith("Twenty.sln")][0]],
             done=lambda l: l.startswith("Checkpoint ") or l.startswith("Not green"),
             ready=lambda l: l.startswith("Checkpoint ") or l.startswith("Not green"))
dotnet = react(["dotnet", "watch", "--non-interactive", "--project", "tests/Lib9.Tests/Lib9.Tests.csproj", "test"],
               done=lambda l: "Exited" in l,
               ready=lambda l: "Exited" in l)
print(" ".join(f"{x:.3f}" for x in pair).replace(" ", ","), " ".join(f"{x:.3f}" for x in dotnet).replace(" ", ","))
PY
)
  load_watch=$(cut -d, -f3- <<<"$(uptime)")
fi

python3 - "${results[one-plain]}" "${results[one-pair]}" "${results[twenty-plain]}" "${results[twenty-pair]}" "${checkpoints[*]}" "$FILES" "$watch_pair" "$watch_dotnet" "$load_builds" "$load_checkpoint" "$load_watch" "$mcp_times" "$cli_times" "${local_checkpoints[*]}" <<'PY'
import statistics, sys
def floats(text, sep=None): return [float(x) for x in text.replace(",", " ").split()] if text else []
def runs(xs): return " ".join(f"{x:.2f}" for x in xs)
one_plain, one_pair, twenty_plain, twenty_pair, cps = (floats(a) for a in sys.argv[1:6])
files, watch_pair, watch_dotnet = sys.argv[6], floats(sys.argv[7]), floats(sys.argv[8])
load_builds, load_checkpoint, load_watch = sys.argv[9:12]
mcp, cli, local_cps = floats(sys.argv[12]), floats(sys.argv[13]), floats(sys.argv[14])
for name, plain, pair in (("one-project", one_plain, one_pair), ("20-project", twenty_plain, twenty_pair)):
    mp, mq = statistics.median(plain), statistics.median(pair)
    print(f"{name} solution: no-op dotnet build median {mp:.3f}s (runs {runs(plain)})")
    print(f"{name} solution: dotnet build -t:Pair median {mq:.3f}s (runs {runs(pair)})")
    print(f"{name} solution: Pair overhead {1000 * (mq - mp):.0f} ms, ratio {mq / mp:.2f} (target: overhead <= 150 ms)")
print(f"  load at the builds:{load_builds}")
mm, mc = statistics.median(mcp), statistics.median(cli)
print(f"MCP session_status median {mm:.3f}s (runs {runs(mcp)}); loops pair status (the CLI call it wraps) median {mc:.3f}s (runs {runs(cli)}); ratio {mm / mc:.2f} (target <= 1)")
print(f"checkpoint of a {files}-file repo, one file changed: median {statistics.median(cps):.3f}s for the whole loops process, served by the warm pair server (runs {runs(cps)}) (target <= 0.35 s)")
print(f"  the same, run by the process itself (LOOPS_PAIR_SERVER=false): median {statistics.median(local_cps):.3f}s (runs {runs(local_cps)})")
print(f"  load at the checkpoints:{load_checkpoint}")
if watch_pair:
    mp, md = statistics.median(watch_pair), statistics.median(watch_dotnet)
    print(f"pair watch reaction (leaf file saved -> dashboard, build and affected tests done): median {mp:.2f}s (runs {runs(watch_pair)})")
    print(f"dotnet watch test reaction (same save -> test run exited): median {md:.2f}s (runs {runs(watch_dotnet)})")
    print(f"ratio pair watch / dotnet watch test = {mp / md:.2f} (target <= 1)")
    print(f"  load at the watch runs:{load_watch}")
PY
