'use strict';
// What the task asks of loops: the command line from the inputs, the environment of the loops process, and
// the task result for its exit code. Pure functions, so the tests can call them directly as well as through
// the task; index.js reads the inputs and runs the tool.

const COMMANDS = ['delegate', 'plan', 'feedback', 'lint', 'pair-check'];

// Only these commands publish (push the mission branch, create or update the pull request, answer its
// threads), so only their loops process gets the access token. plan and lint read the repository alone.
const PUBLISHING_COMMANDS = new Set(['delegate', 'feedback']);

// The variables loops reads an Azure DevOps token from, in the order it tries them: a PAT (Basic), the
// pipeline's System.AccessToken (Bearer), the Azure CLI's PAT. None reaches a command that does not publish.
const PAT_VARIABLE = 'LOOPS_AZURE_DEVOPS_TOKEN';
const JOB_TOKEN_VARIABLE = 'SYSTEM_ACCESSTOKEN';
const TOKEN_VARIABLES = [PAT_VARIABLE, JOB_TOKEN_VARIABLE, 'AZURE_DEVOPS_EXT_PAT'];

// The documented exit codes (src/ExecutionLoops.Core/Diagnostics/ExitCodes.cs, README "Exit codes"). Like the
// GitHub action, every code but 0 fails the step: 3 is an infrastructure failure, not a partial success.
const EXIT_RESULTS = {
  0: { result: 'Succeeded', message: 'loops succeeded.' },
  1: { result: 'Failed', message: 'loops: a mission or a required gate failed (exit code 1); the errors above and the run report say which.' },
  2: { result: 'Failed', message: 'loops: invalid input, in the briefs, .loops/config.yml or the task inputs (exit code 2); the errors above name the file and line.' },
  3: { result: 'Failed', message: 'loops: infrastructure failure: git, the file system, the network or a host API (exit code 3); the errors above say what failed.' },
};

/** A task input that loops cannot be run with; the message is for the pipeline's log. */
class InputError extends Error {}

/** Mission ids separated by white space, as the GitHub action takes them. */
function splitMissions(text) {
  return (text || '').split(/\s+/).filter((id) => id.length > 0);
}

/**
 * The loops arguments for the inputs ({ command, mission, all, dryRun, report, pr }). Arguments are passed as
 * an array to the process, never through a shell, so no input can add a command of its own.
 */
function buildArguments(inputs) {
  const command = (inputs.command || 'delegate').trim();
  const selection = () => [
    ...splitMissions(inputs.mission).flatMap((id) => ['--mission', id]),
    ...(inputs.all ? ['--all'] : []),
  ];
  switch (command) {
    case 'delegate':
      return [
        'delegate',
        ...selection(),
        ...(inputs.dryRun ? ['--dry-run'] : []),
        ...(inputs.report ? ['--report', inputs.report] : []),
      ];
    case 'plan':
      return ['plan', '--format', 'azure-matrix', ...selection()];
    case 'feedback': {
      const pr = (inputs.pr || '').trim();
      if (pr === '') {
        throw new InputError("The pr input is required for command 'feedback': the id of the pull request whose comments go back to its mission.");
      }
      if (!/^[1-9][0-9]*$/.test(pr)) {
        throw new InputError(`The pr input must be a pull request id (a positive number), not '${pr}'.`);
      }
      return ['feedback', '--pr', pr];
    }
    case 'lint':
    case 'pair-check':
      // pair-check is lint: the pair briefs are briefs like the others.
      return ['lint'];
    default:
      throw new InputError(`EL1033: Unknown command '${command}'. Use ${COMMANDS.slice(0, -1).join(', ')} or ${COMMANDS[COMMANDS.length - 1]}.`);
  }
}

/** Whether the command publishes and so receives the token. */
function publishes(command) {
  return PUBLISHING_COMMANDS.has((command || 'delegate').trim());
}

/**
 * The tokens a publishing command gets: those mapped into the step's env, then the accessToken input (a PAT)
 * as LOOPS_AZURE_DEVOPS_TOKEN, else, when no token is there at all, the job's System.AccessToken as
 * SYSTEM_ACCESSTOKEN. A command that does not publish gets none, and the readers are not even called.
 */
function tokensFor(command, mapped, readPat, readJobToken) {
  if (!publishes(command)) {
    return {};
  }
  const tokens = { ...mapped };
  const pat = readPat();
  if (pat) {
    tokens[PAT_VARIABLE] = pat;
  }
  if (Object.keys(tokens).length === 0) {
    const jobToken = readJobToken();
    if (jobToken) {
      tokens[JOB_TOKEN_VARIABLE] = jobToken;
    }
  }
  return tokens;
}

/**
 * The environment of the loops process: the step's own without any token, with the inputs that override
 * .loops/config.yml as the variables loops reads (LOOPS_MISSIONS, LOOPS_BASE_BRANCH, LOOPS_AGENT_<KEY>), and
 * the tokens (tokensFor: none unless the command publishes).
 */
function buildEnvironment(inputs, baseEnvironment, tokens) {
  const environment = { ...baseEnvironment };
  for (const name of TOKEN_VARIABLES) {
    delete environment[name];
  }
  const overrides = {
    LOOPS_MISSIONS: inputs.missions,
    LOOPS_BASE_BRANCH: inputs.base,
    LOOPS_AGENT_PRESET: inputs.agentPreset,
    LOOPS_AGENT_MODEL: inputs.agentModel,
    LOOPS_AGENT_ENDPOINT: inputs.agentEndpoint,
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value && value.trim() !== '') {
      environment[name] = value.trim();
    }
  }
  return { ...environment, ...(tokens || {}) };
}

/** The task result ('Succeeded' or 'Failed') and its message for a loops exit code. */
function resultFor(exitCode) {
  return EXIT_RESULTS[exitCode] || {
    result: 'Failed',
    message: `loops exited with code ${exitCode}, which it does not document (killed, or out of memory?).`,
  };
}

/**
 * The job matrix in what `loops plan --format azure-matrix` printed: the last line that is a JSON object
 * ({"<job>": {"mission": "<id>"}, …}); lines around it (logging commands, notes) are skipped. Null when
 * there is none.
 */
function readMatrix(output) {
  const lines = (output || '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const matrix = JSON.parse(lines[i]);
      if (matrix !== null && typeof matrix === 'object' && !Array.isArray(matrix)) {
        return { matrix: JSON.stringify(matrix), count: Object.keys(matrix).length };
      }
    } catch {
      // not the matrix line; look further up
    }
  }
  return null;
}

module.exports = {
  COMMANDS,
  JOB_TOKEN_VARIABLE,
  PAT_VARIABLE,
  TOKEN_VARIABLES,
  InputError,
  buildArguments,
  buildEnvironment,
  publishes,
  readMatrix,
  resultFor,
  splitMissions,
  tokensFor,
};
