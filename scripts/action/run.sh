#!/usr/bin/env bash
# Maps the action's inputs (received only through the environment, never interpolated into a script)
# to a loops command line. loops itself writes annotations, masks, groups, the job summary and outputs.
set -uo pipefail
loops="$RUNNER_TEMP/loops/loops"

# The github-token input arrives as LOOPS_INPUT_GITHUB_TOKEN and leaves this script's environment at
# once: it is handed to the loops process alone (below), which strips it from every child it starts.
token="${LOOPS_INPUT_GITHUB_TOKEN:-}"
unset LOOPS_INPUT_GITHUB_TOKEN

# Missions are space separated: split into an array, never by an unquoted expansion (no globbing).
missions=()
read -r -d '' -a missions <<< "${LOOPS_MISSION:-}" || true

args=()
case "${LOOPS_COMMAND:-delegate}" in
  delegate)
    args=(delegate)
    for id in "${missions[@]}"; do args+=(--mission "$id"); done
    [ "${LOOPS_ALL:-false}" = "true" ] && args+=(--all)
    [ "${LOOPS_DRY_RUN:-false}" = "true" ] && args+=(--dry-run)
    ;;
  plan)
    args=(plan --format github-matrix)
    for id in "${missions[@]}"; do args+=(--mission "$id"); done
    [ "${LOOPS_ALL:-false}" = "true" ] && args+=(--all)
    ;;
  feedback) args=(feedback --pr "${LOOPS_PR:?the pr input is required for command: feedback}") ;;
  lint) args=(lint) ;;
  pair-check) args=(lint) ;;
  *)
    # Escaped as workflow commands require, so an input cannot smuggle a command of its own.
    command="${LOOPS_COMMAND//'%'/%25}"; command="${command//$'\r'/%0D}"; command="${command//$'\n'/%0A}"
    echo "::error title=EL1033::Unknown command '${command}'. Use delegate, plan, feedback, lint or pair-check."
    exit 2
    ;;
esac

# Inputs that override .loops/config.yml reach loops as environment variables it reads itself.
[ -n "${LOOPS_BASE:-}" ] && export LOOPS_BASE_BRANCH="$LOOPS_BASE"

# The token is in the environment of this one command only (not exported, never on a command line).
GITHUB_TOKEN="$token" "$loops" "${args[@]}"
status=$?
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
exit "$status"
