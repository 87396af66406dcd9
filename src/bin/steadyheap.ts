#!/usr/bin/env node
/**
 * The `steadyheap` command (the package's `bin`). One subcommand today:
 * `steadyheap profile <url | folder | page.html> [options]` (see `steadyheap profile --help`).
 *
 * @module
 */
import { runProfileCommand } from '../profile/browser/cli.js';

const USAGE = `Usage: steadyheap <command> [options]

Commands:
  profile <url | folder | page.html>   profile a web game's frames, GC pauses and allocations
                                       (steadyheap profile --help for its options)
`;

const [command, ...rest] = process.argv.slice(2);
if (command === 'profile') {
  process.exitCode = await runProfileCommand(rest);
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`steadyheap: unknown command ${command}\n\n${USAGE}`);
  process.exitCode = 2;
}
