/**
 * The snapshot format: round trips of several structures, the header's checks (each with its
 * reason), every truncation and random corruption refused with nothing changed, structures of
 * the user's own, and the layout the module documents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BuddyArena,
  FreeListArena,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_HEADER_BYTES,
  SlabArena,
  SnapshotError,
  TreeArena,
  TypedArrayState,
  checksum32,
  loadSnapshot,
  saveSnapshot,
  snapshotBytes,
  type Snapshotable,
} from '../../src/index.ts';
import { expectSameBytes, saved } from './round-trip.ts';

function structures() {
  const buddy = new BuddyArena({ sizeBytes: 2048 });
  const slab = new SlabArena({ sizeBytes: 1024, blockBytes: 24 });
  const tree = new TreeArena({ sizeBytes: 2048 });
  const game = new TypedArrayState({ frame: new Float64Array([42]), seeds: new Uint32Array([1, 2, 3]) });
  return { list: [buddy, slab, tree, game] as Snapshotable[], buddy, slab, tree, game };
}

function populated() {
  const s = structures();
  const p = s.buddy.alloc(100);
  s.buddy.u8.fill(7, p, p + 100);
  for (let i = 0; i < 5; i++) s.slab.alloc(10 + i);
  const blocks = [40, 300, 16, 90].map((n) => s.tree.alloc(n));
  s.tree.free(blocks[1]);
  (s.game.arrays.frame as Float64Array)[0] = 43;
  return s;
}

/** Every structure's state. */
const states = (list: Snapshotable[]) => list.map(saved);

function expectUnchanged(list: Snapshotable[], before: Uint8Array[]): void {
  list.forEach((s, i) => {
    expectSameBytes(saved(s), before[i], `structure ${i}`);
  });
}

describe('saveSnapshot / loadSnapshot', () => {
  it('round-trips several structures into fresh ones, into a new array or at an offset', () => {
    const source = populated();
    const file = saveSnapshot(source.list);
    expect(file.length).toBe(snapshotBytes(source.list));
    const target = structures();
    expect(loadSnapshot(target.list, file)).toBe(file.length);
    expect(states(target.list)).toEqual(states(source.list));
    for (const a of [target.buddy, target.slab, target.tree]) a.check();
    expect(target.buddy.alloc(100)).toBe(source.buddy.alloc(100));

    const host = new Uint8Array(file.length + 40);
    expect(saveSnapshot(source.list, host, 24)).toBe(file.length);
    const again = structures();
    loadSnapshot(again.list, host, 24);
    expect(states(again.list)).toEqual(states(source.list));
  });

  it('writes the documented header', () => {
    const s = populated();
    const file = saveSnapshot(s.list);
    const view = new DataView(file.buffer);
    expect(String.fromCharCode(...file.subarray(0, 4))).toBe('SHSN');
    expect(view.getUint16(4, true)).toBe(SNAPSHOT_FORMAT_VERSION);
    expect(view.getUint16(6, true)).toBe(4);
    expect(view.getUint32(12, true)).toBe(checksum32(file, 16));
    expect(view.getFloat64(16, true)).toBe(file.length);
    expect(view.getUint32(24, true)).toBe(0x01020304);
    expect(String.fromCharCode(...file.subarray(SNAPSHOT_HEADER_BYTES, SNAPSHOT_HEADER_BYTES + 4))).toBe('SHST');
  });

  it('refuses every truncation and changes nothing', () => {
    const file = saveSnapshot(populated().list);
    const target = structures();
    const before = states(target.list);
    for (let cut = 0; cut < file.length; cut += cut < 64 ? 1 : 97) {
      let error: unknown;
      try {
        loadSnapshot(target.list, file.subarray(0, cut));
      } catch (e) {
        error = e;
      }
      expect(error, `cut at ${cut}`).toBeInstanceOf(SnapshotError);
      expect((error as SnapshotError).reason).toBe('truncated');
    }
    expectUnchanged(target.list, before);
  });

  it('refuses random corruption (flipped bits, overwritten bytes) and changes nothing', () => {
    const file = saveSnapshot(populated().list);
    const target = structures();
    const before = states(target.list);
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(file.length - 1), mask: fc.integer({ min: 1, max: 255 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (damage) => {
          const copy = file.slice();
          for (const { at, mask } of damage) copy[at] ^= mask;
          if (Buffer.from(copy).equals(Buffer.from(file))) return; // two flips cancelled out
          expect(() => loadSnapshot(target.list, copy)).toThrow(SnapshotError);
        },
      ),
      { numRuns: 300 },
    );
    expectUnchanged(target.list, before);
  });

  it('names the reason: magic, version, byte order, count, kind, options, checksum', () => {
    const s = populated();
    const file = saveSnapshot(s.list);
    const target = structures();
    const reasonOf = (bytes: Uint8Array, list: Snapshotable[] = target.list) => {
      try {
        loadSnapshot(list, bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(SnapshotError);
        return [(e as SnapshotError).reason, (e as Error).message];
      }
      return ['loaded', ''];
    };
    const patched = (at: number, bytes: number[]) => {
      const copy = file.slice();
      copy.set(bytes, at);
      return copy;
    };
    expect(reasonOf(patched(0, [0x50, 0x4b, 3, 4]))[0]).toBe('not-a-snapshot'); // a zip file
    expect(reasonOf(patched(4, [2, 0]))[0]).toBe('version');
    expect(reasonOf(patched(24, [1, 2, 3, 4]))[0]).toBe('byte-order');
    expect(reasonOf(file, target.list.slice(0, 3))).toEqual([
      'kind',
      expect.stringContaining('holds 4 structures, 3 were given'),
    ]);
    const swapped = [target.slab, target.buddy, target.tree, target.game];
    expect(reasonOf(file, swapped)).toEqual(['kind', expect.stringContaining('structures[0] is a SlabArena')]);
    const otherOptions = [new BuddyArena({ sizeBytes: 4096 }), target.slab, target.tree, target.game];
    expect(reasonOf(file, otherOptions)).toEqual([
      'options',
      expect.stringContaining('structures[0] (BuddyArena, sizeBytes=4096'),
    ]);
    const otherSchema = [
      target.buddy,
      target.slab,
      target.tree,
      new TypedArrayState({ frame: new Float64Array(2), seeds: new Uint32Array(3) }),
    ];
    expect(reasonOf(file, otherSchema)[0]).toBe('options');
    expect(reasonOf(patched(file.length - 1, [file[file.length - 1] ^ 1]))[0]).toBe('checksum');
    expect(reasonOf(file)[0]).toBe('loaded');
  });

  it('saves and loads structures of the user own through their public methods', () => {
    const values = new Float32Array([1, 2, 3]);
    const own: Snapshotable = {
      stateBytes: 12,
      saveState: (into, at = 0) => {
        into.set(new Uint8Array(values.buffer), at);
        return 12;
      },
      loadState: (from, at = 0) => {
        new Uint8Array(values.buffer).set(from.subarray(at, at + 12));
        return 12;
      },
    };
    const arena = new FreeListArena({ sizeBytes: 1024 });
    arena.alloc(10);
    const file = saveSnapshot([arena, own]);
    values.fill(0);
    arena.reset();
    loadSnapshot([arena, own], file);
    expect(Array.from(values)).toEqual([1, 2, 3]);
    expect(arena.stats().liveBlocks).toBe(1);
  });

  it('checks its arguments', () => {
    const s = structures();
    expect(() => saveSnapshot([])).toThrow(RangeError);
    expect(() => saveSnapshot('x' as never)).toThrow(TypeError);
    expect(() => saveSnapshot([s.buddy, s.buddy])).toThrow(/listed twice/);
    expect(() => saveSnapshot([{} as Snapshotable])).toThrow(/saveState/);
    const small = new Uint8Array(snapshotBytes(s.list) - 1).fill(5);
    expect(() => saveSnapshot(s.list, small)).toThrow(RangeError);
    expect(small.every((b) => b === 5)).toBe(true);
    expect(() => loadSnapshot(s.list, [] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => loadSnapshot(s.list, new Uint8Array(64), 65)).toThrow(RangeError);
  });
});
