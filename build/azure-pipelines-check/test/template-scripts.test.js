'use strict';
// The scripts inside the Azure templates, run by bash as the agent would run them: the plan step of delegate.yml
// (arguments from the parameters, the matrix and count output variables) and the gate of feedback.yml (which
// pull requests may start the feedback job, and how the token reaches curl). loops and curl are stand-ins on
// PATH that record what they were given; jq is the real one.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { describe, it, before, after } = require('node:test');
const YAML = require('yaml');

const templates = path.resolve(__dirname, '..', '..', '..', 'pipeline-templates', 'azure');

/** The bash script of the step with this name in a template. */
function script(file, stepName) {
  const found = [];
  const walk = (value) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      if (value.name === stepName && typeof value.bash === 'string') {
        found.push(value.bash);
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(YAML.parse(fs.readFileSync(path.join(templates, file), 'utf8')));
  assert.equal(found.length, 1, `one step named ${stepName} in ${file}`);
  return found[0];
}

let work;
before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'loops-azure-scripts-'));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Writes an executable stand-in into a fresh bin folder and runs the script with it first on PATH. */
function run(scriptText, standIns, environment) {
  const bin = fs.mkdtempSync(path.join(work, 'bin-'));
  for (const [name, body] of Object.entries(standIns)) {
    fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  }
  const temp = fs.mkdtempSync(path.join(work, 'temp-'));
  // A file a glob would match, so an unquoted expansion would show.
  fs.writeFileSync(path.join(temp, 'glob-bait'), '');
  const result = spawnSync('bash', ['-c', scriptText], {
    cwd: temp,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: temp, AGENT_TEMPDIRECTORY: temp, RECORD: temp, ...environment },
  });
  return { ...result, record: (name) => (fs.existsSync(path.join(temp, name)) ? fs.readFileSync(path.join(temp, name), 'utf8') : null) };
}

describe('delegate.yml: the plan step', () => {
  const plan = script('delegate.yml', 'plan');
  const matrix = '{"format_code":{"mission":"format-code","kind":"format"},"docs_refresh":{"mission":"docs-refresh","kind":"docs"}}';
  // What loops prints in a pipeline: its own logging commands around the matrix line.
  const loops = `printf '%s\\n' "$@" > "$RECORD/loops-args"
echo '##[group]plan'
echo '##vso[task.setvariable variable=matrix;isOutput=true]${matrix}'
echo '${matrix}'
echo '##[endgroup]'`;

  it('passes the missions and all as arguments, literally, and sets matrix and count for the next jobs', () => {
    const result = run(plan, { loops }, { MISSIONS: ' format-code  $(id) * ', ALL: 'True' });

    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.record('loops-args').trim().split('\n'), ['plan', '--format', 'azure-matrix', '--mission', 'format-code', '--mission', '$(id)', '--mission', '*', '--all']);
    assert.ok(result.stdout.includes(`##vso[task.setvariable variable=matrix;isOutput=true]${matrix}\n`), result.stdout);
    assert.ok(result.stdout.includes('##vso[task.setvariable variable=count;isOutput=true]2\n'), result.stdout);
  });

  it('plans what is due when no mission is named, and counts an empty matrix as 0', () => {
    const result = run(plan, { loops: `printf '%s\\n' "$@" > "$RECORD/loops-args"; echo '{}'` }, { MISSIONS: '', ALL: 'False' });

    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.record('loops-args').trim().split('\n'), ['plan', '--format', 'azure-matrix']);
    assert.ok(result.stdout.includes('##vso[task.setvariable variable=count;isOutput=true]0\n'), result.stdout);
  });

  it('fails when loops fails, and when it prints no matrix', () => {
    const failed = run(plan, { loops: 'echo "error EL1003: bad brief"; exit 2' }, { MISSIONS: '', ALL: 'False' });
    const silent = run(plan, { loops: 'echo "nothing here"' }, { MISSIONS: '', ALL: 'False' });

    assert.equal(failed.status, 2);
    assert.ok(!failed.stdout.includes('variable=matrix'));
    assert.equal(silent.status, 1);
    assert.ok(silent.stdout.includes('##vso[task.logissue type=error]loops plan printed no job matrix.'), silent.stdout);
  });
});

describe('feedback.yml: the gate', () => {
  const gate = script('feedback.yml', 'pr');
  const TOKEN = 'job-token-0c4e';
  // curl records its arguments and the config it read from stdin, then answers with the pull request.
  const curl = `printf '%s\\n' "$@" > "$RECORD/curl-args"; cat > "$RECORD/curl-config"; printf '%s' "$FAKE_PULL"`;
  const environment = (pull, pr = '17') => ({
    PR: pr,
    SYSTEM_ACCESSTOKEN: TOKEN,
    SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso/',
    SYSTEM_TEAMPROJECTID: 'project-1',
    BUILD_REPOSITORY_ID: 'repo-1',
    FAKE_PULL: JSON.stringify(pull),
  });
  const pull = (changes = {}) => ({
    pullRequestId: 17,
    status: 'active',
    repository: { id: 'repo-1' },
    sourceRefName: 'refs/heads/loops/format-code',
    description: 'Formats the code.\n\n<!-- loops:mission format-code -->',
    ...changes,
  });
  const missionOf = (stdout) => stdout.match(/##vso\[task\.setvariable variable=mission;isOutput=true\](.*)$/m)[1];

  it('names the mission of an active pull request of this repository from its loops/ branch, marker agreeing', () => {
    const result = run(gate, { curl }, environment(pull()));

    assert.equal(result.status, 0, result.stderr);
    assert.equal(missionOf(result.stdout), 'format-code');
    assert.ok(result.stdout.includes('##vso[task.setvariable variable=pr;isOutput=true]17\n'));
    assert.ok(result.record('curl-args').includes('https://dev.azure.com/contoso/project-1/_apis/git/repositories/repo-1/pullrequests/17?api-version=7.1'));
  });

  it('hands curl the token through its config on stdin, never on its command line', () => {
    const result = run(gate, { curl }, environment(pull()));

    assert.equal(result.status, 0, result.stderr);
    assert.ok(!result.record('curl-args').includes(TOKEN));
    assert.equal(result.record('curl-config'), `header = "Authorization: Bearer ${TOKEN}"\n`);
    assert.ok(!result.stdout.includes(TOKEN) && !result.stderr.includes(TOKEN));
  });

  const refused = [
    ['from a fork', { forkSource: { repository: { id: 'fork-9' } } }, /comes from a fork/],
    ['into another repository', { repository: { id: 'repo-2' } }, /comes from a fork or another repository/],
    ['not from a loops/ branch', { sourceRefName: 'refs/heads/feature/x' }, /is not from a loops\/<mission> branch/],
    ['whose marker names another mission', { description: '<!-- loops:mission docs-refresh -->' }, /marker does not name the source branch's mission/],
    ['without a marker', { description: 'hand-written' }, /marker does not name the source branch's mission/],
    ['completed', { status: 'completed' }, /is completed: nothing done/],
  ];
  for (const [what, changes, message] of refused) {
    it(`names no mission for a pull request ${what}`, () => {
      const result = run(gate, { curl }, environment(pull(changes)));

      assert.equal(result.status, 0, result.stderr);
      assert.equal(missionOf(result.stdout), '');
      assert.match(result.stdout, message);
    });
  }

  it('refuses a pull request id that is not a number, before any request', () => {
    const result = run(gate, { curl }, environment(pull(), '17; curl evil'));

    assert.equal(result.status, 1);
    assert.ok(result.stdout.includes('##vso[task.logissue type=error]The pull request id is not a number.'));
    assert.equal(result.record('curl-args'), null);
  });
});
