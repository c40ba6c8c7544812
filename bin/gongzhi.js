#!/usr/bin/env node
// The `gongzhi` command: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/cli.ts');
const args = process.argv.slice(2);
await runCli(args.length ? args : ['--help']);
if (args[0] !== 'serve' && args[0] !== 'bench') process.exit(process.exitCode ?? 0);
