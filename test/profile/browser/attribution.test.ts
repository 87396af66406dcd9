import { describe, expect, it } from 'vitest';
import {
  BROWSER_OWNER,
  PROBE_OWNER,
  VITE_CHUNK_OWNER,
  ownerOf,
  shortScript,
  vitePrebundlePackage,
} from '../../../src/profile/browser/attribution.ts';
import { PROBE_SCRIPT_URL } from '../../../src/profile/browser/probe.ts';

const pkg = (url: string) => {
  const o = ownerOf(url);
  return o.kind === 'package' ? o.name : `${o.kind}:${o.name}`;
};

describe('ownerOf: who owns the code at a script URL', () => {
  it('node_modules, scoped, nested (innermost wins), with query strings', () => {
    expect(pkg('http://localhost:5173/node_modules/pixi.js/lib/rendering/Renderer.mjs?v=1')).toBe('pixi.js');
    expect(pkg('http://h/node_modules/@dimforge/rapier2d-compat/rapier.js')).toBe('@dimforge/rapier2d-compat');
    expect(pkg('http://h/node_modules/phaser/node_modules/eventemitter3/index.js')).toBe('eventemitter3');
    expect(pkg('file:///home/me/game/node_modules/three/build/three.module.js')).toBe('three');
  });

  it("Vite's pre-bundles by file name; shared chunks apart", () => {
    expect(pkg('http://localhost:5173/node_modules/.vite/deps/pixi__js.js?v=3f1a2b')).toBe('pixi.js');
    expect(pkg('http://localhost:5173/node_modules/.vite/deps/three.js?v=1')).toBe('three');
    expect(pkg('http://h/node_modules/.vite/deps/three_examples_jsm_controls_OrbitControls__js.js')).toBe('three');
    expect(pkg('http://h/node_modules/.vite/deps/@pixi_sound.js')).toBe('@pixi/sound');
    expect(pkg('http://h/node_modules/.vite/deps/chunk-5WRI5ZAA.js?v=1')).toBe(VITE_CHUNK_OWNER);
    expect(pkg('http://h/node_modules/.vite/deps/CanvasPool-BxYz1a2C.js')).toBe(VITE_CHUNK_OWNER);
    expect(vitePrebundlePackage('react-dom_client')).toBe('react-dom');
  });

  it('CDN paths', () => {
    expect(pkg('https://unpkg.com/three@0.160.0/build/three.module.js')).toBe('three');
    expect(pkg('https://unpkg.com/@pixi/sound@6/dist/pixi-sound.js')).toBe('@pixi/sound');
    expect(pkg('https://cdn.jsdelivr.net/npm/phaser@3.80.1/dist/phaser.min.js')).toBe('phaser');
    expect(pkg('https://cdn.jsdelivr.net/npm/@babylonjs/core@7/index.js')).toBe('@babylonjs/core');
    expect(pkg('https://cdn.jsdelivr.net/gh/user/repo@main/x.js')).toBe('github:user/repo');
    expect(pkg('https://esm.sh/v135/matter-js@0.19.0/es2022/matter-js.mjs')).toBe('matter-js');
    expect(pkg('https://esm.sh/pixi.js@8.1.0')).toBe('pixi.js');
    expect(pkg('https://cdnjs.cloudflare.com/ajax/libs/pixi.js/7.3.2/pixi.min.js')).toBe('pixi.js');
    expect(pkg('https://ga.jspm.io/npm:howler@2.2.4/dist/howler.js')).toBe('howler');
    expect(pkg('https://cdn.skypack.dev/-/kaboom@v3000.1.17-abc/dist=es2019,mode=imports/optimized/kaboom.js')).toBe(
      'kaboom',
    );
  });

  it("the page's own scripts by path; no URL is the browser; the probe is itself", () => {
    expect(ownerOf('http://127.0.0.1:8080/js/game.js?v=2')).toEqual({ kind: 'page', name: '/js/game.js' });
    expect(ownerOf('https://cdn.example.com/assets/index-4f3a.js')).toEqual({
      kind: 'page',
      name: '/assets/index-4f3a.js',
    });
    expect(ownerOf('')).toEqual({ kind: 'browser', name: BROWSER_OWNER });
    expect(ownerOf(PROBE_SCRIPT_URL)).toEqual({ kind: 'probe', name: PROBE_OWNER });
    expect(ownerOf('', 'steadyheapProbeLongFrames')).toEqual({ kind: 'probe', name: PROBE_OWNER });
    expect(ownerOf('', '(IDLE)')).toEqual({ kind: 'browser', name: BROWSER_OWNER });
    expect(ownerOf('http://h/game.js', 'steadyheapProbeFrame').kind).toBe('page');
    expect(() => ownerOf(undefined as never)).toThrow(TypeError);
  });

  it('shortScript leaves out the page origin only', () => {
    expect(shortScript('http://127.0.0.1:1/a/b.js?x', 'http://127.0.0.1:1')).toBe('/a/b.js');
    expect(shortScript('https://unpkg.com/three@1/x.js', 'http://127.0.0.1:1')).toBe('unpkg.com/three@1/x.js');
    expect(shortScript('')).toBe('(no script)');
  });
});
