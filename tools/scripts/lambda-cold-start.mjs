#!/usr/bin/env node
// Cold and warm start of the Lambda bundle (dist/apps/api/lambda.js), measured the way Lambda would see them:
// every run is a fresh Node process (a new container) that requires the bundle ("init"), invokes the handler with the
// recorded GET /v1/songs?limit=2 API Gateway event (the first invocation builds the Nest app: config, catalog, store,
// active model) and then invokes it again several times (warm: routing only). Prints the medians over the runs,
// wall clock and the CPU time of init + cold invocation (the figure a loaded machine does not inflate).
//
//   node tools/scripts/lambda-cold-start.mjs [--runs 7] [--warm 20] [--store sqlite|dynamodb] [--bundle path]
//
// sqlite (default): the demo listeners (~38K events) are seeded and a model is trained and saved by a first,
// unmeasured process; the measured ones load that model, as containers after a deployment would.
// dynamodb: the store is an in-memory dynalite child process (tables created by the first process); the model is
// trained on an empty store (popularity only), so it measures DynamoDB's share of the start-up rather than the model's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const runs = Number(option('runs', '7'));
const warmInvocations = Number(option('warm', '20'));
const store = option('store', 'sqlite');
const bundle = resolve(option('bundle', join(root, 'dist/apps/api/lambda.js')));
if (!['sqlite', 'dynamodb'].includes(store) || !(runs >= 1) || !(warmInvocations >= 1)) {
  console.error('usage: lambda-cold-start.mjs [--runs N] [--warm N] [--store sqlite|dynamodb] [--bundle path]');
  process.exit(2);
}
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run npx nx build api first`);
  process.exit(1);
}

const event = readFileSync(join(root, 'apps/api/src/testing/lambda-events/get-songs-limit-2.json'), 'utf8');

// One container: init, the cold invocation, then the warm ones. Times in ms, printed as one JSON line.
const CONTAINER = `
const started = performance.now();
const { handler } = require(process.env.BENCH_BUNDLE);
const initMs = performance.now() - started;
const event = JSON.parse(process.env.BENCH_EVENT);
const context = { awsRequestId: 'bench', functionName: 'encore-api' };
(async () => {
  let t = performance.now();
  const first = await handler(event, context);
  const coldInvokeMs = performance.now() - t;
  const cpu = process.cpuUsage();
  const coldCpuMs = (cpu.user + cpu.system) / 1000;
  const warm = [];
  for (let i = 0; i < Number(process.env.BENCH_WARM); i++) {
    t = performance.now();
    const result = await handler(event, context);
    warm.push(performance.now() - t);
    if (result.statusCode !== 200) throw new Error('warm invocation answered ' + result.statusCode);
  }
  if (first.statusCode !== 200) throw new Error('cold invocation answered ' + first.statusCode + ' ' + first.body);
  warm.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ initMs, coldInvokeMs, coldCpuMs, warmMs: warm[warm.length >> 1] }) + '\\n');
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

const dataDir = mkdtempSync(join(tmpdir(), 'encore-lambda-bench-'));
let dynalite;
const env = {
  ...process.env,
  ENCORE_DATA_DIR: dataDir,
  JWT_SECRET: 'lambda-cold-start-bench-secret-0123456789',
  LOG_LEVEL: 'warn',
  MODEL_POLL_SECONDS: '0',
  BENCH_BUNDLE: bundle,
  BENCH_EVENT: event,
  BENCH_WARM: String(warmInvocations),
};
if (store === 'dynamodb') {
  const requireFromRoot = createRequire(join(root, 'package.json'));
  dynalite = spawn(
    process.execPath,
    [
      '-e',
      `const s = require(${JSON.stringify(requireFromRoot.resolve('dynalite'))})({ createTableMs: 0 });
       s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));
       process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise((resolvePort) => dynalite.stdout.once('data', (d) => resolvePort(String(d).trim())));
  Object.assign(env, {
    INTERACTION_STORE: 'dynamodb',
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
    DYNAMODB_TABLE_PREFIX: 'bench-',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'dynalite',
    AWS_SECRET_ACCESS_KEY: 'dynalite',
    DEMO_LISTENERS: 'false',
  });
} else {
  Object.assign(env, { INTERACTION_STORE: 'sqlite', DEMO_LISTENERS: 'true' });
}

function container() {
  const out = spawnSync(process.execPath, ['-e', CONTAINER], { cwd: root, env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`container failed (exit ${out.status}):\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
try {
  process.stderr.write(`preparing (store ${store}: seed, train and save the model once) …\n`);
  container();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    samples.push(container());
    process.stderr.write(
      `run ${i + 1}/${runs}: ${JSON.stringify(samples[i], (_, v) => (typeof v === 'number' ? Math.round(v) : v))}\n`,
    );
  }
  const initMs = median(samples.map((s) => s.initMs));
  const coldInvokeMs = median(samples.map((s) => s.coldInvokeMs));
  const coldTotalMs = median(samples.map((s) => s.initMs + s.coldInvokeMs));
  const warmMs = median(samples.map((s) => s.warmMs));
  // CPU time of init + cold invocation: what a busy machine cannot inflate, unlike the wall-clock figures.
  const coldCpuMs = median(samples.map((s) => s.coldCpuMs));
  console.log(
    JSON.stringify({ store, runs, warmInvocations, initMs, coldInvokeMs, coldTotalMs, coldCpuMs, warmMs }, (_, v) =>
      typeof v === 'number' ? Math.round(v * 10) / 10 : v,
    ),
  );
} finally {
  dynalite?.stdin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
