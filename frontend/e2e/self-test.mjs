#!/usr/bin/env node
// Runs e2e/run.mjs against e2e/mock-hds.mjs on a free local port, so the
// browser check can be tried without the Rust backend (needs dist/ built).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockHds } from './mock-hds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const server = await startMockHds(0);
const { port } = server.address();
const child = spawn(process.execPath, [join(here, 'run.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, HDS_URL: `http://127.0.0.1:${port}`, E2E_USER: 'aft', E2E_PASSWORD: 'aft' },
});
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
server.close();
process.exit(code);
