#!/usr/bin/env bash
# A whitespace `format` mission on a generated 50-project solution against `dotnet format` of the whole solution
# by hand, side by side in one run. The mission is the whole `loops delegate` (worktree, format toil in folder
# mode without restore, format gate on the changed files, commit, review item); by hand is `dotnet format <sln>`
# on a fresh, restored copy of the same repository. Prints the medians and the speed-up (target: at least 3x).
set -euo pipefail
PROJECTS=${PROJECTS:-50}
RUNS=${RUNS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/loops-format-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build "$here/src/ExecutionLoops.Cli" -c Release -nologo -v q >/dev/null
loops() { dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" "$@"; }

repo="$work/repo"
mkdir -p "$repo/.loops/missions"
git -C "$repo" init -q -b main
printf 'bin/\nobj/\n.loops/state/\n' > "$repo/.gitignore"
printf 'root = true\n\n[*.cs]\nindent_style = space\nindent_size = 4\ncsharp_new_line_before_open_brace = all\n' > "$repo/.editorconfig"
entries=""
for p in $(seq -w 1 "$PROJECTS"); do
  dir="$repo/src/Project$p"
  mkdir -p "$dir"
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n' > "$dir/Project$p.csproj"
  for f in 1 2 3; do
    printf 'namespace Project%s;\npublic class Type%s {\n  public int Add(int a,int b){ return a+b; }\n      public string Name {get;set;} = "x";\n}\n' "$p" "$f" > "$dir/Type$f.cs"
  done
  entries="$entries  <Project Path=\"src/Project$p/Project$p.csproj\" />\n"
done
printf "<Solution>\n$entries</Solution>\n" > "$repo/Bench.slnx"
cat > "$repo/.loops/missions/fmt.md" <<'BRIEF'
---
kind: format
on: {manual: true}
scope: {include: ["src/**"]}
format: whitespace
constraints: {max-files: 500, max-lines: 5000, timeout: 20m}
gates: [format]
success: [the code is formatted]
---
# Format the code
BRIEF
git -C "$repo" add -A && git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm init
dotnet restore "$repo/Bench.slnx" -nologo -v q >/dev/null

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

ours=(); hand=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$repo/.loops/state"; git -C "$repo" branch -D loops/fmt >/dev/null 2>&1 || true
  ours+=("$(seconds loops delegate --mission fmt --repo "$repo")")
  rm -rf "$work/copy"; git clone -q "$repo" "$work/copy"; dotnet restore "$work/copy/Bench.slnx" -nologo -v q >/dev/null
  hand+=("$(seconds dotnet format "$work/copy/Bench.slnx")")
done
changed=$(git -C "$repo" diff --name-only main loops/fmt | wc -l)
o=$(median "${ours[@]}"); h=$(median "${hand[@]}")
echo "format mission ($changed files changed, toil + gate + commit + review item): median ${o}s  (runs: ${ours[*]})"
echo "dotnet format whole solution by hand:                                   median ${h}s  (runs: ${hand[*]})"
printf 'speed-up by-hand/loops: %.2fx (target: at least 3x)\n' "$(echo "$h / $o" | bc -l)"
