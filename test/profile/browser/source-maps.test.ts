import { describe, expect, it } from 'vitest';
import { packagesOfSourceMap, resolveChunkOwners, sourceMapUrlOf } from '../../../src/profile/browser/source-maps.ts';

const DEPS = 'http://127.0.0.1:5173/node_modules/.vite/deps';

describe('owners of Vite shared chunks from their source maps', () => {
  it('reads the packages of a map, most sources first', () => {
    const map = { sources: ['../../pixi.js/lib/a.mjs', '../../pixi.js/lib/b.mjs', '../../eventemitter3/index.mjs'] };
    expect(packagesOfSourceMap(map, `${DEPS}/chunk-AB12CD34.js.map`)).toBe('pixi.js + eventemitter3');
    expect(packagesOfSourceMap({ sources: ['../../../src/game.ts'] }, `${DEPS}/x.js.map`)).toBeUndefined();
    expect(packagesOfSourceMap({ sources: 'nope' }, `${DEPS}/x.js.map`)).toBeUndefined();
    expect(
      sourceMapUrlOf('code();\n//# sourceMappingURL=CanvasPool-Ab1.js.map\n', `${DEPS}/CanvasPool-Ab1.js?v=1`),
    ).toBe(`${DEPS}/CanvasPool-Ab1.js.map`);
    expect(sourceMapUrlOf('code();', `${DEPS}/a.js`)).toBeUndefined();
    expect(sourceMapUrlOf('const s = "sourceMappingURL=x.map";', `${DEPS}/a.js`)).toBeUndefined();
  });

  it('resolves only shared chunks, through fetched or inline maps; unreadable ones keep their owner', async () => {
    // As Vite's dev server serves its dependency chunks: an inline map far longer than the code.
    const inline = Buffer.from(
      JSON.stringify({ sources: ['../../three/src/math/Vector3.js'], mappings: 'AAAA;'.repeat(5000) }),
    ).toString('base64');
    const files: Record<string, string> = {
      [`${DEPS}/CanvasPool-Bx1yZ9Q2.js?v=9`]: 'x\n//# sourceMappingURL=CanvasPool-Bx1yZ9Q2.js.map',
      [`${DEPS}/CanvasPool-Bx1yZ9Q2.js.map`]: JSON.stringify({ sources: ['../../pixi.js/lib/rendering/x.mjs'] }),
      [`${DEPS}/chunk-5WRI5ZAA.js`]: `y\n//# sourceMappingURL=data:application/json;base64,${inline}`,
      [`${DEPS}/chunk-NOMAP123.js`]: 'z',
    };
    const fetched: string[] = [];
    const fetchText = async (url: string) => {
      fetched.push(url);
      if (!(url in files)) throw new Error(`404 ${url}`);
      return files[url];
    };
    const owners = await resolveChunkOwners(
      [
        ...Object.keys(files).filter((u) => !u.endsWith('.map')),
        `${DEPS}/pixi__js.js`,
        'http://h/game.js',
        `${DEPS}/chunk-GONE0000.js`,
      ],
      fetchText,
    );
    expect(Object.fromEntries(owners)).toEqual({
      [`${DEPS}/CanvasPool-Bx1yZ9Q2.js?v=9`]: { kind: 'package', name: 'pixi.js' },
      [`${DEPS}/chunk-5WRI5ZAA.js`]: { kind: 'package', name: 'three' },
    });
    expect(fetched.some((u) => u.includes('pixi__js') || u.includes('game.js'))).toBe(false);
  });
});
