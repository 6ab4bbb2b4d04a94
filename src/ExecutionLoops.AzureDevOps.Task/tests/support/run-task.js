'use strict';
// One task run under TaskMockRunner: the scenario (inputs, variables, answers for which/exist/exec) comes as
// JSON in LOOPS_TASK_SCENARIO. Every tool the task runs prints the environment values the tests check, so
// they see which process got the token.
const path = require('path');
const { TaskMockRunner } = require('azure-pipelines-task-lib/mock-run');

const scenario = JSON.parse(process.env.LOOPS_TASK_SCENARIO);
const runner = new TaskMockRunner(path.join(__dirname, '..', '..', 'LoopsTask', 'index.js'));
for (const [name, value] of Object.entries(scenario.inputs || {})) {
  runner.setInput(name, value);
}
for (const [name, variable] of Object.entries(scenario.variables || {})) {
  runner.setVariableName(name, variable.value, variable.secret === true);
}
for (const [name, value] of Object.entries(scenario.environment || {})) {
  process.env[name] = value;
}
runner.setAnswers(scenario.answers || {});

// The agent's user (root or not) and the AppArmor switch the sandbox preparation reads.
if (scenario.uid !== undefined) {
  process.getuid = () => scenario.uid;
}
if (scenario.usernsRestriction !== undefined) {
  const fs = require('fs');
  const RESTRICTION = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';
  runner.registerMock('fs', {
    ...fs,
    readFileSync: (file, ...rest) => (file === RESTRICTION ? `${scenario.usernsRestriction}\n` : fs.readFileSync(file, ...rest)),
  });
}

const WATCHED = ['SYSTEM_ACCESSTOKEN', 'LOOPS_AZURE_DEVOPS_TOKEN', 'AZURE_DEVOPS_EXT_PAT', 'LOOPS_MISSIONS', 'LOOPS_BASE_BRANCH', 'LOOPS_AGENT_PRESET', 'LOOPS_AGENT_MODEL', 'LOOPS_AGENT_ENDPOINT'];
const mockTask = require('azure-pipelines-task-lib/mock-task');
const mockTool = mockTask.tool;
runner.registerMockExport('tool', (toolPath) => {
  const tool = mockTool(toolPath);
  const exec = tool.exec.bind(tool);
  tool.exec = (options) => {
    const environment = (options && options.env) || process.env;
    const seen = Object.fromEntries(WATCHED.filter((name) => name in environment).map((name) => [name, environment[name]]));
    console.log(`[environment] ${toolPath} ${JSON.stringify(seen)}`);
    return exec(options);
  };
  return tool;
});

runner.run();
