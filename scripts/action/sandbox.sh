#!/usr/bin/env bash
# Makes the bubblewrap sandbox of agent missions available on Linux runners: installs the bubblewrap
# package when it is missing and, on Ubuntu 24.04 (where AppArmor restricts unprivileged user namespaces),
# allows them for this job. Elsewhere it does nothing; loops then reports why no sandbox can run (EL5013)
# or uses the container backend when agent.sandbox-image is set.
set -euo pipefail
if [ "$(uname -s)" != "Linux" ] || [ "${LOOPS_SANDBOX_SETUP:-true}" != "true" ]; then
  exit 0
fi

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! command -v bwrap >/dev/null 2>&1; then
  echo "Installing bubblewrap for the agent sandbox"
  sudo_if_needed apt-get install -y -qq bubblewrap >/dev/null 2>&1 \
    || { sudo_if_needed apt-get update -qq >/dev/null 2>&1 && sudo_if_needed apt-get install -y -qq bubblewrap >/dev/null 2>&1; } \
    || echo "::warning title=EL5013::bubblewrap could not be installed; agent missions need another sandbox backend."
fi

restriction=/proc/sys/kernel/apparmor_restrict_unprivileged_userns
if [ -r "$restriction" ] && [ "$(cat "$restriction")" = "1" ]; then
  echo "Allowing unprivileged user namespaces for this job (AppArmor restricts them on this runner)"
  sudo_if_needed sysctl -q -w kernel.apparmor_restrict_unprivileged_userns=0 \
    || echo "::warning title=EL5013::cannot relax kernel.apparmor_restrict_unprivileged_userns; bubblewrap will not run."
fi
