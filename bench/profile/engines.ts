/**
 * `npm run profile:engines [-- options]`: `steadyheap profile` on three pages the project did not
 * write (bench/profile/engines/: PixiJS v8 sprites, a three.js scene, a Phaser arcade-physics
 * scene, each loading the engine's own build from node_modules), one after the other, each under
 * its own label in reports/engines/, so the last report shows the three side by side. Extra
 * options go to every `steadyheap profile` (for example `--runs 3 --duration 10`).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProfileCommand } from 'steadyheap/profile';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = ['pixi-sprites', 'three-scene', 'phaser-scene'];
const extra = process.argv.slice(2);
let worst = 0;
for (const page of PAGES) {
  const code = await runProfileCommand([
    join(root, 'bench', 'profile', 'engines', `${page}.html`),
    '--root',
    root,
    '--label',
    page,
    '--out',
    'reports/engines',
    ...extra,
  ]);
  worst = Math.max(worst, code);
  console.log('');
}
process.exitCode = worst;
