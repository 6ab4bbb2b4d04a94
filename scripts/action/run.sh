#!/usr/bin/env bash
# Maps the action's inputs (received only through the environment, never interpolated into a script)
# to a loops command line. loops itself writes annotations, masks, groups, the job summary and outputs.
set -uo pipefail
loops="$RUNNER_TEMP/loops/loops"
args=()
case "${LOOPS_COMMAND:-delegate}" in
  delegate)
    args=(delegate)
    for id in ${LOOPS_MISSION:-}; do args+=(--mission "$id"); done
    [ "${LOOPS_ALL:-false}" = "true" ] && args+=(--all)
    [ "${LOOPS_DRY_RUN:-false}" = "true" ] && args+=(--dry-run)
    ;;
  plan)
    args=(plan --format github-matrix)
    for id in ${LOOPS_MISSION:-}; do args+=(--mission "$id"); done
    [ "${LOOPS_ALL:-false}" = "true" ] && args+=(--all)
    ;;
  feedback) args=(feedback --pr "${LOOPS_PR:?the pr input is required for command: feedback}") ;;
  lint) args=(lint) ;;
  pair-check) args=(lint) ;;
  *)
    echo "::error title=EL1033::Unknown command '${LOOPS_COMMAND}'. Use delegate, plan, feedback, lint or pair-check."
    exit 2
    ;;
esac

# Inputs that override .loops/config.yml reach loops as environment variables it reads itself.
[ -n "${LOOPS_BASE:-}" ] && export LOOPS_BASE_BRANCH="$LOOPS_BASE"

"$loops" "${args[@]}"
status=$?
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
exit $status
