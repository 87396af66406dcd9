#!/usr/bin/env node
/**
 * The `steadyheap` command (the package's `bin`). One subcommand today:
 * `steadyheap profile <url | folder | page.html> [options]` (see `steadyheap profile --help`).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { runProfileCommand } from '../profile/browser/cli.js';

const USAGE = `Usage: steadyheap <command> [options]

Commands:
  profile <url | folder | page.html>   profile a web game's frames, GC pauses and allocations
                                       (steadyheap profile --help for its options)

Options:
  --version, -v                        print the package version
  --help, -h                           print this help
`;

const [command, ...rest] = process.argv.slice(2);
if (command === 'profile') {
  process.exitCode = await runProfileCommand(rest);
} else if (command === '--version' || command === '-v') {
  // dist/bin/steadyheap.js and src/bin/steadyheap.ts both sit two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`steadyheap: unknown command ${command}\n\n${USAGE}`);
  process.exitCode = 2;
}
