'use strict';
// The ExecutionLoops task: finds or installs the loops tool, runs one command with arguments mapped from the
// inputs, and sets the task result from its exit code. loops itself writes the logging commands (issues with
// file and line, secrets to mask, groups, the summary, its output variables); this handler adds the exitCode
// output and, for plan, the matrix and count outputs.
const os = require('os');
const tl = require('azure-pipelines-task-lib/task');
const { InputError, TOKEN_VARIABLES, buildArguments, buildEnvironment, publishes, readMatrix, resultFor, tokensFor } = require('./loops-command');
const { ToolError, locateLoops } = require('./loops-tool');
const { prepareSandbox } = require('./loops-sandbox');

// Tokens the pipeline mapped into the step's env leave the environment at once, so `dotnet tool install`,
// `loops --version` and a command that does not publish never see them; only the loops process that publishes
// gets them back (tokensFor).
const mappedTokens = {};
for (const name of TOKEN_VARIABLES) {
  if (process.env[name]) {
    mappedTokens[name] = process.env[name];
  }
  delete process.env[name];
}

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
    sandboxSetup: tl.getBoolInput('sandboxSetup', false),
  };
}

/** The job's own token (the build service identity): System.AccessToken, else the SystemVssConnection's. */
function readJobToken() {
  return tl.getVariable('System.AccessToken')
    || tl.getEndpointAuthorizationParameter('SystemVssConnection', 'AccessToken', true)
    || '';
}

async function run() {
  for (const token of Object.values(mappedTokens)) {
    tl.setSecret(token);
  }
  const inputs = readInputs();
  const args = buildArguments(inputs);
  // Read only for a command that publishes: a PAT input of a lint step is never touched.
  const tokens = tokensFor(inputs.command, mappedTokens, () => tl.getInput('accessToken', false) || '', readJobToken);
  for (const token of Object.values(tokens)) {
    tl.setSecret(token);
  }
  const environment = buildEnvironment(inputs, process.env, tokens);
  const loops = await locateLoops(inputs.version, process.env, os.homedir(), process.platform);
  // Only the commands that can run agent missions need the sandbox.
  if (inputs.sandboxSetup && publishes(inputs.command)) {
    await prepareSandbox(process.platform, typeof process.getuid === 'function' && process.getuid() === 0);
  }

  const lines = [];
  let advisory = false;
  const runner = tl.tool(loops).arg(args);
  runner.on('stdline', (line) => {
    if (args[0] === 'plan') {
      lines.push(line);
    }
    // loops completes a run whose advisory gate failed (a draft review item) as SucceededWithIssues: keep it.
    if (line.includes('##vso[task.complete result=SucceededWithIssues')) {
      advisory = true;
    }
  });
  const exitCode = await runner.exec({
    cwd: tl.getVariable('System.DefaultWorkingDirectory') || process.cwd(),
    env: environment,
    ignoreReturnCode: true,
  });

  tl.setVariable('exitCode', String(exitCode), false, true);
  if (args[0] === 'plan' && exitCode === 0) {
    const plan = readMatrix(lines.join('\n'));
    if (!plan) {
      tl.setResult(tl.TaskResult.Failed, 'loops plan printed no job matrix (a JSON object): is the tool older than --format azure-matrix?');
      return;
    }
    tl.setVariable('matrix', plan.matrix, false, true);
    tl.setVariable('count', String(plan.count), false, true);
  }

  if (exitCode === 0 && advisory) {
    tl.setResult(tl.TaskResult.SucceededWithIssues, 'loops succeeded, but an advisory gate failed: its review item is a draft.');
    return;
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
