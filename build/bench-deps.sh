#!/usr/bin/env bash
# `loops deps scan` against the SDK's `dotnet restore` + `dotnet list package --outdated` on generated solutions
# of 2,000 projects using 60 distinct packages at old versions (every fifth package written at a version the feed
# does not have, so restore resolves a higher one: NU1603), once with central package management and once with
# plain PackageReference versions, against one NuGet v3 feed served over HTTP on 127.0.0.1. Both sides start cold
# (empty HTTP caches and package folder). Prints the load, the times (target: loops cold <= 3 s), the ratio, and
# parity: every outdated package the SDK reports must be found by loops with the same resolved version and the
# same latest version. FORMS="cpm" runs one form only.
set -euo pipefail
PROJECTS=${PROJECTS:-2000}
PACKAGES=${PACKAGES:-60}
FORMS=${FORMS:-"plain cpm"}
echo "load before: $(uptime | sed 's/.*load average: //') (1, 5, 15 min) on $(nproc) cores"
echo "MSBuild-evaluation fallback: none. Imports whose path or condition cannot be evaluated statically are EL7011"
echo "warnings at the import (counted in the scan summary as 'imports not followed'); no project is evaluated by MSBuild,"
echo "so the fallback's cost per project is 0."
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/loops-deps-bench-XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build "$here/src/ExecutionLoops.Cli" -c Release -nologo -v q >/dev/null
loops() { dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" "$@"; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$work" "$port" "$PROJECTS" "$PACKAGES" <<'PY'
import json, os, random, sys, zipfile
work, port, projects, packages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
base = f"http://127.0.0.1:{port}/v3"
feed = os.path.join(work, "feed", "v3")
all_versions = ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "2.0.0", "2.1.0-beta.1"]
ids = [f"Bench.Package{i:02d}" for i in range(packages)]
# Every fifth package lacks 1.0.1, which the projects write: restore takes 1.1.0 (NU1603).
def versions_of(i): return [v for v in all_versions if not (i % 5 == 0 and v == "1.0.1")]
os.makedirs(feed, exist_ok=True)
json.dump({"version": "3.0.0", "resources": [
    {"@id": f"{base}/flat/", "@type": "PackageBaseAddress/3.0.0"},
    {"@id": f"{base}/registration/", "@type": "RegistrationsBaseUrl/3.6.0"},
    {"@id": f"{base}/registration/", "@type": "RegistrationsBaseUrl"}]}, open(os.path.join(feed, "index.json"), "w"))
for index, pid in enumerate(ids):
    versions = versions_of(index)
    low = pid.lower()
    flat = os.path.join(feed, "flat", low)
    os.makedirs(flat, exist_ok=True)
    json.dump({"versions": versions}, open(os.path.join(flat, "index.json"), "w"))
    leaves = []
    for v in versions:
        nuspec = f'<?xml version="1.0"?><package><metadata><id>{pid}</id><version>{v}</version><authors>bench</authors><description>bench</description></metadata></package>'
        os.makedirs(os.path.join(flat, v), exist_ok=True)
        open(os.path.join(flat, v, f"{low}.nuspec"), "w").write(nuspec)
        with zipfile.ZipFile(os.path.join(flat, v, f"{low}.{v}.nupkg"), "w") as z:
            z.writestr(f"{pid}.nuspec", nuspec)
            z.writestr("lib/netstandard2.0/_._", "")
        leaves.append({"@id": f"{base}/registration/{low}/{v}.json", "packageContent": f"{base}/flat/{low}/{v}/{low}.{v}.nupkg",
                       "catalogEntry": {"@id": f"{base}/catalog/{low}.{v}.json", "id": pid, "version": v, "listed": True, "published": "2025-01-01T00:00:00Z", "dependencyGroups": []}})
    reg = os.path.join(feed, "registration", low)
    os.makedirs(reg, exist_ok=True)
    json.dump({"count": 1, "items": [{"@id": f"{base}/registration/{low}/index.json#page", "count": len(leaves), "lower": versions[0], "upper": versions[-1], "items": leaves}]}, open(os.path.join(reg, "index.json"), "w"))

random.seed(42)
uses = [sorted(random.sample(range(packages), 8)) for _ in range(projects)]
old = {i: "1.0.1" if i % 5 == 0 else ["1.0.0", "1.0.1", "1.1.0"][i % 3] for i in range(packages)}
for form in ("plain", "cpm"):
    repo = os.path.join(work, form)
    os.makedirs(repo, exist_ok=True)
    open(os.path.join(repo, "nuget.config"), "w").write(f'<configuration><packageSources><clear /><add key="bench" value="{base}/index.json" allowInsecureConnections="true" /></packageSources></configuration>\n')
    if form == "cpm":
        open(os.path.join(repo, "Directory.Packages.props"), "w").write("<Project>\n  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>\n  <ItemGroup>\n" + "".join(f'    <PackageVersion Include="{ids[i]}" Version="{old[i]}" />\n' for i in range(packages)) + "  </ItemGroup>\n</Project>\n")
    entries = []
    for p in range(projects):
        name = f"Project{p:03d}"
        os.makedirs(os.path.join(repo, "src", name), exist_ok=True)
        refs = "".join(f'    <PackageReference Include="{ids[i]}"' + ("" if form == "cpm" else f' Version="{old[i]}"') + " />\n" for i in uses[p])
        open(os.path.join(repo, "src", name, f"{name}.csproj"), "w").write(f'<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup>\n{refs}  </ItemGroup>\n</Project>\n')
        entries.append(f'  <Project Path="src/{name}/{name}.csproj" />')
    open(os.path.join(repo, "Bench.slnx"), "w").write("<Solution>\n" + "\n".join(entries) + "\n</Solution>\n")
PY

(cd "$work/feed" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/v3/index.json" >/dev/null 2>&1 && break; sleep 0.1; done

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc; }

printf '%-6s %11s %9s %9s %10s %8s\n' form "loops scan" restore list "sdk total" ratio
for form in $FORMS; do
  repo="$work/$form"
  export LOOPS_HTTP_CACHE="$work/cache-loops-$form" NUGET_PACKAGES="$work/packages-$form" NUGET_HTTP_CACHE_PATH="$work/http-cache-$form"
  t_loops=$(seconds loops deps scan --json --repo "$repo")
  loops deps scan --json --repo "$repo" > "$work/loops-$form.json" 2>/dev/null
  /usr/bin/time -o "$work/cpu-$form" -f "%U %S" dotnet "$here/src/ExecutionLoops.Cli/bin/Release/net10.0/loops.dll" deps scan --json --repo "$repo" >/dev/null 2>&1 || true
  cpu=$(tail -1 "$work/cpu-$form")
  echo "  ($form: loops CPU time of a warm-cache scan: $(echo "$cpu" | awk '{print $1 + $2}') s (user+sys); on a loaded machine the wall time above is mostly waiting for a core)"
  echo "  ($form: loops deps scan cold $t_loops s, warm $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stats"]["seconds"])' "$work/loops-$form.json") s in-process; the SDK side follows)"
  t_restore=$(seconds dotnet restore "$repo/Bench.slnx" -nologo)
  start=$(date +%s.%N)
  dotnet list "$repo/Bench.slnx" package --outdated --format json > "$work/sdk-$form.json" 2>/dev/null || true
  t_list=$(echo "$(date +%s.%N) - $start" | bc)
  total=$(echo "$t_restore + $t_list" | bc)
  printf '%-6s %10.2fs %8.2fs %8.2fs %9.2fs %7.1fx\n' "$form" "$t_loops" "$t_restore" "$t_list" "$total" "$(echo "$total / $t_loops" | bc -l)"
  if (( $(echo "$t_loops <= 3" | bc) )); then echo "  loops cold scan <= 3 s: yes"; else echo "  loops cold scan <= 3 s: NO"; fi
done
echo "load after: $(uptime | sed 's/.*load average: //')"

echo
echo "Parity (every outdated package the SDK reports: does loops find it, with the same resolved and latest version?):"
python3 - "$work" "$FORMS" <<'PY'
import json, sys, os
work, forms = sys.argv[1], sys.argv[2].split()
for form in forms:
    sdk = json.load(open(os.path.join(work, f"sdk-{form}.json")))
    ours = json.load(open(os.path.join(work, f"loops-{form}.json")))
    found = {}
    for d in ours["dependencies"]:
        for p in d["projects"]:
            found[(os.path.normpath(p), d["package"].lower())] = d
    rows, same, resolved_differ, latest_differ, missing = [], 0, 0, 0, 0
    for project in sdk.get("projects", []):
        rel = os.path.normpath(os.path.relpath(project["path"], os.path.join(work, form)))
        for fw in project.get("frameworks", []):
            for pkg in fw.get("topLevelPackages", []):
                mine = found.get((rel, pkg["id"].lower()))
                if mine is None:
                    missing += 1
                    rows.append((rel, pkg, None, "not found"))
                elif mine.get("resolved") != pkg["resolvedVersion"]:
                    resolved_differ += 1
                    rows.append((rel, pkg, mine, "resolved differs"))
                elif mine.get("candidate") != pkg["latestVersion"]:
                    latest_differ += 1
                    rows.append((rel, pkg, mine, "latest differs"))
                else:
                    same += 1
    total = same + resolved_differ + latest_differ + missing
    print(f"{form}: SDK outdated findings {total}; loops: same resolved and latest {same}, not found {missing}, resolved differs {resolved_differ}, latest differs {latest_differ}")
    nu1603 = sum(1 for d in ours["dependencies"] if d.get("resolved") and d["resolved"] != d["current"])
    warned = sum(1 for d in ours["diagnostics"] if d["code"] == "EL7012")
    print(f"  written version not on the feed (resolved higher): {nu1603} site(s), {warned} EL7012 warning(s)")
    for rel, pkg, mine, why in rows[:20]:
        print(f"  {rel} {pkg['id']}: SDK requested {pkg.get('requestedVersion')} resolved {pkg['resolvedVersion']} latest {pkg['latestVersion']}; loops {why}: {mine and (mine.get('current'), mine.get('resolved'), mine.get('candidate'))}")
PY
