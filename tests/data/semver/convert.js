#!/usr/bin/env node
// Turns node-semver's test fixtures (tests/data/third_party/node-semver/,
// copied unchanged) into one JSON object per line, in the request format
// of `tollgate semver batch` plus the answer the fixture demands ("want")
// and where the case came from ("src"). Run from the repository root:
//   node tests/data/semver/convert.js
// The fixtures are evaluated as plain data; node-semver itself is not
// needed. Options are read the way node-semver reads them: a non-object
// truthy option means {loose: true}; otherwise `loose` and
// `includePrerelease` are taken for their truthiness.
'use strict'
const fs = require('fs')
const path = require('path')
const vm = require('vm')

const root = path.resolve(__dirname, '..', '..', '..')
const fixtures = path.join(root, 'tests/data/third_party/node-semver/test/fixtures')
const outDir = path.join(root, 'tests/data/semver')

// Constants of node-semver that invalid-versions.js imports.
const constants = { MAX_LENGTH: 256, MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER }

function load (name) {
  const code = fs.readFileSync(path.join(fixtures, name), 'utf8')
  const mod = { exports: null }
  const sandbox = {
    module: mod,
    require: (what) => {
      if (what.endsWith('internal/constants')) return constants
      throw new Error(`${name} requires ${what}`)
    },
    Number,
  }
  vm.runInNewContext(code, sandbox, { filename: name })
  // Line numbers of the entries, for "src": each entry starts with "  [".
  const lines = code.split('\n')
  const entryLines = []
  lines.forEach((l, i) => { if (/^\s*\[/.test(l) && i > 0 && !/module\.exports/.test(l)) entryLines.push(i + 1) })
  return mod.exports.map((entry, i) => ({ entry, src: `${name}:${entryLines[i] || '?'}` }))
}

function opts (o) {
  if (!o) return { loose: false, includePrerelease: false }
  if (typeof o !== 'object') return { loose: true, includePrerelease: false }
  return { loose: !!o.loose, includePrerelease: !!o.includePrerelease }
}

function write (file, cases, skipped) {
  const body = cases.map(c => JSON.stringify(c)).join('\n') + '\n'
  fs.writeFileSync(path.join(outDir, file), body)
  console.log(`${file}: ${cases.length} cases` + (skipped ? `, ${skipped} skipped (not strings)` : ''))
}

const isStr = (x) => typeof x === 'string'

// satisfies: range-include (true) and range-exclude (false)
for (const [file, want] of [['range-include.js', true], ['range-exclude.js', false]]) {
  const cases = []
  let skipped = 0
  for (const { entry: [range, version, o], src } of load(file)) {
    if (!isStr(range) || !isStr(version)) { skipped++; continue }
    cases.push({ op: 'satisfies', a: version, b: range, ...opts(o), want: { satisfies: want }, src })
  }
  write(file.replace('.js', '.jsonl'), cases, skipped)
}

// comparisons: v0 > v1 under the options; each equals itself
{
  const cases = []
  for (const { entry: [v0, v1, o], src } of load('comparisons.js')) {
    const op = opts(o)
    cases.push({ op: 'compare', a: v0, b: v1, ...op, want: { compare: 1 }, src })
    cases.push({ op: 'compare', a: v1, b: v0, ...op, want: { compare: -1 }, src })
    cases.push({ op: 'compare', a: v0, b: v0, ...op, want: { compare: 0 }, src })
    cases.push({ op: 'compare', a: v1, b: v1, ...op, want: { compare: 0 }, src })
  }
  write('comparisons.jsonl', cases)
}

// equality: v0 == v1 both ways
{
  const cases = []
  for (const { entry: [v0, v1, o], src } of load('equality.js')) {
    const op = opts(o)
    cases.push({ op: 'compare', a: v0, b: v1, ...op, want: { compare: 0 }, src })
    cases.push({ op: 'compare', a: v1, b: v0, ...op, want: { compare: 0 }, src })
  }
  write('equality.jsonl', cases)
}

// invalid versions: not valid under their options (string inputs only;
// the others test JavaScript type checks that have no C counterpart)
{
  const cases = []
  let skipped = 0
  for (const { entry, src } of load('invalid-versions.js')) {
    const [v, reason, o] = entry
    if (!isStr(v)) { skipped++; continue }
    const options = typeof reason === 'boolean' ? opts(reason) : opts(o)
    cases.push({ op: 'valid', a: v, ...options, want: { valid: null }, src })
  }
  write('invalid-versions.jsonl', cases, skipped)
}

// valid versions: canonical form and build metadata
{
  const cases = []
  for (const { entry: [v, major, minor, patch, pre, build], src } of load('valid-versions.js')) {
    const canon = `${major}.${minor}.${patch}` + (pre.length ? '-' + pre.join('.') : '')
    const want = { valid: canon }
    if (build.length) want.build = build.join('.')
    cases.push({ op: 'valid', a: v, ...opts(), want, src })
  }
  write('valid-versions.jsonl', cases)
}

// range-parse: the desugared range ('*' where node-semver prints ''), or
// null for an invalid range
{
  const cases = []
  for (const { entry: [range, canon, o], src } of load('range-parse.js')) {
    cases.push({ op: 'range', a: range, ...opts(o), want: { range: canon === '*' ? '' : canon }, src })
  }
  write('range-parse.jsonl', cases)
}

// compare-loose: equal when loose, the first is no strict version
{
  const cases = []
  for (const { entry: [loose, strict], src } of load('compare-loose.js')) {
    cases.push({ op: 'compare', a: loose, b: strict, ...opts(true), want: { compare: 0 }, src })
    cases.push({ op: 'valid', a: loose, ...opts(), want: { valid: null }, src })
  }
  write('compare-loose.jsonl', cases)
}

// range-loose: desugars when loose, invalid when strict
{
  const cases = []
  for (const { entry: [range, comps], src } of load('range-loose.js')) {
    cases.push({ op: 'range', a: range, ...opts(true), want: { range: comps }, src })
    cases.push({ op: 'range', a: range, ...opts(), want: { range: null }, src })
  }
  write('range-loose.jsonl', cases)
}
