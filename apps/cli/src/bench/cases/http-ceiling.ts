import { type ChildProcess, spawn } from 'node:child_process';
import type { Result as LoadResult } from 'autocannon';
import { type BenchEnv, type BenchRunOutput, defineBenchCase } from '../bench-case';
import { findWorkspaceRoot } from '../../workspace';
import { httpSeconds, loadOutput } from './http';

const CONNECTIONS = 64;

/** A 10-item recommendations answer of the usual size (~2.4 kB), so the ceilings move the same bytes as the API. */
const BODY = `JSON.stringify({ items: Array.from({ length: 10 }, (_, i) => ({ id: '4iV5W9uYEdYUVa79Axb7R' + i,
  name: 'A song name of usual length ' + i, artists: ['An Artist', 'Another'], album: 'An Album Title', genres: ['pop'],
  popularity: 50, danceability: 0.512, energy: 0.403, valence: 0.3, tempo: 120.1, score: 0.123456,
  reason: { kind: 'cf', text: 'Because you liked Another Song Name' } })), provider: 'engine', modelVersion: 'engine-20261125T120000Z-0123abcd' })`;

/** Node's own HTTP server, nothing else: the most any Node API can answer on this machine. */
const NODE_SERVER = `
const body = ${BODY};
const server = require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));`;

/** NestJS 11 on Express with one controller and nothing else (no middleware, guards, pipes): the framework's floor. */
const NEST_SERVER = `
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const body = JSON.parse(${BODY});
class Ceiling { answer() { return body; } }
Get('/')(Ceiling.prototype, 'answer', Object.getOwnPropertyDescriptor(Ceiling.prototype, 'answer'));
Controller()(Ceiling);
class CeilingModule {}
Module({ controllers: [Ceiling] })(CeilingModule);
NestFactory.create(CeilingModule, { logger: false }).then(async (app) => {
  await app.listen(0, '127.0.0.1');
  console.log('listening ' + app.getHttpServer().address().port);
});`;

interface CeilingServer {
  child: ChildProcess;
  base: string;
}

async function startServer(source: string, env: BenchEnv): Promise<CeilingServer> {
  const root = env.workspaceRoot ?? findWorkspaceRoot(process.cwd());
  // Run from the workspace root so that the Nest server resolves the workspace's own @nestjs packages.
  const child = spawn(process.execPath, ['-e', source], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reference server did not start: ${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${port}` });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reference server exited (${code}): ${output}`));
    });
  });
}

async function load(base: string, seconds: number): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon');
  return autocannon({ url: `${base}/`, connections: CONNECTIONS, duration: seconds });
}

function ceilingCase(id: string, name: string, source: string) {
  return defineBenchCase({
    id,
    name,
    unit: 'requests',
    repeat: 1,
    warmup: 0,
    setup: async (env) => {
      const server = await startServer(source, env);
      await load(server.base, Math.min(2, httpSeconds(env)));
      return server;
    },
    run: async (server, env): Promise<BenchRunOutput> => loadOutput(await load(server.base, httpSeconds(env))),
    teardown: async ({ child }) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  });
}

/** Reference points for the HTTP cases, same load generator and connections: bare Node, and bare NestJS. */
export const httpCeilingNode = ceilingCase('http-ceiling-node', 'http: reference, bare node:http', NODE_SERVER);
export const httpCeilingNest = ceilingCase('http-ceiling-nest', 'http: reference, bare NestJS + Express', NEST_SERVER);
