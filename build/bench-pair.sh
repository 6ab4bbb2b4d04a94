#!/usr/bin/env bash
# Benchmarks of the pair-loop issue.
# 1. On an up-to-date sample project: `dotnet build -t:Pair` against a plain no-op `dotnet build`,
#    alternating, RUNS each; prints medians and the ratio (target <= 1.3).
# 2. A checkpoint (`loops pair checkpoint`) on a repository with FILES files (target < 1 s).
set -euo pipefail
RUNS=${RUNS:-10}
FILES=${FILES:-20000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/loops-pair-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
export MSBUILDDISABLENODEREUSE=0   # a developer's machine keeps build nodes warm between calls

version="0.0.0-bench.$(date +%s)"
dotnet pack "$here/src/ExecutionLoops.MSBuild" -c Release -o "$work/feed" -p:PackageVersion="$version" -nologo -v q >/dev/null
mkdir -p "$work/app" && cd "$work/app"
git init -q -b main
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
cat > App.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><RestorePackagesPath>$work/packages</RestorePackagesPath></PropertyGroup>
  <ItemGroup><PackageReference Include="ExecutionLoops.MSBuild" Version="$version" PrivateAssets="all" /></ItemGroup>
</Project>
XML
printf 'namespace App;\npublic static class Calc { public static int Add(int a, int b) => a + b; }\n' > Calc.cs
printf 'bin/\nobj/\n.loops/pair/\n' > .gitignore
git add -A && git -c user.name=b -c user.email=b@b commit -qm init
dotnet build -nologo -v q >/dev/null
dotnet build -nologo -v q -t:Pair -p:Goal=bench >/dev/null

now() { date +%s%N; }
plain=(); pair=()
for i in $(seq 1 "$RUNS"); do
  s=$(now); dotnet build -nologo -v q >/dev/null; plain+=("$(awk -v a="$(now)" -v b="$s" 'BEGIN{printf "%.3f", (a-b)/1e9}')")
  s=$(now); dotnet build -nologo -v q -t:Pair >/dev/null; pair+=("$(awk -v a="$(now)" -v b="$s" 'BEGIN{printf "%.3f", (a-b)/1e9}')")
done

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
git add -A && git -c user.name=b -c user.email=b@b commit -qm init
loops() { dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" "$@"; }
dotnet build "$here/src/ExecutionLoops.Cli" -c Release -nologo -v q >/dev/null
mkdir -p .loops/pair && echo ".loops/pair/" >> .git/info/exclude
loops pair start --goal bench --project Big.csproj >/dev/null 2>&1 || true
echo "// edit" >> src/m0/f0.cs
echo "new" > src/m0/new.cs
checkpoints=()
for i in 1 2 3; do
  s=$(now); loops pair checkpoint >/dev/null; checkpoints+=("$(awk -v a="$(now)" -v b="$s" 'BEGIN{printf "%.3f", (a-b)/1e9}')")
done

python3 - "${plain[*]}" "${pair[*]}" "${checkpoints[*]}" "$FILES" <<'PY'
import statistics, sys
plain = [float(x) for x in sys.argv[1].split()]
pair = [float(x) for x in sys.argv[2].split()]
cps = [float(x) for x in sys.argv[3].split()]
mp, mq = statistics.median(plain), statistics.median(pair)
print(f"no-op dotnet build      median {mp:.2f}s  runs {' '.join(f'{x:.2f}' for x in plain)}")
print(f"dotnet build -t:Pair    median {mq:.2f}s  runs {' '.join(f'{x:.2f}' for x in pair)}")
print(f"ratio Pair/no-op = {mq/mp:.2f} (target <= 1.3)")
print(f"checkpoint of a {sys.argv[4]}-file repo: median {statistics.median(cps):.2f}s (whole loops process), runs {' '.join(f'{x:.2f}' for x in cps)} (target < 1 s)")
PY
