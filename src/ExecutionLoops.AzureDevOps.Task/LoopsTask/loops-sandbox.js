'use strict';
// Makes the bubblewrap sandbox of agent missions available on a Linux agent, as the GitHub action's
// sandbox-setup does: installs the bubblewrap package when it is missing and, where AppArmor restricts
// unprivileged user namespaces (Ubuntu 24.04), allows them. Needs root or passwordless sudo; without them it
// warns and loops then says why no sandbox can run (EL5013), or uses its container backend.
const fs = require('fs');
const tl = require('azure-pipelines-task-lib/task');

const RESTRICTION = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

function restricted() {
  try {
    return fs.readFileSync(RESTRICTION, 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

async function prepareSandbox(platform, isRoot) {
  if (platform !== 'linux') {
    return;
  }
  const sudo = isRoot ? null : tl.which('sudo', false);
  const privileged = async (args) => {
    if (!isRoot && !sudo) {
      return -1;
    }
    const tool = isRoot ? tl.tool(args[0]).arg(args.slice(1)) : tl.tool(sudo).arg(['-n', ...args]);
    return tool.exec({ ignoreReturnCode: true, silent: false });
  };

  if (!tl.which('bwrap', false)) {
    console.log('Installing bubblewrap for the agent sandbox');
    const install = ['apt-get', 'install', '-y', '-qq', 'bubblewrap'];
    let code = await privileged(install);
    if (code !== 0 && code !== -1) {
      code = (await privileged(['apt-get', 'update', '-qq'])) === 0 ? await privileged(install) : code;
    }
    if (code !== 0) {
      tl.warning('EL5013: bubblewrap could not be installed (it needs root or passwordless sudo); agent missions need another sandbox backend.');
    }
  }

  if (restricted()) {
    console.log('Allowing unprivileged user namespaces for this job (AppArmor restricts them on this agent)');
    if ((await privileged(['sysctl', '-q', '-w', 'kernel.apparmor_restrict_unprivileged_userns=0'])) !== 0) {
      tl.warning('EL5013: cannot relax kernel.apparmor_restrict_unprivileged_userns; bubblewrap will not run.');
    }
  }
}

module.exports = { RESTRICTION, prepareSandbox };
