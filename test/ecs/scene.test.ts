import { describe, expect, it } from 'vitest';
import { MAX_BULLETS, createEcsScene } from '../../examples/ecs/scene.ts';
import { countGc } from '../support/gc.ts';

describe('ECS example scene (Node)', () => {
  it('keeps the population in range, components consistent, and allocates nothing per frame', async () => {
    const scene = createEcsScene(800, 600);
    for (let f = 0; f < 300; f++) {
      scene.step();
      if (f % 30 === 0) {
        scene.bullets.check();
        scene.Position.check();
        scene.Life.check();
      }
    }
    expect(scene.bullets.size).toBeGreaterThan(100);
    expect(scene.bullets.size).toBeLessThanOrEqual(MAX_BULLETS);
    expect(scene.Position.count).toBe(scene.bullets.size);
    const gc = await countGc(() => {
      for (let f = 0; f < 2000; f++) scene.step();
    });
    expect(gc.count).toBe(0);
    scene.bullets.check();
  });
});
