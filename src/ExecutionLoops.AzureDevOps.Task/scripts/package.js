'use strict';
// npm run package: stages the extension (manifest, overview, the task and its production packages) in .stage/
// and packs it with tfx into artifacts/ExecutionLoops.AzureDevOps-<version>.vsix at the repository root.
// The version is the one of Directory.Build.props, written into the staged task.json and manifest, so the
// extension, the task and the tool are released under one number. Nothing is downloaded: the production
// packages are copied from node_modules, chosen by package-lock.json (everything not marked dev).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const here = path.resolve(__dirname, '..');
const root = path.resolve(here, '..', '..');
const stage = path.join(here, '.stage');
const artifacts = path.join(root, 'artifacts');
const TASK_FILES = ['task.json', 'index.js', 'loops-command.js', 'loops-sandbox.js', 'loops-tool.js'];

function productVersion() {
  const props = fs.readFileSync(path.join(root, 'Directory.Build.props'), 'utf8');
  const match = props.match(/<Version>\s*(\d+)\.(\d+)\.(\d+)[^<]*<\/Version>/);
  if (!match) {
    throw new Error('Directory.Build.props has no <Version>major.minor.patch</Version>.');
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function productionPackages() {
  const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith('node_modules/') && !entry.dev && !entry.devOptional)
    .map(([key]) => key)
    // A package nested in another one is copied with it.
    .filter((key, _, all) => !all.some((other) => other !== key && key.startsWith(`${other}/`)));
}

/**
 * Reads the .vsix back: the manifest names the task contribution, and the task, its handler and the task
 * library it loads are inside, so an install on an agent can run it.
 */
async function verify(vsix, text) {
  const JSZip = require('jszip');
  const zip = await JSZip.loadAsync(fs.readFileSync(vsix));
  const required = ['extension.vsixmanifest', 'LoopsTask/task.json', 'LoopsTask/index.js', 'LoopsTask/loops-command.js',
    'LoopsTask/loops-sandbox.js', 'LoopsTask/loops-tool.js', 'LoopsTask/node_modules/azure-pipelines-task-lib/task.js', 'LoopsTask/node_modules/shelljs/shell.js'];
  const missing = required.filter((name) => !zip.file(name));
  if (missing.length > 0) {
    throw new Error(`${vsix} lacks ${missing.join(', ')}.`);
  }
  const task = JSON.parse(await zip.file('LoopsTask/task.json').async('string'));
  const version = `${task.version.Major}.${task.version.Minor}.${task.version.Patch}`;
  if (version !== text || !task.execution.Node20_1) {
    throw new Error(`${vsix}: task.json has version ${version} (want ${text}) or no Node20_1 execution.`);
  }
  const manifest = await zip.file('extension.vsixmanifest').async('string');
  if (!manifest.includes(`Version="${text}"`)) {
    throw new Error(`${vsix}: the manifest does not carry version ${text}.`);
  }
}

async function main() {
  const version = productVersion();
  const text = `${version.major}.${version.minor}.${version.patch}`;

  fs.rmSync(stage, { recursive: true, force: true });
  const taskStage = path.join(stage, 'LoopsTask');
  fs.mkdirSync(taskStage, { recursive: true });

  const manifest = JSON.parse(fs.readFileSync(path.join(here, 'vss-extension.json'), 'utf8'));
  writeJson(path.join(stage, 'vss-extension.json'), { ...manifest, version: text });
  fs.copyFileSync(path.join(here, 'overview.md'), path.join(stage, 'overview.md'));

  for (const file of TASK_FILES) {
    fs.copyFileSync(path.join(here, 'LoopsTask', file), path.join(taskStage, file));
  }
  const task = JSON.parse(fs.readFileSync(path.join(taskStage, 'task.json'), 'utf8'));
  writeJson(path.join(taskStage, 'task.json'), { ...task, version: { Major: version.major, Minor: version.minor, Patch: version.patch } });

  const packages = productionPackages();
  for (const key of packages) {
    const source = path.join(here, key);
    if (!fs.existsSync(source)) {
      throw new Error(`${key} is not installed: run npm ci first.`);
    }
    fs.cpSync(source, path.join(taskStage, key), { recursive: true });
  }

  fs.mkdirSync(artifacts, { recursive: true });
  const vsix = path.join(artifacts, `ExecutionLoops.AzureDevOps-${text}.vsix`);
  fs.rmSync(vsix, { force: true });
  const tfx = path.join(here, 'node_modules', 'tfx-cli', '_build', 'tfx-cli.js');
  execFileSync(process.execPath, [tfx, 'extension', 'create', '--root', stage, '--manifest-globs', 'vss-extension.json', '--output-path', vsix, '--no-prompt'], { stdio: 'inherit', cwd: here });
  if (!fs.existsSync(vsix)) {
    throw new Error(`tfx wrote no ${vsix}.`);
  }
  await verify(vsix, text);
  console.log(`${path.relative(root, vsix)}: the task ${task.name}@${version.major} ${text} with ${packages.length} production packages.`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
