/**
 * `steadyheap profile <url | folder | page.html> [options]`: the command-line shell over
 * {@link profilePage}. Parses the arguments (`node:util` parseArgs; unknown options are errors),
 * serves a folder on 127.0.0.1 when given one, shows a progress line on stderr, writes the
 * profile's files and report, prints the summary, and returns the exit code: 0 when every gate
 * holds, 1 when one fails, 2 for a usage error or a page that could not be profiled.
 *
 * @module
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SAMPLING_INTERVAL_BYTES } from './allocation.js';
import { launchBrowser, ProfilerSetupError } from './chromium.js';
import { keptProfiles, profileJson, writeProfile } from './output.js';
import { profilePage, type PageProfile } from './profile.js';
import { screenshotReport, writeReport } from './report.js';
import { PageNotProfilableError, type ProfileProgress, type ProfileScript } from './run.js';
import { serveFolder, type FolderServer } from './serve.js';
import { checkGates, formatComparison, formatSummary, type GateLimits } from './summary.js';

/** Exit codes of `steadyheap profile`. */
export const EXIT = { ok: 0, gateFailed: 1, usageOrPage: 2 } as const;

/** The help text: every option, its unit and default. */
export const PROFILE_USAGE = `Usage: steadyheap profile <url | folder | page.html> [options]

Profiles a web game in Chromium, unchanged: frame times, which missed frames had a garbage
collection inside, GC pauses, bytes allocated per frame and by whom (function, script, npm
package), and the JS heap. A folder (or an HTML file's folder) is served on 127.0.0.1.

Options:
  --duration <s>              measured seconds per run (default 10)
  --warmup <s>                seconds between load (and --script's setup) and measuring (default 5)
  --runs <n>                  runs, each in a fresh browser context; figures are medians (default 1)
  --out <folder>              where the files go (default steadyheap-profile)
  --label <name>              names this profile; profiles with other labels in the same --out
                              folder are shown side by side in the report (default profile)
  --viewport <WxH>            page size in CSS pixels (default 1280x720)
  --headed                    show the browser window (default headless)
  --script <file>             a JavaScript module that drives the game: export async
                              setup(page, ctx) (awaited before the warm-up: click Play...) and/or
                              play(page, ctx) (runs until ctx.signal aborts: keys, clicks...);
                              page is a playwright-core Page
  --max-bytes-per-frame <n>   gate: exit 1 if the page allocates more bytes per frame
  --max-gc-ms <ms>            gate: exit 1 if the GC pause total of the window is longer
  --max-p99-ms <ms>           gate: exit 1 if the 99th-percentile frame time is longer
  --budget-ms <ms>            frame budget: a frame over 1.5x it is missed (default: the median
                              frame time, the page's own cadence)
  --sampling-interval <bytes> mean bytes between allocation samples (default ${DEFAULT_SAMPLING_INTERVAL_BYTES})
  --root <folder>             with an .html file: serve this folder (it must hold the file)
                              instead of the file's own, for pages that load files from above
                              their folder (such as /node_modules/...)
  --port <n>                  port for serving a folder (default: any free port)
  --allow-page-errors         profile a page even when it throws uncaught exceptions
  --no-png                    do not write report.png
  --json                      print profile.json to stdout instead of the summary
  -h, --help                  show this help

Writes <out>/profile.json, <out>/frames.csv, <out>/report.html (+ chart.umd.min.js) and
<out>/report.png, and keeps each label's profile in <out>/labels/<label>/.
Chromium: CHROMIUM_PATH, else a system Chromium or Chrome, else Playwright's own.
Exit codes: 0 every gate holds, 1 a gate failed, 2 usage error or the page could not be profiled.
`;

/** Parsed command line. Durations in ms. */
export interface ProfileCommand {
  target: string;
  durationMs: number;
  warmupMs: number;
  runs: number;
  outDir: string;
  label: string;
  viewport: { width: number; height: number };
  headed: boolean;
  script?: string;
  gates: GateLimits;
  budgetMs?: number;
  samplingIntervalBytes: number;
  /** Folder to serve for an .html target (default: the file's own folder). */
  root?: string;
  port: number;
  allowPageErrors: boolean;
  png: boolean;
  json: boolean;
}

/** A usage error: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function number(name: string, text: string | undefined, fallback: number, min: number, max: number, integer = false) {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${text}`);
  }
  return v;
}

/**
 * Parses `steadyheap profile`'s arguments (after the word `profile`).
 *
 * @returns the command, or `'help'` for `--help`.
 * @throws UsageError for an unknown option, a missing or extra argument, or a bad value.
 */
export function parseProfileArgs(argv: readonly string[]): ProfileCommand | 'help' {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        runs: { type: 'string' },
        out: { type: 'string' },
        label: { type: 'string' },
        viewport: { type: 'string' },
        headed: { type: 'boolean' },
        script: { type: 'string' },
        'max-bytes-per-frame': { type: 'string' },
        'max-gc-ms': { type: 'string' },
        'max-p99-ms': { type: 'string' },
        'budget-ms': { type: 'string' },
        'sampling-interval': { type: 'string' },
        root: { type: 'string' },
        port: { type: 'string' },
        'allow-page-errors': { type: 'boolean' },
        'no-png': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      parsed.positionals.length === 0
        ? 'give the page to profile: a URL, a folder or an HTML file'
        : `one page at a time, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
    );
  }
  const str = (k: string) => v[k] as string | undefined;
  let viewport = { width: 1280, height: 720 };
  if (str('viewport') !== undefined) {
    const m = /^(\d{1,5})x(\d{1,5})$/.exec(str('viewport') as string);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
      throw new UsageError(`--viewport must be WIDTHxHEIGHT in CSS pixels, e.g. 1280x720, got ${str('viewport')}`);
    }
    viewport = { width: Number(m[1]), height: Number(m[2]) };
  }
  const label = str('label') ?? 'profile';
  if (!/^[\w.-]{1,64}$/.test(label)) {
    throw new UsageError(`--label must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(label)}`);
  }
  const gate = (name: string) =>
    str(name) === undefined ? undefined : number(name, str(name), 0, 0, Number.MAX_SAFE_INTEGER);
  const budget = str('budget-ms');
  return {
    target: parsed.positionals[0],
    durationMs: number('duration', str('duration'), 10, 0.5, 3600) * 1000,
    warmupMs: number('warmup', str('warmup'), 5, 0, 3600) * 1000,
    runs: number('runs', str('runs'), 1, 1, 100, true),
    outDir: str('out') ?? 'steadyheap-profile',
    label,
    viewport,
    headed: v.headed === true,
    script: str('script'),
    gates: {
      maxBytesPerFrame: gate('max-bytes-per-frame'),
      maxGcMs: gate('max-gc-ms'),
      maxP99Ms: gate('max-p99-ms'),
    },
    budgetMs: budget === undefined ? undefined : number('budget-ms', budget, 0, 0.1, 10_000),
    samplingIntervalBytes: number(
      'sampling-interval',
      str('sampling-interval'),
      DEFAULT_SAMPLING_INTERVAL_BYTES,
      16,
      1 << 24,
      true,
    ),
    root: str('root'),
    port: number('port', str('port'), 0, 0, 65535, true),
    allowPageErrors: v['allow-page-errors'] === true,
    png: v['no-png'] !== true,
    json: v.json === true,
  };
}

/** Where to stream output; defaults to the process's. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (then the progress line is redrawn in place). */
  interactive: boolean;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  interactive: !!process.stderr.isTTY,
};

/** Resolves the target: a URL as given, or a folder / HTML file served for the run. */
async function resolveTarget(
  target: string,
  port: number,
  root?: string,
): Promise<{ url: string; server?: FolderServer }> {
  if (/^(https?|file):\/\//i.test(target)) {
    if (root !== undefined) throw new UsageError('--root serves a folder: give an .html file in it, not a URL');
    return { url: target };
  }
  if (/^[\w.-]+:\d+(\/|$)/.test(target)) {
    throw new UsageError(`${target} looks like a host and port: write it as a URL, http://${target}`);
  }
  const path = resolve(target);
  const stat = existsSync(path) ? statSync(path) : undefined;
  if (stat?.isDirectory()) {
    const server = await serveFolder(path, port);
    return { url: server.url, server };
  }
  if (stat?.isFile() && /\.html?$/i.test(path)) {
    const base = resolve(root ?? dirname(path));
    const inside = relative(base, path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new UsageError(`--root ${root} does not hold ${target}`);
    const server = await serveFolder(base, port);
    return { url: `${server.url}${inside.split(sep).map(encodeURIComponent).join('/')}`, server };
  }
  if (root !== undefined) throw new UsageError('--root goes with an .html file target');
  throw new UsageError(`${target} is not a URL (http://, https://, file://), a folder or an .html file`);
}

async function loadScript(file: string): Promise<ProfileScript> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`--script ${file}: no such file`);
  const mod = (await import(pathToFileURL(path).href)) as {
    setup?: ProfileScript['setup'];
    play?: ProfileScript['play'];
    default?: ProfileScript['setup'];
  };
  const setup = mod.setup ?? (typeof mod.default === 'function' ? mod.default : undefined);
  if (typeof setup !== 'function' && typeof mod.play !== 'function') {
    throw new UsageError(`--script ${file} exports neither setup(page, ctx), play(page, ctx) nor a default function`);
  }
  return { setup, play: mod.play };
}

/** The progress line for one update. */
export function progressLine(p: ProfileProgress): string {
  const run = p.runs > 1 ? `run ${p.run}/${p.runs}: ` : '';
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  switch (p.phase) {
    case 'loading':
      return `${run}loading the page`;
    case 'warm-up':
      return `${run}warming up ${secs(p.phaseElapsedMs)}/${secs(p.phaseMs)} s, ${p.frames ?? 0} frames so far`;
    case 'measuring':
      return `${run}measuring ${secs(p.phaseElapsedMs)}/${secs(p.phaseMs)} s, JS heap ${((p.heapBytes ?? 0) / 1e6).toFixed(1)} MB`;
    default:
      return `${run}analysing the trace and the allocation samples`;
  }
}

/**
 * Runs `steadyheap profile` with `argv` (the arguments after `profile`).
 *
 * @returns the exit code ({@link EXIT}).
 */
export async function runProfileCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let command: ProfileCommand | 'help';
  try {
    command = parseProfileArgs(argv);
  } catch (error) {
    io.stderr(`steadyheap profile: ${(error as Error).message}\nRun \`steadyheap profile --help\` for the options.\n`);
    return EXIT.usageOrPage;
  }
  if (command === 'help') {
    io.stdout(PROFILE_USAGE);
    return EXIT.ok;
  }
  const c = command;
  let server: FolderServer | undefined;
  let lastLength = 0;
  const progress = (p: ProfileProgress) => {
    const line = progressLine(p);
    if (io.interactive) {
      io.stderr(`\r${line.padEnd(lastLength)}`);
      lastLength = line.length;
    } else if (p.phase !== 'warm-up' && p.phase !== 'measuring') io.stderr(`${line}\n`);
    else if (p.phaseElapsedMs === 0) io.stderr(`${line}\n`);
  };
  const endProgress = () => {
    if (io.interactive && lastLength) io.stderr(`\r${' '.repeat(lastLength)}\r`);
    lastLength = 0;
  };
  let browser: Awaited<ReturnType<typeof launchBrowser>>['browser'] | undefined;
  try {
    const script = c.script ? await loadScript(c.script) : undefined;
    const target = await resolveTarget(c.target, c.port, c.root);
    server = target.server;
    browser = (await launchBrowser({ headed: c.headed })).browser;
    const profile: PageProfile = await profilePage({
      url: target.url,
      label: c.label,
      durationMs: c.durationMs,
      warmupMs: c.warmupMs,
      runs: c.runs,
      viewport: c.viewport,
      headed: c.headed,
      script,
      budgetMs: c.budgetMs,
      samplingIntervalBytes: c.samplingIntervalBytes,
      failOnPageError: !c.allowPageErrors,
      browser,
      onProgress: progress,
    });
    endProgress();
    const verdicts = checkGates(profile, c.gates);
    mkdirSync(c.outDir, { recursive: true });
    const files = writeProfile(c.outDir, profile);
    const others = keptProfiles(c.outDir, profile.label);
    const entries = [...others, { profile, rows: profile.rows ?? [] }];
    const report = writeReport(c.outDir, entries, { gates: verdicts, gatesLabel: profile.label });
    files.push(report.file);
    if (c.png) {
      const png = join(c.outDir, 'report.png');
      await screenshotReport(browser, report.file, png);
      files.push(png);
    }
    if (c.json) io.stdout(profileJson(profile));
    else {
      io.stdout(`${formatSummary(profile, verdicts)}\n`);
      if (others.length) {
        io.stdout(`\n  side by side with the profiles kept in ${join(c.outDir, 'labels')}:\n`);
        io.stdout(`${formatComparison(entries.map((e) => e.profile)).replace(/^/gm, '    ')}\n`);
      }
      if (!report.charts)
        io.stdout('\n  note: the report has no charts: install chart.js beside steadyheap to get them\n');
      io.stdout(`\n  wrote ${files.join(', ')}\n`);
    }
    return verdicts.every((g) => g.held) ? EXIT.ok : EXIT.gateFailed;
  } catch (error) {
    endProgress();
    if (error instanceof PageNotProfilableError) {
      io.stderr(`steadyheap profile: the page could not be profiled: ${error.message}\n`);
      return EXIT.usageOrPage;
    }
    if (error instanceof UsageError || error instanceof ProfilerSetupError) {
      io.stderr(`steadyheap profile: ${error.message}\n`);
      return EXIT.usageOrPage;
    }
    throw error;
  } finally {
    await browser?.close().catch(() => {});
    await server?.close();
  }
}
