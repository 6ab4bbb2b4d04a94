'use strict';
// The ExecutionLoops task: finds or installs the loops tool, runs one command with arguments mapped from the
// inputs, and sets the task result from its exit code. loops itself writes the logging commands (issues with
// file and line, secrets to mask, groups, the summary); this handler adds the exitCode output and, for
// plan, the matrix and count outputs.
const os = require('os');
const tl = require('azure-pipelines-task-lib/task');
const { InputError, buildArguments, buildEnvironment, publishes, readMatrix, resultFor } = require('./loops-command');
const { ToolError, locateLoops } = require('./loops-tool');

// A token the pipeline mapped into the step's env: leaves the environment at once, so `dotnet tool install`,
// `loops --version` and a command that does not publish never see it; only the loops process that publishes
// gets it back (buildEnvironment).
const mappedToken = process.env.SYSTEM_ACCESSTOKEN || '';
delete process.env.SYSTEM_ACCESSTOKEN;

function readInputs() {
  return {
    command: tl.getInput('command', false) || 'delegate',
    missions: tl.getInput('missions', false) || '',
    mission: tl.getInput('mission', false) || '',
    all: tl.getBoolInput('all', false),
    base: tl.getInput('base', false) || '',
    dryRun: tl.getBoolInput('dryRun', false),
    report: tl.getInput('report', false) || '',
    pr: tl.getInput('pr', false) || '',
    agentPreset: tl.getInput('agentPreset', false) || '',
    agentModel: tl.getInput('agentModel', false) || '',
    agentEndpoint: tl.getInput('agentEndpoint', false) || '',
    version: (tl.getInput('version', false) || '').trim(),
  };
}

/**
 * The token for a publishing command: the accessToken input (a PAT), else SYSTEM_ACCESSTOKEN mapped into the
 * step's env, else the job's System.AccessToken (the build service identity). Read only when the command
 * publishes, and masked from here on.
 */
function readToken() {
  const token = tl.getInput('accessToken', false)
    || mappedToken
    || tl.getVariable('System.AccessToken')
    || tl.getEndpointAuthorizationParameter('SystemVssConnection', 'AccessToken', true)
    || '';
  if (token) {
    tl.setSecret(token);
  }
  return token;
}

async function run() {
  if (mappedToken) {
    tl.setSecret(mappedToken);
  }
  const inputs = readInputs();
  const args = buildArguments(inputs);
  const token = publishes(inputs.command) ? readToken() : '';
  const environment = buildEnvironment(inputs, process.env, token);
  const loops = await locateLoops(inputs.version, process.env, os.homedir(), process.platform);

  let output = '';
  const runner = tl.tool(loops).arg(args);
  if (args[0] === 'plan') {
    runner.on('stdout', (data) => { output += data.toString(); });
  }
  const exitCode = await runner.exec({
    cwd: tl.getVariable('System.DefaultWorkingDirectory') || process.cwd(),
    env: environment,
    ignoreReturnCode: true,
  });

  tl.setVariable('exitCode', String(exitCode), false, true);
  if (args[0] === 'plan' && exitCode === 0) {
    const plan = readMatrix(output);
    if (!plan) {
      tl.setResult(tl.TaskResult.Failed, 'loops plan printed no job matrix (a JSON object): is the tool older than --format azure-matrix?');
      return;
    }
    tl.setVariable('matrix', plan.matrix, false, true);
    tl.setVariable('count', String(plan.count), false, true);
  }

  const { result, message } = resultFor(exitCode);
  tl.setResult(tl.TaskResult[result], message);
}

run().catch((error) => {
  if (error instanceof InputError || error instanceof ToolError) {
    tl.setResult(tl.TaskResult.Failed, error.message);
  } else {
    tl.setResult(tl.TaskResult.Failed, `The ExecutionLoops task failed: ${error && error.message ? error.message : error}`);
  }
});
