'use strict';
// Checks this repository's Azure Pipelines YAML offline, as CI runs it (node check.js; exit 1 on any finding):
//   - every file parses, and validates against the Azure Pipelines schema (build/schemas/azure-pipelines, the
//     schema the Azure Pipelines VS Code extension ships) once its template expressions are expanded;
//   - every `template:` reference names a file that exists, passes only parameters the template declares, and
//     passes every parameter the template requires (no default), with values of the declared type and values;
//   - no script (script, bash, pwsh, powershell) holds an expression: ${{ }}, $[ ] or a $(macro) — values reach
//     scripts through env: only, as in the GitHub workflows;
//   - every ExecutionLoops@N task step uses inputs its task.json declares (the schema knows only built-in tasks).
// Files: azure-pipelines.yml, pipeline-templates/azure/**/*.yml, and the YAML blocks of the README's
// "In Azure Pipelines" section; or the files given as arguments.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const YAML = require('yaml');

const root = path.resolve(__dirname, '..', '..');
const schemaPath = path.join(root, 'build', 'schemas', 'azure-pipelines', 'service-schema.json');
const taskJsonPath = path.join(root, 'src', 'ExecutionLoops.AzureDevOps.Task', 'LoopsTask', 'task.json');
const SCRIPT_KEYS = ['script', 'bash', 'pwsh', 'powershell'];
const PLACEHOLDER = 'expression';

const findings = [];
function report(source, node, message) {
  const at = source.position(node);
  findings.push(`${source.name}:${at.line}:${at.col}: ${message}`);
}

// ---------------------------------------------------------------------------------------------------------
// Sources: a YAML text with its name and the line its text starts at (README blocks start further down).

function loadSource(name, text, lineOffset, baseDirectory) {
  const lineCounter = new YAML.LineCounter();
  // Azure Pipelines YAML is all strings: the failsafe schema keeps `fetchDepth: 0` the string the schema wants.
  const document = YAML.parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: false });
  const source = {
    name,
    document,
    baseDirectory,
    value: undefined,
    position(node) {
      const offset = node && node.range ? node.range[0] : 0;
      const at = lineCounter.linePos(offset);
      return { line: at.line + lineOffset, col: at.col };
    },
  };
  for (const error of document.errors) {
    const at = lineCounter.linePos(error.pos[0]);
    findings.push(`${name}:${at.line + lineOffset}:${at.col}: YAML: ${error.message.split('\n')[0]}`);
  }
  if (document.errors.length === 0) {
    source.value = document.toJS();
  }
  return source;
}

/**
 * The node at a path of keys and indexes, or the deepest one that exists on the way; with key, the last
 * segment's key rather than its value (where an unknown key is written).
 */
function nodeAt(document, segments, key = false) {
  let node = document.contents;
  for (const [index, segment] of segments.entries()) {
    let next;
    if (YAML.isMap(node)) {
      next = node.items.find((pair) => YAML.isScalar(pair.key) && String(pair.key.value) === segment);
      next = next && (key && index === segments.length - 1 ? next.key : next.value || next.key);
    } else if (YAML.isSeq(node)) {
      next = node.items[Number(segment)];
    }
    if (!next) {
      break;
    }
    node = next;
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------------
// Template expressions, expanded just enough for the schema: parameters take their defaults, ${{ if }} and
// ${{ else }} branches are all kept, ${{ each }} runs over the default collection, anything else is a string.

function declaredParameters(value) {
  const declared = new Map();
  const list = value && value.parameters;
  if (Array.isArray(list)) {
    for (const parameter of list) {
      if (parameter && typeof parameter === 'object' && typeof parameter.name === 'string') {
        declared.set(parameter.name, parameter);
      }
    }
  } else if (list && typeof list === 'object') {
    // The old form: a mapping of names to defaults.
    for (const [name, defaultValue] of Object.entries(list)) {
      declared.set(name, { name, default: defaultValue });
    }
  }
  return declared;
}

function resolvePath(expression, scope) {
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+)*$/.test(expression)) {
    return undefined;
  }
  let current = scope;
  for (const part of expression.split('.')) {
    if (current === null || typeof current !== 'object' || !(part in current)) {
      return undefined;
    }
    current = current[part];
  }
  return current;
}

const WHOLE_EXPRESSION = /^\s*\$\{\{(.*)\}\}\s*$/s;
const ANY_EXPRESSION = /\$\{\{(.*?)\}\}/g;

function expandString(text, scope) {
  const whole = text.match(WHOLE_EXPRESSION);
  if (whole && !whole[1].includes('}}')) {
    const resolved = resolvePath(whole[1].trim(), scope);
    return resolved === undefined ? PLACEHOLDER : structuredClone(resolved);
  }
  return text.replace(ANY_EXPRESSION, (_, expression) => {
    const resolved = resolvePath(expression.trim(), scope);
    return resolved === undefined || typeof resolved === 'object' ? PLACEHOLDER : String(resolved);
  });
}

function directive(key) {
  const match = key.match(/^\$\{\{\s*(if|elseif|else|each|insert)\b(.*)\}\}$/s);
  return match ? { kind: match[1], rest: match[2].trim() } : null;
}

/** The values an ${{ each x in collection }} directive iterates over, with its variable name. */
function eachItems(rest, scope) {
  const match = rest.match(/^([A-Za-z_][\w]*)\s+in\s+(.+)$/s);
  if (!match) {
    return { name: '', items: [] };
  }
  const collection = resolvePath(match[2].trim(), scope);
  if (Array.isArray(collection)) {
    return { name: match[1], items: collection };
  }
  if (collection && typeof collection === 'object') {
    return { name: match[1], items: Object.entries(collection).map(([key, value]) => ({ key, value })) };
  }
  return { name: match[1], items: [] };
}

function expand(value, scope) {
  if (typeof value === 'string') {
    return expandString(value, scope);
  }
  if (Array.isArray(value)) {
    const result = [];
    for (const item of value) {
      const keys = item && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [];
      const step = keys.length === 1 ? directive(keys[0]) : null;
      if (step) {
        const bodies = step.kind === 'each'
          ? eachItems(step.rest, scope).items.map((element) => ({ body: item[keys[0]], scope: { ...scope, [eachItems(step.rest, scope).name]: element } }))
          : [{ body: item[keys[0]], scope }];
        for (const { body, scope: inner } of bodies) {
          const expanded = expand(body, inner);
          result.push(...(Array.isArray(expanded) ? expanded : [expanded]));
        }
      } else {
        result.push(expand(item, scope));
      }
    }
    return result;
  }
  if (value && typeof value === 'object') {
    const result = {};
    for (const [key, child] of Object.entries(value)) {
      const step = directive(key);
      if (step) {
        const bodies = step.kind === 'each'
          ? eachItems(step.rest, scope).items.map((element) => ({ body: child, scope: { ...scope, [eachItems(step.rest, scope).name]: element } }))
          : [{ body: child, scope }];
        for (const { body, scope: inner } of bodies) {
          const expanded = expand(body, inner);
          if (expanded && typeof expanded === 'object' && !Array.isArray(expanded)) {
            Object.assign(result, expanded);
          }
        }
      } else {
        const name = expandString(key, scope);
        result[typeof name === 'string' ? name : PLACEHOLDER] = expand(child, scope);
      }
    }
    return result;
  }
  return value;
}

/**
 * Task steps the schema cannot judge become a neutral script step: our own task (checked against its task.json
 * instead), built-in tasks the schema names but gives no inputs for (UseNode@1, PublishCodeCoverageResults@2:
 * every branch of the schema's task definition wants another task's inputs), and tasks it does not name at all
 * (taskCheck reports those, in one line rather than one per branch).
 */
function neutralizeTasks(value, schema) {
  if (Array.isArray(value)) {
    return value.map((item) => neutralizeTasks(item, schema));
  }
  if (value && typeof value === 'object') {
    if (typeof value.task === 'string') {
      const own = /^ExecutionLoops@\d+$/.test(value.task);
      const detailed = schema.detailed.some((pattern) => pattern.test(value.task));
      if (own || !detailed) {
        return { script: 'true', displayName: String(value.displayName || value.task) };
      }
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, neutralizeTasks(child, schema)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Checks.

let validate;
let taskNames;
function loadSchema() {
  if (!validate) {
    const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
    const task = schema.definitions.task;
    taskNames = {
      detailed: task.anyOf.map((branch) => branch.properties.task.pattern).filter(Boolean).map((pattern) => new RegExp(pattern, 'i')),
      named: new Set(task.properties.task.anyOf.flatMap((branch) => branch.enum || []).map((name) => name.toLowerCase())),
    };
    validate = compiledValidator(schema);
  }
}

/**
 * The schema compiled by ajv. Compiling the 1.6 MB schema costs seconds, so the generated code is kept in
 * node_modules/.cache under a hash of the schema, ajv's version and the options; a later run loads it.
 */
function compiledValidator(schema) {
  // Not strict: the schema carries editor keywords (firstProperty, ignoreCase, doNotSuggest) ajv does not know;
  // not unicode: its patterns escape characters (\:) that only non-unicode regular expressions accept;
  // coercing: the file is read as strings, and a few task inputs are typed (useGlobalJson: boolean).
  const options = { strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false, coerceTypes: true };
  const key = crypto.createHash('sha256')
    .update(fs.readFileSync(schemaPath)).update(require('ajv/package.json').version).update(JSON.stringify(options))
    .digest('hex').slice(0, 16);
  const cached = path.join(__dirname, 'node_modules', '.cache', 'azure-pipelines-check', `schema-${key}.js`);
  if (fs.existsSync(cached)) {
    return require(cached);
  }
  const ajv = new Ajv({ ...options, code: { source: true } });
  const compiled = ajv.compile(schema);
  try {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, standaloneCode(ajv, compiled));
    fs.renameSync(partial, cached);
  } catch (error) {
    console.error(`(the compiled schema is not cached: ${error.message})`);
  }
  return compiled;
}

/**
 * The errors worth reading among ajv's: every anyOf branch explains itself, so (1) drop the branches of the task
 * definition written for another task, (2) keep the deepest errors of each region (an error about a node whose
 * children have errors too is a branch that did not fit), (3) of the unknown keys at a node keep those no branch
 * allows, and drop the branches' missing-key complaints there.
 */
function readableErrors(errors) {
  let kept = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const wrongTask = new Set();
  for (const e of kept) {
    const branch = e.schemaPath.match(/^#\/definitions\/task\/anyOf\/(\d+)\//);
    if (branch && e.keyword === 'pattern' && e.instancePath.endsWith('/task')) {
      wrongTask.add(`${e.instancePath.slice(0, -'/task'.length)}|${branch[1]}`);
    }
  }
  kept = kept.filter((e) => {
    const branch = e.schemaPath.match(/^#\/definitions\/task\/anyOf\/(\d+)\//);
    return !branch || ![...wrongTask].some((key) => {
      const [base, index] = key.split('|');
      return index === branch[1] && (e.instancePath === base || e.instancePath.startsWith(`${base}/`));
    });
  });
  kept = kept.filter((e) => !kept.some((other) => other.instancePath.startsWith(`${e.instancePath}/`)));
  const byPath = new Map();
  for (const e of kept) {
    byPath.set(e.instancePath, [...(byPath.get(e.instancePath) || []), e]);
  }
  const result = [];
  for (const [instancePath, group] of byPath) {
    const unknown = group.filter((e) => e.keyword === 'additionalProperties');
    if (unknown.length > 0) {
      const counts = new Map();
      for (const e of unknown) {
        counts.set(e.params.additionalProperty, (counts.get(e.params.additionalProperty) || 0) + 1);
      }
      const most = Math.max(...counts.values());
      for (const [property, count] of counts) {
        if (count === most) {
          result.push({ instancePath, property, message: `'${property}' is not a known key here` });
        }
      }
    } else if (group.every((e) => e.keyword === 'pattern' || e.keyword === 'enum')) {
      const allowed = group.flatMap((e) => (e.keyword === 'enum' ? e.params.allowedValues : [e.params.pattern]));
      result.push({ instancePath, message: `does not match any of ${allowed.slice(0, 8).join(', ')}${allowed.length > 8 ? ', …' : ''}` });
    } else {
      for (const e of group.slice(0, 3)) {
        const detail = e.params && e.params.missingProperty ? ` '${e.params.missingProperty}'` : '';
        result.push({ instancePath, message: `${e.message}${detail}` });
      }
    }
  }
  return result;
}

function schemaCheck(source) {
  loadSchema();
  const defaults = Object.fromEntries([...declaredParameters(source.value)].map(([name, parameter]) => [name, parameter.default]));
  const expanded = neutralizeTasks(expand(source.value, { parameters: defaults }), taskNames);
  if (validate(expanded)) {
    return;
  }
  const seen = new Set();
  for (const error of readableErrors(validate.errors)) {
    const message = `schema: ${error.instancePath || '/'}: ${error.message}`;
    if (!seen.has(message) && seen.size < 10) {
      seen.add(message);
      const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      report(source, error.property ? nodeAt(source.document, [...segments, error.property], true) : nodeAt(source.document, segments), message);
    }
  }
}

/** Visits every mapping of the raw document with its path. */
function walk(value, segments, visit) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...segments, String(index)], visit));
  } else if (value && typeof value === 'object') {
    visit(value, segments);
    for (const [key, child] of Object.entries(value)) {
      walk(child, [...segments, key], visit);
    }
  }
}

function scriptCheck(source) {
  walk(source.value, [], (mapping, segments) => {
    for (const key of SCRIPT_KEYS) {
      const script = mapping[key];
      if (typeof script !== 'string') {
        continue;
      }
      const found = script.match(/\$\{\{.*?\}\}|\$\[.*?\]|\$\([A-Za-z_][\w.-]*\)/);
      if (found) {
        report(source, nodeAt(source.document, [...segments, key]),
          `${key}: '${found[0]}' is expanded into the script text (a script injection when the value is untrusted): pass it through env: and read the variable`);
      }
    }
  });
}

function repositoryAliases(value) {
  const repositories = value && value.resources && value.resources.repositories;
  return new Set(Array.isArray(repositories) ? repositories.map((r) => r && r.repository).filter(Boolean) : []);
}

const loaded = new Map();
function loadTemplate(file) {
  if (!loaded.has(file)) {
    loaded.set(file, loadSource(path.relative(root, file), fs.readFileSync(file, 'utf8'), 0, path.dirname(file)));
  }
  return loaded.get(file);
}

function literal(value) {
  return typeof value === 'string' && !value.includes('${{') && !value.includes('$[') && !/\$\([\w.-]+\)/.test(value);
}

function templateCheck(source) {
  const aliases = repositoryAliases(source.value);
  walk(source.value, [], (mapping, segments) => {
    if (typeof mapping.template !== 'string') {
      return;
    }
    const here = nodeAt(source.document, [...segments, 'template']);
    const [reference, alias] = mapping.template.split('@');
    if (alias && alias !== 'self' && !aliases.has(alias) && source.isPipeline) {
      report(source, here, `template: repository '${alias}' is not declared in resources.repositories`);
      return;
    }
    // Through a repository resource the path is from that repository's root: here, this repository.
    const file = alias || reference.startsWith('/')
      ? path.join(root, reference.replace(/^\//, ''))
      : path.join(source.baseDirectory, reference);
    if (!fs.existsSync(file)) {
      report(source, here, `template: ${mapping.template} is not a file of this repository (${path.relative(root, file)})`);
      return;
    }
    const template = loadTemplate(file);
    if (!template.value) {
      return;
    }
    const declared = declaredParameters(template.value);
    const passed = mapping.parameters === undefined ? {} : mapping.parameters;
    if (!passed || typeof passed !== 'object' || Array.isArray(passed)) {
      report(source, here, 'template: parameters must be a mapping of names to values');
      return;
    }
    for (const [name, value] of Object.entries(passed)) {
      const at = nodeAt(source.document, [...segments, 'parameters', name]);
      const parameter = declared.get(name);
      if (!parameter) {
        report(source, nodeAt(source.document, [...segments, 'parameters', name], true), `template parameter '${name}' is not declared by ${path.relative(root, file)} (it declares: ${[...declared.keys()].join(', ')})`);
        continue;
      }
      if (!literal(value)) {
        continue;
      }
      const type = parameter.type || 'string';
      if (type === 'boolean' && !/^(true|false)$/i.test(value)) {
        report(source, at, `template parameter '${name}' is a boolean, not '${value}'`);
      } else if (type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) {
        report(source, at, `template parameter '${name}' is a number, not '${value}'`);
      } else if (Array.isArray(parameter.values) && !parameter.values.includes(value)) {
        report(source, at, `template parameter '${name}' must be one of ${parameter.values.join(', ')}, not '${value}'`);
      }
    }
    for (const [name, parameter] of declared) {
      if (!('default' in parameter) && !(name in passed)) {
        report(source, here, `template ${path.relative(root, file)} requires parameter '${name}' (it has no default)`);
      }
    }
  });
}

function taskCheck(source) {
  loadSchema();
  walk(source.value, [], (mapping, segments) => {
    const name = mapping.task;
    if (typeof name === 'string' && literal(name) && !/^ExecutionLoops@\d+$/.test(name)
      && !taskNames.detailed.some((pattern) => pattern.test(name)) && !taskNames.named.has(name.toLowerCase())) {
      report(source, nodeAt(source.document, [...segments, 'task']), `task ${name}: no such task (neither built in nor ExecutionLoops@N)`);
    }
  });
  const task = JSON.parse(fs.readFileSync(taskJsonPath, 'utf8'));
  const inputs = new Map(task.inputs.map((input) => [input.name, input]));
  walk(source.value, [], (mapping, segments) => {
    const match = typeof mapping.task === 'string' && mapping.task.match(/^ExecutionLoops@(\d+)$/);
    if (!match) {
      return;
    }
    const here = nodeAt(source.document, [...segments, 'task']);
    if (Number(match[1]) !== task.version.Major) {
      report(source, here, `task ${mapping.task}: the task's major version is ${task.version.Major}`);
    }
    const given = mapping.inputs && typeof mapping.inputs === 'object' ? mapping.inputs : {};
    for (const [name, value] of Object.entries(given)) {
      const at = nodeAt(source.document, [...segments, 'inputs', name]);
      const input = inputs.get(name);
      if (!input) {
        report(source, nodeAt(source.document, [...segments, 'inputs', name], true), `task ${mapping.task}: no input '${name}' (inputs: ${[...inputs.keys()].join(', ')})`);
      } else if (input.type === 'pickList' && literal(value) && !(value in input.options)) {
        report(source, at, `task ${mapping.task}: input '${name}' must be one of ${Object.keys(input.options).join(', ')}, not '${value}'`);
      } else if (input.type === 'boolean' && literal(value) && !/^(true|false)$/i.test(value)) {
        report(source, at, `task ${mapping.task}: input '${name}' is a boolean, not '${value}'`);
      }
    }
    for (const input of task.inputs.filter((i) => i.required && !('defaultValue' in i))) {
      if (!(input.name in given)) {
        report(source, here, `task ${mapping.task}: input '${input.name}' is required`);
      }
    }
  });
}

function isPipelineLike(value) {
  return value && typeof value === 'object' && !Array.isArray(value)
    && ['stages', 'jobs', 'steps', 'extends'].some((key) => key in value);
}

function check(source, { isPipeline, schema = true }) {
  if (source.value === undefined) {
    return;
  }
  source.isPipeline = isPipeline;
  if (schema) {
    schemaCheck(source);
  }
  scriptCheck(source);
  templateCheck(source);
  taskCheck(source);
}

// ---------------------------------------------------------------------------------------------------------

function readmeBlocks(readmePath) {
  const lines = fs.readFileSync(readmePath, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^## In Azure Pipelines\s*$/.test(line));
  if (start < 0) {
    findings.push(`${path.relative(root, readmePath)}:1:1: no "## In Azure Pipelines" section`);
    return [];
  }
  const blocks = [];
  let block = null;
  for (let i = start + 1; i < lines.length && !/^## /.test(lines[i]); i++) {
    if (block === null && /^```ya?ml\s*$/.test(lines[i])) {
      block = { line: i + 2, text: [] };
    } else if (block !== null && /^```\s*$/.test(lines[i])) {
      blocks.push({ line: block.line, text: block.text.join('\n') });
      block = null;
    } else if (block !== null) {
      block.text.push(lines[i]);
    }
  }
  return blocks;
}

function main() {
  const explicit = process.argv.slice(2);
  let files = explicit.map((file) => path.resolve(file));
  let withReadme = false;
  if (files.length === 0) {
    const templates = [];
    const collect = (directory) => {
      for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) {
          collect(full);
        } else if (/\.ya?ml$/.test(entry.name)) {
          templates.push(full);
        }
      }
    };
    collect(path.join(root, 'pipeline-templates', 'azure'));
    files = [path.join(root, 'azure-pipelines.yml'), ...templates.sort()];
    withReadme = true;
  }

  let checked = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      findings.push(`${path.relative(root, file)}:1:1: missing`);
      continue;
    }
    const source = loadTemplate(file);
    const isTemplate = file.includes(`${path.sep}pipeline-templates${path.sep}`);
    check(source, { isPipeline: !isTemplate });
    checked++;
  }
  if (withReadme) {
    const readme = path.join(root, 'README.md');
    for (const block of readmeBlocks(readme)) {
      const source = loadSource(`README.md`, block.text, block.line - 1, root);
      // Whole pipelines are validated like files; fragments (a few steps) get the task and script checks.
      check(source, { isPipeline: true, schema: isPipelineLike(source.value) });
      checked++;
    }
  }

  for (const finding of findings) {
    console.log(finding);
  }
  console.log(findings.length === 0
    ? `Azure Pipelines YAML: ${checked} file(s) and README block(s) valid.`
    : `Azure Pipelines YAML: ${findings.length} finding(s).`);
  process.exit(findings.length === 0 ? 0 : 1);
}

main();
