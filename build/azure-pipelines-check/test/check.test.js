'use strict';
// check.js must fail on every kind of mistake it is there for: run it on a pipeline holding one of each.
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { it } = require('node:test');

it('finds every mistake of the broken pipeline, with its line, and exits 1', () => {
  const check = spawnSync(process.execPath, [path.join(__dirname, '..', 'check.js'), path.join(__dirname, 'broken-pipeline.yml')], { encoding: 'utf8' });
  const findings = check.stdout.split('\n').filter((line) => line.includes('broken-pipeline.yml:'));

  const expected = [
    /:13:7: template parameter 'missions' is not declared by pipeline-templates\/azure\/delegate\.yml/,
    /:14:12: template parameter 'all' is a boolean, not 'sometimes'/,
    /:15:15: template pipeline-templates\/azure\/feedback\.yml requires parameter 'pullRequestId'/,
    /:18:15: template: pipeline-templates\/azure\/nowhere\.yml@loops is not a file of this repository/,
    /:19:15: template: repository 'elsewhere' is not declared in resources\.repositories/,
    /:21:5: schema: \/stages\/4: 'jobz' is not a known key here/,
    /:27:13: schema: \/stages\/5\/jobs\/0\/steps\/0: 'scrip' is not a known key here/,
    /:28:19: bash: '\$\(Build\.SourceBranchName\)' is expanded into the script text/,
    /:29:19: task UseDotNot@2: no such task/,
    /:32:15: task ExecutionLoops@0: no input 'comand'/,
    /:35:24: task ExecutionLoops@0: input 'command' must be one of delegate, plan, feedback, lint, pair-check, not 'deploy'/,
  ];
  for (const pattern of expected) {
    assert.ok(findings.some((line) => pattern.test(line)), `missing ${pattern} in:\n${check.stdout}`);
  }
  assert.equal(findings.length, expected.length, check.stdout);
  assert.equal(check.status, 1);
});
