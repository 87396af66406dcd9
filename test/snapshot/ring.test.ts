/**
 * SnapshotRing: frames saved and restored exactly, checksums equal for equal states and different
 * otherwise, the ring's window (overwrite, drop after restore), growth, structures of the user's
 * own, errors that change nothing, and no allocation in save / restore / checksum (GC count from
 * perf_hooks over many frames).
 */
import { describe, expect, it } from 'vitest';
import {
  BuddyArena,
  FreeListArena,
  SlabArena,
  SnapshotError,
  SnapshotRing,
  StructPool,
  TreeArena,
  TypedArrayState,
  checksum32,
  type Snapshotable,
} from '../../src/index.ts';
import { countGc } from '../support/gc.ts';
import { expectSameBytes, saved } from './round-trip.ts';

/**
 * A world of every arena kind, a StructPool (FIFO reuse: its free-queue ring is state) plus game
 * arrays, stepped deterministically from a seed.
 */
function world() {
  const buddy = new BuddyArena({ sizeBytes: 1 << 13 });
  const slab = new SlabArena({ sizeBytes: 1 << 12, blockBytes: 32 });
  const list = new FreeListArena({ sizeBytes: 1 << 13, fit: 'best' });
  const tree = new TreeArena({ sizeBytes: 1 << 13 });
  const pool = new StructPool({ x: 'f32', v: ['f32', 2] }, { capacity: 48 });
  const game = new TypedArrayState({
    rng: new Uint32Array([12345]),
    live: new Int32Array(256).fill(-1),
    handles: new Int32Array(64).fill(-1),
  });
  const arenas = [buddy, slab, list, tree];
  const rng = game.arrays.rng as Uint32Array;
  const live = game.arrays.live as Int32Array;
  const handles = game.arrays.handles as Int32Array;
  /** One frame: for each arena, free or allocate a few blocks, chosen by the xorshift in `rng`. */
  const step = () => {
    for (let a = 0; a < arenas.length; a++) {
      const arena = arenas[a];
      for (let k = 0; k < 4; k++) {
        let x = rng[0];
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        rng[0] = x >>> 0;
        const i = a * 64 + (rng[0] % 64);
        if (live[i] >= 0) {
          arena.free(live[i]);
          live[i] = -1;
        } else {
          live[i] = arena.tryAlloc(1 + (rng[0] % (a === 1 ? 32 : 150)));
          if (live[i] >= 0) arena.u8[live[i]] = rng[0] & 255;
        }
      }
    }
    for (let k = 0; k < 4; k++) {
      let x = rng[0];
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      rng[0] = x >>> 0;
      const i = rng[0] % 64;
      if (handles[i] >= 0) {
        pool.free(handles[i]);
        handles[i] = -1;
      } else {
        handles[i] = pool.tryAlloc(); // -1 when all 48 slots are live
        if (handles[i] >= 0) pool.fields.v[pool.slotOf(handles[i]) * 2 + 1] = rng[0] & 1023;
      }
    }
  };
  return { structures: [...arenas, pool, game] as Snapshotable[], arenas, pool, step, game };
}

/** Every structure's saved state, concatenated. */
const stateOf = (structures: Snapshotable[]) => structures.map((s) => Array.from(saved(s)));

describe('SnapshotRing', () => {
  it('restores any held frame exactly and drops the frames after it', () => {
    const w = world();
    const ring = new SnapshotRing(w.structures, { capacity: 8 });
    const states: number[][][] = [];
    for (let f = 0; f < 20; f++) {
      w.step();
      ring.save(f);
      states[f] = stateOf(w.structures);
    }
    expect(ring.oldestFrame).toBe(12);
    expect(ring.newestFrame).toBe(19);
    expect(ring.has(11)).toBe(false);
    expect(ring.has(12)).toBe(true);
    ring.restore(14);
    expect(stateOf(w.structures)).toEqual(states[14]);
    for (const a of w.arenas) a.check();
    w.pool.check();
    expect(ring.has(15)).toBe(false);
    expect(ring.newestFrame).toBe(14);
    // Re-simulating from 14 reproduces 15.. exactly (same outcomes, same bytes).
    w.step();
    ring.save(15);
    expect(stateOf(w.structures)).toEqual(states[15]);
    expect(() => ring.restore(16)).toThrow(/frame 16 is not held; the ring holds frames 12 to 15/);
  });

  it('checksums: equal for equal states on two worlds, different after one step, cached per frame', () => {
    const a = world();
    const b = world();
    const ringA = new SnapshotRing(a.structures, { capacity: 4 });
    const ringB = new SnapshotRing(b.structures, { capacity: 4 });
    for (let f = 0; f < 6; f++) {
      a.step();
      b.step();
      ringA.save(f);
      ringB.save(f);
      expect(ringA.checksum(f)).toBe(ringB.checksum(f));
      expect(ringA.checksum(f)).toBe(checksum32(ringA.bytesOf(f)));
      if (f > 0) expect(ringA.checksum(f)).not.toBe(ringA.checksum(f - 1));
    }
    // b takes an extra step: a desync at frame 6.
    a.step();
    b.step();
    b.step();
    ringA.save(6);
    ringB.save(6);
    expect(ringA.checksum(6)).not.toBe(ringB.checksum(6));
    // Equal bytes: the ring's frame is what saveState writes, structure by structure.
    const frame = ringA.bytesOf(6);
    const concatenated = a.structures.flatMap((s) => Array.from(saved(s)));
    expectSameBytes(frame, Uint8Array.from(concatenated));
  });

  it('grows its slots when a state outgrows them, keeping the frames held', () => {
    const arena = new BuddyArena({ sizeBytes: 4096 });
    let size = 1;
    const growing: Snapshotable = {
      get stateBytes() {
        return size;
      },
      saveState(into, at = 0) {
        into.fill(size & 255, at, at + size);
        return size;
      },
      loadState(from, at = 0) {
        size = 1;
        while (from[at + size] === from[at] && size < 10_000) size++;
        return size;
      },
    };
    const ring = new SnapshotRing([arena, growing], { capacity: 3 });
    const before = ring.frameBytes;
    arena.alloc(100);
    ring.save(0);
    const sum0 = ring.checksum(0);
    size = before * 3;
    ring.save(1);
    expect(ring.growCount).toBe(1);
    expect(ring.frameBytes).toBeGreaterThanOrEqual(before * 3);
    expect(ring.checksum(0)).toBe(sum0);
    expect(checksum32(ring.bytesOf(0))).toBe(sum0);
    arena.reset();
    ring.restore(0);
    expect(arena.stats().liveBlocks).toBe(1);
  });

  it('refuses a restore whose records no longer fit and changes nothing', () => {
    const a = new BuddyArena({ sizeBytes: 4096 });
    const b = new SlabArena({ sizeBytes: 4096 });
    const ring = new SnapshotRing([a, b], { capacity: 2 });
    a.alloc(10);
    ring.save(0);
    // Damage b's record inside the ring: the first record (a's) is valid, b's is not.
    const frame = ring.bytesOf(0);
    const bStart = a.stateBytes;
    frame[bStart + 8] ^= 1; // b's options hash
    a.alloc(20);
    b.alloc(1);
    const before = [saved(a), saved(b)];
    expect(() => ring.restore(0)).toThrow(SnapshotError);
    expectSameBytes(saved(a), before[0]);
    expectSameBytes(saved(b), before[1]);
  });

  it('checks its arguments', () => {
    const a = new BuddyArena({ sizeBytes: 4096 });
    expect(() => new SnapshotRing([a, a])).toThrow(/listed twice/);
    expect(() => new SnapshotRing([{}] as unknown as Snapshotable[])).toThrow(TypeError);
    expect(() => new SnapshotRing('a' as unknown as Snapshotable[])).toThrow(TypeError);
    expect(() => new SnapshotRing([a], { capacity: 0 })).toThrow(RangeError);
    expect(() => new SnapshotRing([a], { frameBytes: 8 })).toThrow(/frameBytes/);
    expect(() => new SnapshotRing([a], { frames: 3 } as never)).toThrow(/unknown option/);
    const ring = new SnapshotRing([a], { capacity: 2 });
    expect(() => ring.save(-1)).toThrow(RangeError);
    expect(() => ring.save(1.5)).toThrow(RangeError);
    expect(() => ring.checksum(0)).toThrow(/holds no frames/);
    expect(ring.has(Number.NaN)).toBe(false);
    ring.save(3);
    ring.clear();
    expect(ring.has(3)).toBe(false);
  });

  it('allocates nothing in save and restore (heap bytes and GC count over 20,000 frames, with a control)', async () => {
    const w = world();
    const ring = new SnapshotRing(w.structures, { capacity: 16 });
    let sum = 0;
    /**
     * `n` frames from `from`: step, save; a 4-frame rollback every 8 frames (restore,
     * re-simulate, re-save). `extra` 1: the checksum of each frame; 2: the control, which makes
     * one view per frame (what a careless copy would allocate).
     */
    const frames = (n: number, from: number, extra: 0 | 1 | 2) => {
      for (let f = from; f < from + n; f++) {
        w.step();
        ring.save(f);
        if (extra === 1) sum ^= ring.checksum(f);
        if (extra === 2) sum ^= ring.bytesOf(f).length;
        if (f % 8 === 7) {
          ring.restore(f - 4);
          for (let g = f - 3; g <= f; g++) {
            w.step();
            ring.save(g);
          }
        }
      }
    };
    // Warm up until V8 has compiled every tier (its code objects count as heap bytes meanwhile).
    for (let k = 0; k < 3; k++) {
      frames(16_000, k * 48_000, 0);
      frames(16_000, k * 48_000 + 16_000, 1);
      frames(16_000, k * 48_000 + 32_000, 2);
    }
    /**
     * Collections started, and heap bytes allocated (heapUsed grows by exactly what is
     * allocated while no collection runs), over 20,000 frames.
     */
    const measure = async (from: number, extra: 0 | 1 | 2) => {
      let bytes = 0;
      const gc = await countGc(() => {
        const before = process.memoryUsage().heapUsed;
        frames(20_000, from, extra);
        bytes = process.memoryUsage().heapUsed - before;
      });
      return { gc: gc.count, bytesPerFrame: bytes / 20_000 };
    };
    const ours = await measure(200_000, 0);
    const withChecksum = await measure(220_000, 1);
    const control = await measure(240_000, 2);
    expect(sum).not.toBe(0);
    // The control shows the measure sees one small object per frame.
    expect(control.gc > 0 || control.bytesPerFrame > 32, `control: ${JSON.stringify(control)}`).toBe(true);
    expect(ours.gc, `save and restore: ${JSON.stringify(ours)}`).toBe(0);
    // Less than the smallest heap object (a 12-byte heap number) per frame: what is left is V8's
    // own bookkeeping (code and feedback of late tier-ups) on a loaded machine.
    expect(ours.bytesPerFrame, `save and restore: ${JSON.stringify(ours)}`).toBeLessThan(8);
    // A checksum of 2^31 or more is not a V8 small integer: returning one may box it (16 bytes).
    expect(withChecksum.gc, `with checksums: ${JSON.stringify(withChecksum)}`).toBe(0);
    expect(withChecksum.bytesPerFrame, `with checksums: ${JSON.stringify(withChecksum)}`).toBeLessThan(24);
  });
});
