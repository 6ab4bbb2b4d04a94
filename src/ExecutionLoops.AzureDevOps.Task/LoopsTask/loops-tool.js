'use strict';
// Finds the loops tool, or installs it as a global dotnet tool. The task library is required by this exact
// name so the task's tests can stand a mock in for it.
const path = require('path');
const tl = require('azure-pipelines-task-lib/task');

const PACKAGE_ID = 'ExecutionLoops.Tool';

/** The tool cannot be found or installed; the message says what to add to the pipeline. */
class ToolError extends Error {}

/** Where `dotnet tool install --global` puts tools: $DOTNET_CLI_HOME/.dotnet/tools, else under the home folder. */
function globalToolsDirectory(environment, homeDirectory) {
  const home = environment.DOTNET_CLI_HOME || homeDirectory;
  return path.join(home, '.dotnet', 'tools');
}

/** The version `loops --version` reports, without build metadata (0.1.0+abc → 0.1.0); '' when it cannot say. */
function installedVersion(loopsPath) {
  const result = tl.tool(loopsPath).arg('--version').execSync({ silent: true });
  if (!result || result.code !== 0 || !result.stdout) {
    return '';
  }
  return result.stdout.trim().split('+')[0];
}

/**
 * The path of the loops executable to run. Without a version: loops on PATH, else the newest release installed
 * globally. With one: loops on PATH when it reports that version, else that version installed globally
 * (`dotnet tool update`, which can go down too, over another version on PATH). Throws ToolError when neither
 * loops nor dotnet is there, or the install fails.
 */
async function locateLoops(version, environment, homeDirectory, platform) {
  const onPath = tl.which('loops', false);
  if (onPath) {
    if (!version) {
      tl.debug(`Using loops on PATH: ${onPath}`);
      return onPath;
    }
    const found = installedVersion(onPath);
    if (found === version) {
      tl.debug(`Using loops ${found} on PATH: ${onPath}`);
      return onPath;
    }
    console.log(`loops on PATH is version '${found || 'unknown'}', not ${version}: installing ${version}.`);
  }

  const dotnet = tl.which('dotnet', false);
  if (!dotnet) {
    throw new ToolError(
      `The loops tool is not on PATH${onPath ? ' in the version asked for' : ''}, and dotnet is not there to install ${PACKAGE_ID}: ` +
      'add a UseDotNet@2 step (the .NET SDK) before this task, or install the tool yourself.');
  }

  const verb = onPath ? 'update' : 'install';
  const install = tl.tool(dotnet).arg(['tool', verb, '--global', PACKAGE_ID]);
  if (version) {
    install.arg(['--version', version]);
    if (verb === 'update') {
      install.arg('--allow-downgrade');
    }
  }
  const code = await install.exec({ ignoreReturnCode: true });
  if (code !== 0) {
    throw new ToolError(
      `dotnet tool ${verb} --global ${PACKAGE_ID}${version ? ` --version ${version}` : ''} failed (exit code ${code}): ` +
      "check the version input and the agent's NuGet sources (a nuget.config, or the NuGetAuthenticate@1 task for an Azure Artifacts feed).");
  }

  const directory = globalToolsDirectory(environment, homeDirectory);
  const executable = path.join(directory, platform === 'win32' ? 'loops.exe' : 'loops');
  if (!tl.exist(executable)) {
    throw new ToolError(`${PACKAGE_ID} was installed, but ${executable} is not there.`);
  }
  // Later steps of the job find it too.
  tl.prependPath(directory);
  return executable;
}

module.exports = { PACKAGE_ID, ToolError, globalToolsDirectory, locateLoops };
