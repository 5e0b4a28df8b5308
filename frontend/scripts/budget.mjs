#!/usr/bin/env node
// Bundle budget: gzipped size of the JavaScript a first visit loads.
//
// Starts from the scripts and modulepreload links in dist/index.html and
// follows static imports between chunks (lazy `import()` chunks are not
// counted). Fails when the sum is above the budget.
//
//   node scripts/budget.mjs [--max-kb 300] [--dist dist]

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const maxKb = Number(option('--max-kb', process.env.BUDGET_MAX_KB ?? '300'));
const dist = resolve(here, '..', option('--dist', 'dist'));
const indexPath = join(dist, 'index.html');

if (!existsSync(indexPath)) {
  console.error(`budget: ${relative(process.cwd(), indexPath)} not found; run "npm run build" first.`);
  process.exit(2);
}

const html = readFileSync(indexPath, 'utf8');
const entryUrls = new Set();
for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
  const attr = (name) => tag.match(new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i'))?.[1];
  if (/^<script/i.test(tag)) {
    const src = attr('src');
    if (src) entryUrls.add(src);
  } else if ((attr('rel') ?? '').toLowerCase() === 'modulepreload') {
    const href = attr('href');
    if (href) entryUrls.add(href);
  }
}

if (entryUrls.size === 0) {
  console.error('budget: dist/index.html references no JavaScript.');
  process.exit(2);
}

const toFile = (url) => {
  if (/^[a-z]+:\/\//i.test(url) || url.startsWith('//')) {
    console.error(`budget: ${url} is not bundled (external script).`);
    process.exit(1);
  }
  return join(dist, url.replace(/^\//, '').split(/[?#]/)[0]);
};

// Static imports inside a minified chunk: `import{x}from"./a.js"`, `import"./b.js"`, `export*from"./c.js"`.
const STATIC_IMPORT = /(?:^|[\s;}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;

const seen = new Map();
const visit = (file) => {
  if (seen.has(file)) return;
  if (!existsSync(file)) {
    console.error(`budget: ${relative(dist, file)} is referenced but missing.`);
    process.exit(1);
  }
  const source = readFileSync(file);
  seen.set(file, gzipSync(source, { level: 9 }).length);
  const text = source.toString('utf8');
  for (const match of text.matchAll(STATIC_IMPORT)) {
    const spec = match[1];
    if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
    const target = spec.startsWith('/')
      ? join(dist, spec.slice(1))
      : join(dirname(file), posix.normalize(spec));
    visit(target);
  }
};
for (const url of entryUrls) visit(toFile(url));

let total = 0;
const rows = [...seen.entries()].sort((a, b) => b[1] - a[1]);
for (const [file, size] of rows) {
  total += size;
  console.log(`  ${(size / 1000).toFixed(1).padStart(8)} KB  ${relative(dist, file)}`);
}
const totalKb = total / 1000; // kB as Vite reports them
const verdict = totalKb <= maxKb ? 'OK' : 'OVER BUDGET';
console.log(`budget: initial JS ${totalKb.toFixed(1)} KB gzipped (${rows.length} chunk${rows.length === 1 ? '' : 's'}), limit ${maxKb} KB: ${verdict}`);
process.exit(totalKb <= maxKb ? 0 : 1);
