#!/usr/bin/env bash
# Installs the loops tool into $RUNNER_TEMP/loops: from this action's source (version "source") or
# the given ExecutionLoops.Tool version from the runner's configured NuGet sources.
set -euo pipefail
tools="$RUNNER_TEMP/loops"
if [ "${LOOPS_VERSION:-source}" = "source" ]; then
  feed="$RUNNER_TEMP/loops-feed"
  dotnet pack "$GITHUB_ACTION_PATH/src/ExecutionLoops.Cli" -c Release -o "$feed" -nologo -v q
  dotnet tool install ExecutionLoops.Tool --tool-path "$tools" --add-source "$feed" --prerelease
else
  dotnet tool install ExecutionLoops.Tool --tool-path "$tools" --version "$LOOPS_VERSION"
fi
echo "$tools" >> "$GITHUB_PATH"
