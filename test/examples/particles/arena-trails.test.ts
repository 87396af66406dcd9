/**
 * Comet trails in an arena (`arena-trails.ts`), in every arena kind: whatever the sequence of
 * pushes and retractions, a trail holds exactly the last `length` positions pushed, oldest
 * first, never more than asked for, in a block that stays inside the arena's checked
 * structure; blocks grow and shrink with `realloc` and are freed at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArenaTrails,
  INITIAL_TRAIL_CAPACITY,
  TRAIL_ALLOCS,
  TRAIL_ARENA_KINDS,
  TRAIL_FREES,
  TRAIL_GROWS,
  TRAIL_SHRINKS,
  type TrailColumns,
  createTrailArena,
} from '../../../examples/particles/arena-trails.ts';
import { TRAIL_MAX_POINTS } from '../../../examples/particles/physics.ts';

const SLOTS = 6;

function columns(): TrailColumns {
  return {
    x: new Float32Array(SLOTS),
    y: new Float32Array(SLOTS),
    trailAt: new Int32Array(SLOTS).fill(-1),
    trailLength: new Uint16Array(SLOTS),
    trailHead: new Uint16Array(SLOTS),
    trailFull: new Uint16Array(SLOTS),
    trailCapacity: new Uint16Array(SLOTS),
  };
}

/** The trail of `slot`, oldest point first, as [x, y] pairs. */
function pointsOf(trails: ArenaTrails, c: TrailColumns, slot: number): number[][] {
  const f32 = trails.arena.f32;
  const out: number[][] = [];
  const base = c.trailAt[slot] >> 2;
  for (let k = 0; k < c.trailLength[slot]; k++) {
    const at = base + ((c.trailHead[slot] + k) % c.trailFull[slot]) * 2;
    out.push([f32[at], f32[at + 1]]);
  }
  return out;
}

describe('ArenaTrails', () => {
  it('keeps the last pushed positions in order, within the target, in checked arena blocks', () => {
    for (const kind of TRAIL_ARENA_KINDS) {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              slot: fc.integer({ min: 0, max: SLOTS - 1 }),
              full: fc.integer({ min: 1, max: TRAIL_MAX_POINTS }),
              // Pushes, each with a target length (the fade: non-increasing in the demo, any here).
              targets: fc.array(fc.integer({ min: 1, max: TRAIL_MAX_POINTS }), { minLength: 1, maxLength: 70 }),
            }),
            { minLength: 1, maxLength: 12 },
          ),
          (lives) => {
            const c = columns();
            const trails = new ArenaTrails(createTrailArena(kind, 1 << 16), c);
            let counter = 0;
            for (const life of lives) {
              const s = life.slot;
              if (c.trailAt[s] >= 0) trails.end(s);
              c.x[s] = counter++;
              c.y[s] = -c.x[s];
              trails.start(s, life.full);
              const history = [[c.x[s], c.y[s]]];
              let shown = 1;
              for (const target of life.targets) {
                c.x[s] = counter++;
                c.y[s] = -c.x[s];
                history.push([c.x[s], c.y[s]]);
                const before = shown;
                trails.push(s, target);
                shown = c.trailLength[s];
                expect(pointsOf(trails, c, s)).toEqual(history.slice(history.length - shown));
                expect(shown).toBeLessThanOrEqual(Math.max(1, life.full));
                // Never longer than asked, and never more than one longer than before.
                expect(shown).toBeLessThanOrEqual(Math.max(1, Math.min(target, before + 1)));
                expect(trails.arena.sizeOf(c.trailAt[s])).toBeGreaterThanOrEqual(c.trailCapacity[s] * 8);
              }
              trails.arena.check();
            }
            for (let s = 0; s < SLOTS; s++) trails.end(s);
            const stats = trails.arena.stats();
            expect(stats.liveBlocks).toBe(0);
            expect(trails.counters[TRAIL_ALLOCS]).toBe(trails.counters[TRAIL_FREES]);
          },
        ),
        { numRuns: 60, seed: 4242 },
      );
    }
  });

  it('grows a lengthening trail with realloc and shrinks a retracting one', () => {
    const c = columns();
    const trails = new ArenaTrails(createTrailArena('buddy', 1 << 16), c);
    trails.start(0, 40);
    expect(c.trailCapacity[0]).toBe(INITIAL_TRAIL_CAPACITY);
    for (let i = 0; i < 40; i++) trails.push(0, 40);
    expect(c.trailLength[0]).toBe(40);
    expect(c.trailCapacity[0]).toBe(64); // 4 -> 8 -> 16 -> 32 -> 64
    expect(trails.counters[TRAIL_GROWS]).toBe(4);
    const used = trails.arena.stats().usedBytes;
    for (let target = 39; target >= 2; target--) trails.push(0, target);
    expect(c.trailLength[0]).toBe(2);
    expect(trails.counters[TRAIL_SHRINKS]).toBeGreaterThanOrEqual(3);
    expect(trails.arena.stats().usedBytes).toBeLessThan(used / 4);
    trails.end(0);
    expect(c.trailAt[0]).toBe(-1);
    expect(trails.arena.stats().usedBytes).toBe(0);
  });

  it('leaves a particle without a trail when the arena is full', () => {
    const c = columns();
    const arena = createTrailArena('buddy', 1 << 16);
    const filler = arena.alloc((1 << 16) - 8); // nearly everything
    expect(filler).toBeGreaterThanOrEqual(0);
    const trails = new ArenaTrails(arena, c);
    trails.start(1, 10);
    expect(c.trailAt[1]).toBe(-1);
    trails.push(1, 10); // no trail: nothing happens
    expect(c.trailLength[1]).toBe(0);
  });
});
