/**
 * Membership sets of an {@link EntityRegistry}: which entities have a tag (or a component whose
 * data the program keeps in its own columns), as a sparse set whose packed list is the query
 * index of that one membership.
 *
 * `add` and `remove` are O(1) typed-array writes and allocate nothing (after the arrays have
 * grown to the peak population); `EntityRegistry.destroy` takes an entity out of every set it is
 * in, in O(sets it is in), through one membership bit per set and entity kept by the registry.
 *
 * Not visible to bitECS queries: `query(world, [set])` knows nothing of it. Keeping bitECS's
 * query lists up to date is what makes its `addComponent`/`removeComponent` allocate (see
 * `bench/README.md`, section ECS); a system iterates `entities[0..count)` instead, as with a
 * `'pool'`-membership `PoolComponent`. For data, index your own typed arrays by
 * `rawIndexOf(eid)` (the id itself in an unversioned world), as bitECS stores are indexed.
 *
 * Iteration contract (as `PoolComponent`): `entities[0..count)` is packed and a removal
 * swaps the last entry into the removed position. Iterate **backward**: removing the current
 * entity (from the set, or destroying it) moves an already-visited entry into `i`, so every
 * entity present at the start is visited exactly once; adding appends (not visited this pass).
 * `entities` is replaced when the set grows: read it at the start of each pass.
 *
 * Source: the sparse set of Briggs and Torczon, "An efficient representation for sparse sets"
 * (1993), as EnTT's storage and bitECS's `SparseSet` use it.
 *
 * @module
 */
import { checkEntityId, int32IdOf } from './entity-ids.js';
import type { EntityRegistry } from './entity-registry.js';
import { entitySetStateParts } from '../snapshot/registry-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import { loadStateOf, saveStateOf, stateBytesOf, type StateParts } from '../snapshot/state-record.js';

/** A membership set of one {@link EntityRegistry}; make one with `EntityRegistry.defineSet()`. */
export class EntitySet {
  /** The registry (and so the world) whose entities the set holds. */
  declare readonly registry: EntityRegistry;
  /** Index of the set in its registry (its membership bit). */
  declare readonly id: number;
  /** Packed ids of the members in `[0, count)`; replaced when the set grows. */
  declare entities: Int32Array;
  /** Number of members. */
  declare count: number;
  /**
   * [raw] -> position in `entities` (meaningful only where `entities[position] === eid`).
   *
   * @internal Read by the registry's destroy path.
   */
  declare positionOf: Int32Array;
  /** `id >> 5`: which of the registry's membership-bit arrays holds this set's bit. @internal */
  declare readonly word: number;
  /** `1 << (id & 31)`. @internal */
  declare readonly bit: number;
  /**
   * `registry.memberBits[word]`, cached (the registry refreshes it when it replaces the array).
   *
   * @internal
   */
  declare bits: Int32Array;

  /** Use `EntityRegistry.defineSet()`. @internal */
  constructor(registry: EntityRegistry, id: number, capacity: number) {
    this.registry = registry;
    this.id = id;
    this.entities = new Int32Array(capacity);
    this.count = 0;
    this.positionOf = new Int32Array(capacity);
    this.word = id >> 5;
    this.bits = registry.memberBits[id >> 5];
    this.bit = 1 << (id & 31);
  }

  /** Whether `eid` is a member. O(1); never throws (false for garbage or stale ids). */
  has(eid: number): boolean {
    if (typeof eid !== 'number') return false;
    const id = int32IdOf(eid);
    const raw = id & this.registry.entityMask;
    if (raw >= this.positionOf.length) return false;
    const at = this.positionOf[raw];
    return at < this.count && this.entities[at] === id && id !== 0;
  }

  /**
   * Adds the live entity `eid`; returns false when it was already a member. O(1) amortized;
   * allocates only when the set outgrows its arrays (doubling).
   *
   * @throws TypeError when `eid` is not a number; RangeError when it is not an integer id or not
   *   a live entity of the registry's world. Nothing changes on throw.
   */
  add(eid: number): boolean {
    const registry = this.registry;
    const id = eid > 0x7fffffff ? int32IdOf(eid) : eid;
    const raw = id & registry.entityMask;
    const positions = this.positionOf;
    if (!registry.isAliveRaw(id, raw) || raw >= positions.length || this.count >= this.entities.length) {
      return this.addSlow(eid);
    }
    const at = positions[raw];
    const n = this.count;
    if (at < n && this.entities[at] === id) return false;
    this.entities[n] = id;
    positions[raw] = n;
    this.count = n + 1;
    this.bits[raw] |= this.bit;
    return true;
  }

  /**
   * Appends `id` (raw index `raw`), an entity the registry has just created (alive, in no set).
   * O(1) amortized.
   *
   * @internal `EntityRegistry.create(set)`'s path.
   */
  addCreated(id: number, raw: number): void {
    if (raw >= this.positionOf.length) this.growRaw(raw);
    const n = this.count;
    if (n >= this.entities.length) this.growPacked(n + 1);
    this.entities[n] = id;
    this.positionOf[raw] = n;
    this.count = n + 1;
    this.bits[raw] |= this.bit;
  }

  /** `add` off the fast path: bad or dead ids (throws), or arrays to grow first. */
  private addSlow(eid: number): boolean {
    const id = int32IdOf(eid);
    const raw = id & this.registry.entityMask;
    if (!this.registry.isAliveRaw(id, raw)) {
      checkEntityId(eid);
      throw new RangeError(`EntitySet.add: eid must be a live entity of this world, got ${eid}`);
    }
    if (raw >= this.positionOf.length) this.growRaw(raw);
    if (this.count >= this.entities.length) this.growPacked(this.count + 1);
    return this.add(id);
  }

  /**
   * Removes `eid`; returns false when it was not a member (a dead or stale id included). O(1),
   * allocates nothing.
   *
   * @throws TypeError when `eid` is not a number; RangeError when it is not an integer id.
   */
  remove(eid: number): boolean {
    const id = int32IdOf(eid);
    const raw = id & this.registry.entityMask;
    if (raw >= this.positionOf.length || this.entities[this.positionOf[raw]] !== id || id === 0) {
      checkEntityId(eid);
      return false;
    }
    const at = this.positionOf[raw];
    if (at >= this.count) return false;
    this.removeAt(at, raw);
    return true;
  }

  /** Removes every member (O(count)). */
  clear(): void {
    const mask = this.registry.entityMask;
    for (let i = this.count - 1; i >= 0; i--) this.removeAt(i, this.entities[i] & mask);
  }

  /** Bytes `saveState` writes now: the members and their count. O(1). */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /**
   * Writes the members into `into` from `at` (their membership bits are the registry's state:
   * save both). O(count); allocates nothing.
   * @returns bytes written. @throws as `Snapshotable.saveState`.
   */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /**
   * Restores the members `saveState` wrote (a set of the same id in its registry). O(count).
   * @returns bytes read. @throws SnapshotError (nothing changed), as `Snapshotable.loadState`.
   */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The set's state layout (`src/snapshot/registry-state.ts`). */
  [STATE_PARTS](): StateParts {
    return entitySetStateParts(this);
  }

  /**
   * Validates in O(count + capacity): members distinct, alive in the world, positions and
   * membership bits consistent both ways.
   *
   * @throws Error describing the first violation.
   */
  check(): void {
    const fail = (msg: string): never => {
      throw new Error(`EntitySet.check: ${msg}`);
    };
    if (this.count < 0 || this.count > this.entities.length) fail(`count ${this.count} out of range`);
    const mask = this.registry.entityMask;
    const bits = this.registry.memberBits[this.word];
    for (let i = 0; i < this.count; i++) {
      const eid = this.entities[i];
      const raw = eid & mask;
      if (this.positionOf[raw] !== i) fail(`position of ${eid} is ${this.positionOf[raw]}, expected ${i}`);
      if (!this.registry.isAlive(eid)) fail(`member ${eid} is not alive`);
      if ((bits[raw] & this.bit) === 0) fail(`membership bit of ${eid} is clear`);
    }
    let members = 0;
    for (let raw = 0; raw < bits.length; raw++) if ((bits[raw] & this.bit) !== 0) members++;
    if (members !== this.count) fail(`${members} membership bits set, count ${this.count}`);
  }

  /**
   * Removes the member at packed position `at`, whose raw index is `raw`. O(1).
   *
   * @internal Also the registry's path when it destroys an entity.
   */
  removeAt(at: number, raw: number): void {
    const last = this.count - 1;
    const entities = this.entities;
    if (at !== last) {
      const moved = entities[last];
      entities[at] = moved;
      this.positionOf[moved & this.registry.entityMask] = at;
    }
    this.count = last;
    this.bits[raw] &= ~this.bit;
  }

  /**
   * Grows `positionOf` to the registry's raw capacity, first raised to cover `raw`. It never
   * exceeds that capacity, so a raw index inside `positionOf` is inside the membership bits too.
   */
  private growRaw(raw: number): void {
    this.registry.reserveRaw(raw);
    const positions = new Int32Array(this.registry.rawCapacityOf());
    positions.set(this.positionOf);
    this.positionOf = positions;
  }

  private growPacked(n: number): void {
    let length = Math.max(16, this.entities.length);
    while (length < n) length *= 2;
    const entities = new Int32Array(length);
    entities.set(this.entities.subarray(0, this.count));
    this.entities = entities;
  }
}
