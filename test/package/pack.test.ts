/**
 * The published package works for a consumer: build it as `npm run build` does (into a temporary
 * copy of the package, so the repository's own `dist/` is not rewritten under other tests),
 * `npm pack`, install the tarball into a fresh ESM project (offline: the core has no runtime
 * dependency), import every public entry point by name, and use it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'steadyheap-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('npm pack', () => {
  it('gives a package that a fresh ESM project can import', async () => {
    const pkgDir = join(work, 'pkg');
    mkdirSync(pkgDir);
    for (const f of ['package.json', 'README.md']) copyFileSync(join(root, f), join(pkgDir, f));
    sh('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(pkgDir, 'dist')], root);
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', work], pkgDir)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    const app = join(work, 'app');
    sh('mkdir', ['-p', app], work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
    sh('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, packed[0].filename)], app);

    writeFileSync(
      join(app, 'main.js'),
      `import * as sh from 'steadyheap';
       const names = Object.keys(sh).sort();
       const oom = new sh.OutOfMemoryError('x', 1, 'bytes', {});
       console.log(JSON.stringify({ names, oomIsRange: oom instanceof RangeError, nullOffset: sh.NULL_OFFSET }));`,
    );
    const out = JSON.parse(sh('node', ['main.js'], app)) as {
      names: string[];
      oomIsRange: boolean;
      nullOffset: number;
    };
    expect(out.oomIsRange).toBe(true);
    expect(out.nullOffset).toBe(-1);
    // Every runtime export of src/index.ts, and nothing else, reaches the consumer.
    const source = await import('../../src/index.ts');
    expect(out.names).toEqual(Object.keys(source).sort());
    expect(out.names).toContain('OutOfMemoryError');

    // The bitECS bridge entry point, with its optional peer installed (from npm's cache: the
    // project's own install put bitecs there).
    sh('npm', ['install', '--no-audit', '--no-fund', '--offline', 'bitecs@0.4.0'], app);
    writeFileSync(
      join(app, 'ecs.js'),
      `import * as ecs from 'steadyheap/bitecs';
       import { createWorld, addEntity } from 'bitecs';
       const world = createWorld();
       const Position = ecs.definePoolComponent(world, { x: 'f32' }, { layout: 'entity' });
       const e = addEntity(world);
       Position.add(e);
       Position.fields.x[Position.indexOf(e)] = 3;
       console.log(JSON.stringify({ names: Object.keys(ecs).sort(), x: Position.fields.x[Position.indexOf(e)] }));`,
    );
    const ecsOut = JSON.parse(sh('node', ['ecs.js'], app)) as { names: string[]; x: number };
    const ecsSource = await import('../../src/ecs/index.ts');
    expect(ecsOut.names).toEqual(Object.keys(ecsSource).sort());
    expect(ecsOut.x).toBe(3);
  });
});
