/**
 * The package works for a consumer who installs it from a clean checkout, as the README's
 * install section says:
 *
 * 1. a clean tree: the files git tracks (plus new files not yet committed, minus git-ignored
 *    ones such as `dist/`), copied to a temporary folder, with the project's `node_modules`
 *    linked in (same lockfile; this keeps the test offline and fast). No `dist/` exists there;
 * 2. `npm pack` there, so its `prepare` script must build it (the script npm also runs for an
 *    install from a git URL);
 * 3. the tarball's contents: every file package.json names, LICENSE, README, CHANGELOG, `src/`
 *    (so every source map resolves inside the package), no tests or tooling, no `@internal`
 *    declaration;
 * 4. `npm install --offline` of the tarball into a fresh ESM project, each entry's optional peer
 *    installed from the project's own `node_modules` by path (no registry, no cache needed);
 * 5. every entry point imported by name in Node, exporting exactly what its source exports;
 * 6. the README's TypeScript blocks type-checked against the installed package with each
 *    `moduleResolution` in use (`bundler`, `nodenext`, and `node` through `typesVersions`),
 *    with `skipLibCheck` off and no `@types/node`, then compiled and run with Node, printing
 *    what their comments say.
 *
 * Entry points come from package.json `exports`; a new entry needs its `typesVersions` line, its
 * tsconfig `paths` line (checked here) and, if it has a peer, a line in {@link ENTRY_PEERS}.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsBlocks } from '../support/readme-blocks.ts';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  peerDependencies: Record<string, string>;
};
const tsconfigPaths = (
  JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

/**
 * The optional peers an entry point needs, installed for it, and whether it can be imported in
 * Node (`runsInNode` false: type-checked only). `nodePrelude` is run before the import: pixi.js
 * reads `navigator` at load (browser detection), which Node 20 lacks, so the `steadyheap/pixi`
 * import is checked with a stand-in `navigator` (its rendering is tested in the browser).
 * `nodeTypes`: a Node-only entry, type-checked with `@types/node` apart from the others.
 */
const ENTRY_PEERS: Record<
  string,
  {
    peers: string[];
    runsInNode: boolean;
    nodePrelude?: string;
    nodeTypes?: boolean;
  }
> = {
  'steadyheap/bitecs': { peers: ['bitecs'], runsInNode: true },
  'steadyheap/pixi': {
    peers: ['pixi.js'],
    runsInNode: true,
    nodePrelude: "globalThis.navigator ??= { userAgent: 'node' };",
  },
  // Node-only (the browser profiler): its declarations use Node's and playwright-core's types,
  // so it is type-checked with @types/node, apart from the browser-safe entries.
  'steadyheap/profile': { peers: ['playwright-core', 'chart.js'], runsInNode: true, nodeTypes: true },
};

/** `steadyheap`, `steadyheap/bitecs`, ...: the package's `exports` keys as import specifiers. */
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));

const work = mkdtempSync(join(tmpdir(), 'steadyheap-pack-'));
const tree = join(work, 'tree');
const app = join(work, 'app');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let packedFiles: string[] = [];
let buildSeen = false;

function sh(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
}

/** Files under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)));
}

beforeAll(() => {
  // 1. A clean tree: what a clone would hold once the working changes are committed.
  const listed = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
    .split('\0')
    // A node_modules symlink is a file to git, so `node_modules/` in .gitignore does not hide it.
    .filter((f) => f && f !== 'node_modules' && existsSync(join(root, f)));
  for (const f of listed) {
    mkdirSync(dirname(join(tree, f)), { recursive: true });
    cpSync(join(root, f), join(tree, f));
  }
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  if (existsSync(join(tree, 'dist'))) throw new Error('the clean tree has a dist/: it is not clean');

  // 2. npm pack: prepare builds. Lifecycle output precedes npm's JSON on stdout.
  const out = sh('npm', ['pack', '--json', '--pack-destination', work], tree);
  buildSeen = out.includes('build: dist/ written');
  const packed = JSON.parse(out.slice(out.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed[0].files.map((f) => f.path);

  // 4. A fresh ESM project; the tarball offline (the core has no dependency); peers by path.
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed[0].filename)], app);
  const peers = [...new Set(Object.values(ENTRY_PEERS).flatMap((e) => e.peers)), '@types/node'];
  // --ignore-scripts: a peer installed from a folder runs its own `prepare` (pixi.js's is
  // `husky install`, a tool of its repository that is not installed here).
  sh(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      ...peers.map((p) => join(root, 'node_modules', p)),
    ],
    app,
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack from a clean tree', () => {
  it('builds in prepare and ships the built entries, sources, LICENSE and CHANGELOG, and nothing else', () => {
    expect(buildSeen, 'prepare ran the build').toBe(true);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) {
      expect(packedFiles).toContain(f);
    }
    // Every file package.json promises is in the tarball.
    const promised = JSON.stringify([pkg.exports, pkg.typesVersions]).match(/\.\/dist\/[^"]+/g) ?? [];
    for (const p of promised) expect(packedFiles).toContain(p.slice(2));
    // Tests, tooling, bench and examples stay home; every shipped file is under a `files` entry.
    for (const f of packedFiles) {
      expect(
        ['package.json', 'README.md', 'LICENSE'].includes(f) || pkg.files.some((t) => f === t || f.startsWith(`${t}/`)),
        f,
      ).toBe(true);
    }
    expect(packedFiles.some((f) => /^(test|bench|examples|scripts)\//.test(f))).toBe(false);
  });

  it('ships source maps whose sources all resolve inside the package, and no @internal declaration', () => {
    const installed = join(app, 'node_modules', pkg.name);
    const maps = filesUnder(installed).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    const unresolved: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(installed, m), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const s of map.sources) {
        const target = resolve(installed, dirname(m), map.sourceRoot ?? '', s);
        if (!target.startsWith(installed) || !existsSync(target)) unresolved.push(`${m} -> ${s}`);
      }
    }
    expect(unresolved).toEqual([]);
    const declarations = filesUnder(join(installed, 'dist')).filter((f) => f.endsWith('.d.ts'));
    const internal = declarations.filter((f) => readFileSync(join(installed, 'dist', f), 'utf8').includes('@internal'));
    expect(internal).toEqual([]);
  });

  it('names every entry point in exports, typesVersions and tsconfig paths alike', () => {
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of entries) {
      expect(tsconfigPaths[entry], `tsconfig.json paths["${entry}"]`).toBeDefined();
      if (entry !== pkg.name) {
        const sub = entry.slice(pkg.name.length + 1);
        const target = (pkg.exports[`./${sub}`] as { types: string }).types;
        expect(pkg.typesVersions['*'][sub], `typesVersions["*"]["${sub}"]`).toEqual([target]);
      }
    }
    for (const entry of Object.keys(ENTRY_PEERS)) expect(entries).toContain(entry);
  });

  it.each(entries)('%s imports by name in Node and exports exactly what its source does', async (entry) => {
    if (ENTRY_PEERS[entry]?.runsInNode === false) return;
    const prelude = ENTRY_PEERS[entry]?.nodePrelude ?? '';
    const script = `${prelude} const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
    const names = JSON.parse(sh('node', ['--input-type=module', '-e', script], app)) as string[];
    new Function(prelude)(); // the same stand-in here, for importing the source
    const source = (await import(/* @vite-ignore */ pathToFileURL(join(root, tsconfigPaths[entry][0])).href)) as object;
    expect(names).toEqual(Object.keys(source).sort());
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  it('steadyheap/pixi draws a pool made with the packed steadyheap (one StructPool class across entries)', () => {
    const script = `${ENTRY_PEERS['steadyheap/pixi'].nodePrelude}
      const { StructPool } = await import('steadyheap');
      const { PoolParticles } = await import('steadyheap/pixi');
      const pool = new StructPool({ x: 'f32', y: 'f32', color: 'u32', life: 'f64' }, { capacity: 16 });
      const view = new PoolParticles({ pool, attributes: { x: 'x', y: 'y', tint: 'color' }, blendMode: 'add' });
      let refused = '';
      try { new PoolParticles({ pool, attributes: { x: 'life', y: 'y' } }); } catch (e) { refused = e.name; }
      console.log(JSON.stringify({ bytes: view.attributes.bytesPerSlot, blend: view.blendMode, refused }));`;
    const out = JSON.parse(sh('node', ['--input-type=module', '-e', script], app)) as Record<string, unknown>;
    expect(out).toEqual({ bytes: 12, blend: 'add', refused: 'TypeError' });
  });

  it('installs the steadyheap command: `npx steadyheap profile --help` and `--version` run from the tarball', () => {
    const help = sh('npx', ['--no-install', 'steadyheap', 'profile', '--help'], app);
    expect(help).toMatch(/^Usage: steadyheap profile <url \| folder \| page\.html> \[options\]/);
    expect(help).toContain('--max-bytes-per-frame <n>');
    expect(sh('npx', ['--no-install', 'steadyheap', '--version'], app).trim()).toBe(pkg.version);
  });

  it('without playwright-core, `steadyheap profile <url>` exits 2 and names what to install', () => {
    const bare = join(work, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', type: 'module', private: true }));
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz')) as string;
    sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, tarball)], bare);
    let code = 0;
    let stderr = '';
    try {
      execFileSync('npx', ['--no-install', 'steadyheap', 'profile', 'http://127.0.0.1:9/'], {
        cwd: bare,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      code = err.status;
      stderr = err.stderr;
    }
    expect(code).toBe(2);
    expect(stderr).toMatch(/playwright-core, an optional peer dependency that is not installed here/);
    expect(stderr).toContain('npm install --save-dev playwright-core chart.js');
  });

  describe("the README's TypeScript blocks against the installed package", () => {
    const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    const base = {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      strict: true,
      skipLibCheck: false,
      types: [],
      moduleDetection: 'force',
      outDir: 'out',
    };
    const styles = {
      bundler: { module: 'ESNext', moduleResolution: 'bundler' },
      nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
      node: { module: 'ESNext', moduleResolution: 'node' },
    };

    beforeAll(() => {
      mkdirSync(join(app, 'blocks'), { recursive: true });
      for (const b of blocks) writeFileSync(join(app, 'blocks', `${b.name}.ts`), b.code);
      // Every entry's whole declaration tree, not only what the blocks touch (Node-only entries
      // apart, with Node's types).
      const importAll = (list: string[]) =>
        list.map((e, i) => `import * as entry${i} from '${e}';\nexport { entry${i} };\n`).join('');
      writeFileSync(join(app, 'blocks', 'entries.ts'), importAll(entries.filter((e) => !ENTRY_PEERS[e]?.nodeTypes)));
      mkdirSync(join(app, 'node-entries'), { recursive: true });
      writeFileSync(
        join(app, 'node-entries', 'entries.ts'),
        importAll(entries.filter((e) => ENTRY_PEERS[e]?.nodeTypes)),
      );
      writeFileSync(
        join(app, 'tsconfig.node-entries.json'),
        JSON.stringify({
          compilerOptions: { ...base, ...styles.nodenext, lib: ['ES2022', 'DOM'], types: ['node'] },
          include: ['node-entries'],
        }),
      );
      for (const [style, options] of Object.entries(styles)) {
        writeFileSync(
          join(app, `tsconfig.${style}.json`),
          JSON.stringify({ compilerOptions: { ...base, ...options }, include: ['blocks'] }),
        );
      }
    });

    it.each(Object.keys(styles))('type-check with moduleResolution %s', (style) => {
      const out = sh(process.execPath, [tsc, '-p', `tsconfig.${style}.json`, '--noEmit'], app);
      expect(out).toBe('');
    });

    it('type-check the Node-only entries with Node types', () => {
      const out = sh(process.execPath, [tsc, '-p', 'tsconfig.node-entries.json', '--noEmit'], app);
      expect(out).toBe('');
    });

    it('each block runs alone on Node and prints what its comments say', () => {
      sh(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json'], app);
      expect(blocks.length).toBeGreaterThanOrEqual(6);
      for (const b of blocks.filter((block) => !block.browser)) {
        const stdout = sh('node', [join('out', `${b.name}.js`)], app).trimEnd();
        const printed = stdout === '' ? [] : stdout.split('\n');
        expect(printed.length, `${b.name} printed ${JSON.stringify(printed)}`).toBe(b.expected.length);
        b.expected.forEach((want, i) => {
          if (want !== null) expect(printed[i], `console.log #${i + 1} of block ${b.name}`).toBe(want);
        });
      }
    });
  });
});
