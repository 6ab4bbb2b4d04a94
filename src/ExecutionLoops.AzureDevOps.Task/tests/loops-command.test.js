'use strict';
const assert = require('node:assert/strict');
const { describe, it } = require('node:test');
const { buildArguments, buildEnvironment, readMatrix, resultFor, tokensFor } = require('../LoopsTask/loops-command');

describe('loops command mapping', () => {
  it('keeps a hostile mission id one argument, never a shell word', () => {
    assert.deepEqual(buildArguments({ command: 'delegate', mission: '$(curl) `id`;rm' }), ['delegate', '--mission', '$(curl)', '--mission', '`id`;rm']);
  });

  it('drops every token already in the environment, and reads none for a command that does not publish', () => {
    const unread = () => assert.fail('a token was read for lint');
    const tokens = tokensFor('lint', { SYSTEM_ACCESSTOKEN: 'mapped' }, unread, unread);
    const environment = buildEnvironment({ command: 'lint' }, { PATH: '/bin', SYSTEM_ACCESSTOKEN: 'a', LOOPS_AZURE_DEVOPS_TOKEN: 'b', AZURE_DEVOPS_EXT_PAT: 'c' }, tokens);

    assert.deepEqual(environment, { PATH: '/bin' });
  });

  it('falls back to the job token only when no token was mapped or given', () => {
    const job = () => 'job';
    assert.deepEqual(tokensFor('delegate', {}, () => '', job), { SYSTEM_ACCESSTOKEN: 'job' });
    assert.deepEqual(tokensFor('feedback', { AZURE_DEVOPS_EXT_PAT: 'cli' }, () => '', job), { AZURE_DEVOPS_EXT_PAT: 'cli' });
    assert.deepEqual(tokensFor('delegate', {}, () => 'pat', job), { LOOPS_AZURE_DEVOPS_TOKEN: 'pat' });
  });

  it('leaves an override unset when its input is blank', () => {
    const environment = buildEnvironment({ command: 'plan', base: '  ', agentPreset: '' }, { LOOPS_BASE_BRANCH: 'from-pipeline' }, {});

    assert.deepEqual(environment, { LOOPS_BASE_BRANCH: 'from-pipeline' });
  });

  it('reads the matrix from the last JSON object line, past logging commands', () => {
    const output = '##vso[task.setvariable variable=x]{"a":1}\n{"old":{"mission":"old"}}\n  {"format_code":{"mission":"format-code"}}  \n##[endgroup]\n';

    assert.deepEqual(readMatrix(output), { matrix: '{"format_code":{"mission":"format-code"}}', count: 1 });
  });

  it('reads an empty plan as a matrix of no jobs, and no JSON as no matrix', () => {
    assert.deepEqual(readMatrix('{}'), { matrix: '{}', count: 0 });
    assert.equal(readMatrix('{not json\n[1,2]'), null);
    assert.equal(readMatrix(''), null);
  });

  it('succeeds only on exit code 0', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((code) => resultFor(code).result), ['Succeeded', 'Failed', 'Failed', 'Failed', 'Failed']);
  });
});
