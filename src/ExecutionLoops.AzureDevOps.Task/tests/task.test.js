'use strict';
// The task end to end under the task library's MockTestRunner: a real node process runs LoopsTask/index.js
// with mocked tools (which/exist/exec answers) and the tests read what it printed: the command lines it ran,
// the logging commands (result, issues, output variables, secrets, PATH) and the environment each tool got.
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { describe, it, after } = require('node:test');
const { seedOfflineNode } = require('./support/offline-node');

// Before mock-test is loaded: it reads HOME once, for its download folder.
const { home } = seedOfflineNode(20);
// The task library keeps its vault key (.taskkey) in the agent's temp folder: the temporary HOME, not the sources.
process.env.AGENT_TEMPDIRECTORY = home;
const { MockTestRunner } = require('azure-pipelines-task-lib/mock-test');

const TASK_JSON = path.join(__dirname, '..', 'LoopsTask', 'task.json');
const SCENARIO = path.join(__dirname, 'support', 'run-task.js');
const LOOPS = '/agent/tools/loops';
const DOTNET = '/agent/dotnet/dotnet';
const CLI_HOME = '/agent/cli-home';
const GLOBAL_LOOPS = path.join(CLI_HOME, '.dotnet', 'tools', 'loops');
const JOB_TOKEN = 'job-token-4f1c9a';
const PAT = 'pat-token-77ab02';

async function runTask(scenario) {
  process.env.LOOPS_TASK_SCENARIO = JSON.stringify({
    ...scenario,
    environment: { DOTNET_CLI_HOME: CLI_HOME, ...(scenario.environment || {}) },
  });
  try {
    const runner = await new MockTestRunner().LoadAsync(SCENARIO, TASK_JSON);
    await runner.runAsync();
    assert.equal(runner.stderr, '', `the task wrote to stderr:\n${runner.stderr}`);
    return runner;
  } finally {
    delete process.env.LOOPS_TASK_SCENARIO;
  }
}

/** The environment values (see run-task.js) that the tool at toolPath was started with, per start. */
function environmentsOf(runner, toolPath) {
  const prefix = `[environment] ${toolPath} `;
  return runner.stdout.split(/\r?\n/).filter((line) => line.startsWith(prefix)).map((line) => JSON.parse(line.slice(prefix.length)));
}

/** The value of the output variable the task set, or undefined. */
function outputVariable(runner, name) {
  const pattern = new RegExp(`##vso\\[task\\.setvariable variable=${name};isOutput=true;[^\\]]*\\](.*)$`, 'm');
  const match = runner.stdout.match(pattern);
  return match ? match[1] : undefined;
}

function completion(runner) {
  const match = runner.stdout.match(/##vso\[task\.complete result=(\w+);\](.*)$/m);
  return match ? { result: match[1], message: match[2] } : undefined;
}

const onPath = { which: { loops: LOOPS } };
const jobToken = { 'System.AccessToken': { value: JOB_TOKEN, secret: true } };

describe('ExecutionLoops task', () => {
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('maps every delegate input to the loops command line and the variables loops reads', async () => {
    const runner = await runTask({
      inputs: {
        command: 'delegate',
        mission: ' format-code   docs-refresh ',
        all: 'true',
        dryRun: 'true',
        report: '/agent/temp/report.json',
        missions: '.loops/missions/*.md;extra/*.md',
        base: 'release/2.0',
        agentPreset: 'claude',
        agentModel: 'sonnet',
        agentEndpoint: 'http://127.0.0.1:9/v1',
      },
      variables: jobToken,
      answers: {
        ...onPath,
        exec: { [`${LOOPS} delegate --mission format-code --mission docs-refresh --all --dry-run --report /agent/temp/report.json`]: { code: 0, stdout: 'published format-code' } },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.equal(runner.invokedToolCount, 1);
    assert.ok(runner.ran(`${LOOPS} delegate --mission format-code --mission docs-refresh --all --dry-run --report /agent/temp/report.json`));
    assert.deepEqual(environmentsOf(runner, LOOPS), [{
      SYSTEM_ACCESSTOKEN: JOB_TOKEN,
      LOOPS_MISSIONS: '.loops/missions/*.md;extra/*.md',
      LOOPS_BASE_BRANCH: 'release/2.0',
      LOOPS_AGENT_PRESET: 'claude',
      LOOPS_AGENT_MODEL: 'sonnet',
      LOOPS_AGENT_ENDPOINT: 'http://127.0.0.1:9/v1',
    }]);
    assert.ok(runner.stdout.includes(`##vso[task.setsecret]${JOB_TOKEN}`), 'the token is masked');
    assert.equal(outputVariable(runner, 'exitCode'), '0');
    assert.equal(completion(runner).result, 'Succeeded');
  });

  it('runs delegate by default with no selection', async () => {
    const runner = await runTask({ inputs: {}, answers: { ...onPath, exec: { [`${LOOPS} delegate`]: { code: 0 } } } });

    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.ran(`${LOOPS} delegate`));
  });

  it('hands feedback the pull request and the accessToken input as the PAT loops reads, not the job token', async () => {
    const runner = await runTask({
      inputs: { command: 'feedback', pr: '42', accessToken: PAT },
      variables: jobToken,
      answers: { ...onPath, exec: { [`${LOOPS} feedback --pr 42`]: { code: 0 } } },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.ran(`${LOOPS} feedback --pr 42`));
    assert.deepEqual(environmentsOf(runner, LOOPS), [{ LOOPS_AZURE_DEVOPS_TOKEN: PAT }]);
    assert.ok(runner.stdout.includes(`##vso[task.setsecret]${PAT}`));
    assert.ok(!runner.stdout.includes(JOB_TOKEN), 'the job token is not read when a PAT is given');
  });

  for (const command of ['lint', 'pair-check', 'plan']) {
    it(`gives ${command} no token, neither the job's nor those mapped into the step's env`, async () => {
      const args = command === 'plan' ? 'plan --format azure-matrix' : 'lint';
      const runner = await runTask({
        inputs: { command, accessToken: PAT },
        variables: jobToken,
        environment: { SYSTEM_ACCESSTOKEN: 'mapped-token-91c', LOOPS_AZURE_DEVOPS_TOKEN: 'mapped-pat-5e0', AZURE_DEVOPS_EXT_PAT: 'mapped-cli-pat-3d7' },
        answers: { ...onPath, exec: { [`${LOOPS} ${args}`]: { code: 0, stdout: '{}' } } },
      });

      assert.ok(runner.succeeded, runner.stdout);
      assert.ok(runner.ran(`${LOOPS} ${args}`));
      assert.deepEqual(environmentsOf(runner, LOOPS), [{}]);
      assert.ok(!runner.stdout.includes(JOB_TOKEN) && !runner.stdout.includes(PAT), 'the unused tokens are never read');
    });
  }

  it('publishes with a token mapped into the step env, which the install step never sees', async () => {
    const runner = await runTask({
      inputs: { command: 'delegate' },
      environment: { SYSTEM_ACCESSTOKEN: 'mapped-token-91c' },
      answers: {
        which: { dotnet: DOTNET },
        exist: { [GLOBAL_LOOPS]: true },
        exec: {
          [`${DOTNET} tool install --global ExecutionLoops.Tool`]: { code: 0 },
          [`${GLOBAL_LOOPS} delegate`]: { code: 0 },
        },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.deepEqual(environmentsOf(runner, DOTNET), [{}]);
    assert.deepEqual(environmentsOf(runner, GLOBAL_LOOPS), [{ SYSTEM_ACCESSTOKEN: 'mapped-token-91c' }]);
    assert.ok(runner.stdout.includes('##vso[task.setsecret]mapped-token-91c'));
  });

  it('keeps SucceededWithIssues when loops completes a run whose advisory gate failed', async () => {
    const runner = await runTask({
      inputs: { command: 'delegate' },
      answers: { ...onPath, exec: { [`${LOOPS} delegate`]: { code: 0, stdout: '##vso[task.complete result=SucceededWithIssues;]ExecutionLoops: an advisory gate failed' } } },
    });

    assert.ok(runner.succeeded, runner.stdout);
    const completions = [...runner.stdout.matchAll(/##vso\[task\.complete result=(\w+);\]/g)].map((m) => m[1]);
    assert.deepEqual(completions, ['SucceededWithIssues', 'SucceededWithIssues']);
    assert.match(runner.warningIssues.join('\n') + runner.stdout, /an advisory gate failed: its review item is a draft/);
  });

  it('sets the matrix and count outputs from loops plan and passes the selection', async () => {
    const matrix = '{"format_code":{"mission":"format-code","kind":"format"},"docs_refresh":{"mission":"docs-refresh","kind":"docs"}}';
    const runner = await runTask({
      inputs: { command: 'plan', mission: 'format-code docs-refresh', all: 'true' },
      answers: {
        ...onPath,
        exec: { [`${LOOPS} plan --format azure-matrix --mission format-code --mission docs-refresh --all`]: { code: 0, stdout: `##[group]plan\n${matrix}\n##[endgroup]` } },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.equal(outputVariable(runner, 'matrix'), matrix);
    assert.equal(outputVariable(runner, 'count'), '2');
  });

  it('fails a plan that printed no matrix', async () => {
    const runner = await runTask({
      inputs: { command: 'plan' },
      answers: { ...onPath, exec: { [`${LOOPS} plan --format azure-matrix`]: { code: 0, stdout: 'mission  due' } } },
    });

    assert.ok(runner.failed);
    assert.match(runner.errorIssues.join('\n'), /printed no job matrix/);
  });

  const failures = [
    [1, /a mission or a required gate failed \(exit code 1\)/],
    [2, /invalid input, in the briefs, \.loops\/config\.yml or the task inputs \(exit code 2\)/],
    [3, /infrastructure failure: git, the file system, the network or a host API \(exit code 3\)/],
    [137, /loops exited with code 137/],
  ];
  for (const [code, message] of failures) {
    it(`fails the task when loops exits with ${code}, saying what the code means`, async () => {
      const runner = await runTask({
        inputs: { command: 'delegate', mission: 'format-code' },
        answers: { ...onPath, exec: { [`${LOOPS} delegate --mission format-code`]: { code } } },
      });

      assert.ok(runner.failed, runner.stdout);
      assert.equal(completion(runner).result, 'Failed');
      assert.match(runner.errorIssues.join('\n'), message);
      assert.equal(outputVariable(runner, 'exitCode'), String(code));
    });
  }

  it('fails feedback without a pull request, before running anything', async () => {
    const runner = await runTask({ inputs: { command: 'feedback' }, answers: onPath });

    assert.ok(runner.failed);
    assert.equal(runner.invokedToolCount, 0);
    assert.ok(runner.createdErrorIssue("The pr input is required for command 'feedback': the id of the pull request whose comments go back to its mission."));
  });

  it('fails a pull request that is not an id', async () => {
    const runner = await runTask({ inputs: { command: 'feedback', pr: '42; rm -rf /' }, answers: onPath });

    assert.ok(runner.failed);
    assert.equal(runner.invokedToolCount, 0);
    assert.match(runner.errorIssues.join('\n'), /must be a pull request id/);
  });

  it('fails an unknown command with EL1033', async () => {
    const runner = await runTask({ inputs: { command: 'deploy' }, answers: onPath });

    assert.ok(runner.failed);
    assert.equal(runner.invokedToolCount, 0);
    assert.ok(runner.createdErrorIssue("EL1033: Unknown command 'deploy'. Use delegate, plan, feedback, lint or pair-check."));
  });

  it('fails clearly when neither loops nor dotnet is on PATH', async () => {
    const runner = await runTask({ inputs: { command: 'lint' }, answers: { which: {} } });

    assert.ok(runner.failed);
    assert.equal(runner.invokedToolCount, 0);
    assert.match(runner.errorIssues.join('\n'), /The loops tool is not on PATH, and dotnet is not there to install ExecutionLoops\.Tool: add a UseDotNet@2 step/);
  });

  it('installs the asked version as a global tool when loops is not on PATH, and puts it on PATH', async () => {
    const runner = await runTask({
      inputs: { command: 'lint', version: '0.2.0' },
      answers: {
        which: { dotnet: DOTNET },
        exist: { [GLOBAL_LOOPS]: true },
        exec: {
          [`${DOTNET} tool install --global ExecutionLoops.Tool --version 0.2.0`]: { code: 0 },
          [`${GLOBAL_LOOPS} lint`]: { code: 0 },
        },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.ran(`${DOTNET} tool install --global ExecutionLoops.Tool --version 0.2.0`));
    assert.ok(runner.ran(`${GLOBAL_LOOPS} lint`));
    assert.ok(runner.stdout.includes(`##vso[task.prependpath]${path.dirname(GLOBAL_LOOPS)}`));
  });

  it('updates to the asked version when loops on PATH is another one', async () => {
    const runner = await runTask({
      inputs: { command: 'lint', version: '0.2.0' },
      answers: {
        which: { loops: LOOPS, dotnet: DOTNET },
        exist: { [GLOBAL_LOOPS]: true },
        exec: {
          [`${LOOPS} --version`]: { code: 0, stdout: '0.1.0+5d2e1f0\n' },
          [`${DOTNET} tool update --global ExecutionLoops.Tool --version 0.2.0 --allow-downgrade`]: { code: 0 },
          [`${GLOBAL_LOOPS} lint`]: { code: 0 },
        },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.ran(`${DOTNET} tool update --global ExecutionLoops.Tool --version 0.2.0 --allow-downgrade`));
    assert.ok(runner.ran(`${GLOBAL_LOOPS} lint`));
  });

  it('uses loops on PATH when it is the asked version, installing nothing', async () => {
    const runner = await runTask({
      inputs: { command: 'lint', version: '0.2.0' },
      answers: {
        which: { loops: LOOPS, dotnet: DOTNET },
        exec: { [`${LOOPS} --version`]: { code: 0, stdout: '0.2.0+9a8b7c6' }, [`${LOOPS} lint`]: { code: 0 } },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.ran(`${LOOPS} lint`));
    assert.ok(!runner.stdout.includes(`${DOTNET} tool`), 'dotnet was not run');
  });

  it('prepares the sandbox for delegate with sudo: installs bubblewrap and lifts the AppArmor restriction', async () => {
    const runner = await runTask({
      inputs: { command: 'delegate', sandboxSetup: 'true' },
      uid: 1000,
      usernsRestriction: 1,
      answers: {
        which: { loops: LOOPS, sudo: '/usr/bin/sudo' },
        exec: {
          '/usr/bin/sudo -n apt-get install -y -qq bubblewrap': { code: 0 },
          '/usr/bin/sudo -n sysctl -q -w kernel.apparmor_restrict_unprivileged_userns=0': { code: 0 },
          [`${LOOPS} delegate`]: { code: 0 },
        },
      },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.ran('/usr/bin/sudo -n apt-get install -y -qq bubblewrap'));
    assert.ok(runner.ran('/usr/bin/sudo -n sysctl -q -w kernel.apparmor_restrict_unprivileged_userns=0'));
    assert.equal(runner.warningIssues.length, 0, runner.warningIssues.join('\n'));
    assert.deepEqual(environmentsOf(runner, '/usr/bin/sudo'), [{}, {}], 'sudo gets no token');
  });

  it('changes nothing as root when bubblewrap is there and user namespaces are allowed', async () => {
    const runner = await runTask({
      inputs: { command: 'feedback', pr: '3', sandboxSetup: 'true' },
      uid: 0,
      usernsRestriction: 0,
      answers: { which: { loops: LOOPS, bwrap: '/usr/bin/bwrap' }, exec: { [`${LOOPS} feedback --pr 3`]: { code: 0 } } },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.equal(runner.invokedToolCount, 1);
  });

  it('warns with EL5013 and still runs loops when it cannot prepare the sandbox (no root, no sudo)', async () => {
    const runner = await runTask({
      inputs: { command: 'delegate', sandboxSetup: 'true' },
      uid: 1000,
      usernsRestriction: 1,
      answers: { ...onPath, exec: { [`${LOOPS} delegate`]: { code: 0 } } },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.equal(runner.invokedToolCount, 1);
    assert.ok(runner.createdWarningIssue('EL5013: bubblewrap could not be installed (it needs root or passwordless sudo); agent missions need another sandbox backend.'));
    assert.ok(runner.createdWarningIssue('EL5013: cannot relax kernel.apparmor_restrict_unprivileged_userns; bubblewrap will not run.'));
  });

  it('leaves the sandbox alone for lint', async () => {
    const runner = await runTask({
      inputs: { command: 'lint', sandboxSetup: 'true' },
      uid: 1000,
      usernsRestriction: 1,
      answers: { which: { loops: LOOPS, sudo: '/usr/bin/sudo' }, exec: { [`${LOOPS} lint`]: { code: 0 } } },
    });

    assert.ok(runner.succeeded, runner.stdout);
    assert.equal(runner.invokedToolCount, 1);
  });

  it('fails clearly when the install fails', async () => {
    const runner = await runTask({
      inputs: { command: 'lint', version: '9.9.9' },
      answers: {
        which: { dotnet: DOTNET },
        exec: { [`${DOTNET} tool install --global ExecutionLoops.Tool --version 9.9.9`]: { code: 1, stderr: 'Version 9.9.9 of package executionloops.tool is not found' } },
      },
    });

    assert.ok(runner.failed);
    assert.match(runner.errorIssues.join('\n'), /dotnet tool install --global ExecutionLoops\.Tool --version 9\.9\.9 failed \(exit code 1\): check the version input/);
    assert.ok(!runner.stdout.includes(`${GLOBAL_LOOPS} lint`), 'loops was not run');
  });
});
