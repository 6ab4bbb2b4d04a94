'use strict';
// MockTestRunner runs each task scenario with the Node its task.json names (Node20_1 → 20) and downloads that
// Node into $HOME/azure-pipelines-task-lib/_download unless it is already there with its completion marker.
// The tests stay offline by putting this machine's node there first, under a temporary HOME.
const fs = require('fs');
const os = require('os');
const path = require('path');

const library = path.dirname(require.resolve('azure-pipelines-task-lib/package.json'));

/** The version MockTestRunner would download for a Node major, read from its own table. */
function pinnedVersion(major) {
  const source = fs.readFileSync(path.join(library, 'mock-test.js'), 'utf8');
  const match = source.match(new RegExp(`\\b${major}: '(v${major}\\.[0-9.]+)'`));
  if (!match) {
    throw new Error(`mock-test.js names no Node ${major} download: has azure-pipelines-task-lib changed its table?`);
  }
  return match[1];
}

/**
 * Points HOME at a fresh temporary folder and seeds the Node download MockTestRunner looks for with a link
 * to the running node. Call before requiring azure-pipelines-task-lib/mock-test (it reads HOME on load).
 */
function seedOfflineNode(major) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'loops-task-home-'));
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  const version = pinnedVersion(major);
  const destination = path.join(home, 'azure-pipelines-task-lib', '_download', `node${major}`);
  const executable = process.platform === 'win32'
    ? path.join(destination, 'node.exe')
    : path.join(destination, `node-${version}-${process.platform}-x64`, 'bin', 'node');
  fs.mkdirSync(path.dirname(executable), { recursive: true });
  if (process.platform === 'win32') {
    fs.copyFileSync(process.execPath, executable);
  } else {
    fs.symlinkSync(process.execPath, executable);
  }
  fs.writeFileSync(`${destination}.completed`, '');
  return { home, executable };
}

module.exports = { seedOfflineNode };
