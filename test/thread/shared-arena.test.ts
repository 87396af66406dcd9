/**
 * Arenas shared with workers, on one thread (the view attached here, which the model allows):
 * the option, the descriptor, the view's checks and its owner-only methods, drains and
 * `unshare`. Across threads: `remote-free-threads.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import {
  BuddyArena,
  FreeListArena,
  InvalidFreeError,
  OwnershipError,
  SlabArena,
  TreeArena,
  type SharedArenaDescriptor,
} from '../../src/index.ts';

describe('arena option shared and share()', () => {
  it('shared: true allocates a SharedArrayBuffer; the option is checked', () => {
    for (const arena of [
      new BuddyArena({ sizeBytes: 4096, shared: true }),
      new FreeListArena({ sizeBytes: 4096, shared: true }),
      new TreeArena({ sizeBytes: 4096, shared: true }),
      new SlabArena({ sizeBytes: 4096, blockBytes: 64, shared: true }),
    ]) {
      expect(arena.buffer).toBeInstanceOf(SharedArrayBuffer);
      arena.check();
    }
    expect(new BuddyArena({ sizeBytes: 4096 }).buffer).toBeInstanceOf(ArrayBuffer);
    expect(() => new BuddyArena({ sizeBytes: 4096, shared: 'yes' as unknown as boolean })).toThrow(
      /BuddyArena options.shared must be a boolean/,
    );
    expect(() => new TreeArena({ buffer: new SharedArrayBuffer(4096), shared: true })).toThrow(
      /give shared or buffer, not both/,
    );
    expect(() => new BuddyArena({ sizeBytes: 4096 }).share()).toThrow(/create it with \{ shared: true \}/);
    // A SharedArrayBuffer brought as `buffer` can be shared too.
    const own = new SlabArena({ buffer: new SharedArrayBuffer(4096), blockBytes: 64 });
    expect(own.share().capacityBytes).toBe(4096);
  });

  it('a view writes the byte ranges it was handed; its frees wait for the drain', () => {
    const arena = new TreeArena({ sizeBytes: 1 << 16, shared: true });
    const a = arena.alloc(100);
    const b = arena.alloc(200);
    const d: SharedArenaDescriptor = structuredClone(arena.share({ batchSize: 2 }));
    expect(d).toMatchObject({ arena: 'TreeArena', capacityBytes: 1 << 16, alignBytes: 8 });
    const view = TreeArena.attach(d);
    view.f64[a >> 3] = 2.5;
    view.u8[b + 199] = 7;
    expect(arena.f64[a >> 3]).toBe(2.5);
    expect(arena.u8[b + 199]).toBe(7);
    view.free(a);
    expect(view.pendingFrees).toBe(1);
    expect(arena.stats().liveBlocks).toBe(2);
    view.free(b); // a batch of 2: published
    expect(arena.drainRemoteFrees()).toBe(2);
    expect(arena.stats().liveBlocks).toBe(0);
    arena.check();
    expect(arena.remoteFreeStats()).toEqual({ lanes: 1, received: 2, applied: 2, rejected: 0, drains: 1 });
  });

  it("the view checks an offset's shape at once; the owner refuses what is not a live block", () => {
    const arena = new BuddyArena({ sizeBytes: 4096, minBlockBytes: 64, shared: true });
    const p = arena.alloc(64);
    const view = BuddyArena.attach(arena.share({ batchSize: 1 }));
    expect(() => view.free(4096)).toThrow(InvalidFreeError);
    expect(() => view.free(3)).toThrow(/misaligned/);
    expect(() => view.free(-8)).toThrow(/out-of-range/);
    expect(() => view.free(1.5)).toThrow(RangeError);
    expect(() => view.free('8' as unknown as number)).toThrow(TypeError);
    expect(view.pendingFrees).toBe(0);
    view.free(p + 8); // aligned, inside a live block: only the owner can tell
    view.free(p);
    view.free(p); // twice
    const refused: string[] = [];
    expect(arena.drainRemoteFrees((offset, reason) => refused.push(`${offset}:${reason}`))).toBe(1);
    expect(refused).toEqual([`${p + 8}:interior`, `${p}:not-allocated`]);
    expect(arena.stats().liveBlocks).toBe(0);
    arena.check();
  });

  it('owner-only methods throw OwnershipError naming the rule; one descriptor, one view', () => {
    const arena = new SlabArena({ sizeBytes: 4096, blockBytes: 64, shared: true });
    const d = arena.share();
    const view = SlabArena.attach(d);
    expect(() => view.alloc(8)).toThrow(OwnershipError);
    expect(() => view.alloc(8)).toThrow(/only the owner thread allocates and frees/);
    expect(() => view.tryAlloc(8)).toThrow(OwnershipError);
    expect(() => view.realloc(0, 8)).toThrow(OwnershipError);
    expect(() => view.reset()).toThrow(OwnershipError);
    expect(() => SlabArena.attach(d)).toThrow(/call share\(\) once per worker/);
    expect(() => SlabArena.attach({} as SharedArenaDescriptor)).toThrow(TypeError);
    expect(() => arena.unshare({} as SharedArenaDescriptor)).toThrow(TypeError);
    expect(() => new SlabArena({ sizeBytes: 4096, shared: true }).unshare(d)).toThrow(/never shared/);
    expect(() => arena.drainRemoteFrees(1 as never)).toThrow(TypeError);
    expect(arena.stats().liveBlocks).toBe(0);
  });

  it('unshare: what was published is applied, the rest is lost, later frees throw', () => {
    const arena = new SlabArena({ sizeBytes: 4096, blockBytes: 64, shared: true });
    const [a, b, c] = [arena.alloc(8), arena.alloc(8), arena.alloc(8)];
    const d = arena.share({ batchSize: 2 });
    const view = SlabArena.attach(d);
    view.free(a);
    view.free(b); // published
    view.free(c); // held
    arena.unshare(d);
    expect(arena.drainRemoteFrees()).toBe(2);
    expect(arena.sizeOf(c)).toBe(64); // never received: still live
    expect(() => view.flush()).toThrow(OwnershipError);
    expect(arena.remoteFreeStats().lanes).toBe(0);
    view.detach(); // closed already: nothing
  });
});
