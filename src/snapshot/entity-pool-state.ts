// biome-ignore-all lint/complexity/useLiteralKeys: the parts read the pool's private fields by element access, which TypeScript checks against the class (see state-parts.ts)
/**
 * The state of a bitECS bridge `EntityPool`, as {@link StateParts}: which of its entities are
 * live (their slots, handles and the entity <-> slot maps) and which are parked, in what order.
 *
 * | sections | counters |
 * |---|---|
 * | handle of each slot, entity of each slot, slot (or parked position) of each raw entity index, the parked stack, then the slot pool's sections (`pool-state.ts`) | parked count, created count, the three arrays' lengths, the parked stack's length, then the slot pool's counters |
 *
 * After a load the pool is as it was at the save: the same entities live with the same handles,
 * the same handles dead, the same parked entities in the same order, so the same next handles and
 * the same entities respawned. Arrays are saved whole; loading a state of the same capacities
 * allocates nothing.
 *
 * What it does not cover: the pool's `'pool'`-membership components (save them in the same
 * snapshot: `new SnapshotRing([entityPool, ...components])`), and the bitECS world, which owns the
 * entities. An `EntityPool` never removes an entity from the world (despawned ones are parked),
 * so its set of entities only changes when it creates one (a spawn with none parked) or loses one
 * to a bare bitECS removal. A load is refused (`SnapshotError` reason `'world'`, nothing changed)
 * when that set differs from the saved one, when the world was reset, and when called from a
 * callback inside the pool's spawn or despawn. For rollback, make the set fixed: spawn and
 * despawn your peak population once at start-up, so later spawns only reuse parked entities.
 *
 * @module
 */
import type { EntityPool } from '../ecs/entity-pool.js';
import type { Schema } from '../pool/schema.js';
import type { StructPool } from '../pool/struct-pool.js';
import { poolStateParts } from './pool-state.js';
import { PartsBase, bytesOf, cachedParts, nestedIncoming, nestedNames } from './state-parts.js';
import { STATE_KINDS, type IncomingRecord, type StateParts } from './state-record.js';

const OWN_COUNTERS = ['parkedCount', 'createdCount', 'slotArrayLength', 'rawArrayLength', 'parkedLength'];
const PARKED_COUNT = 0;
const CREATED = 1;
const SLOT_LENGTH = 2;
const RAW_LENGTH = 3;
const PARKED_LENGTH = 4;
/** The pool's arrays, in saved order. */
const ARRAYS = ['handleOfSlot', 'eidOfSlot', 'slotOfRaw', 'parked'] as const;
const EID_OF_SLOT = 1;
const PARKED = 3;
/** Longest array a record may ask for (int32 elements). */
const MAX_LENGTH = 2 ** 31 - 1;

class EntityPoolParts extends PartsBase {
  private readonly views: Uint8Array[] = [];
  private readonly sources: Int32Array[] = [];
  private readonly poolParts: StateParts;
  private readonly poolSection = ARRAYS.length;
  private readonly poolCounter = OWN_COUNTERS.length;

  constructor(private readonly pool: EntityPool) {
    const slotParts = poolStateParts(pool.slots as unknown as StructPool<Schema>);
    super(
      STATE_KINDS.EntityPool,
      'EntityPool',
      `components=${pool['components'].length} tags=${pool['tags'].length} slots ${slotParts.options}`,
      [...OWN_COUNTERS, ...nestedNames(slotParts, 'slot pool').counters],
      [...ARRAYS, ...nestedNames(slotParts, 'slot pool').sections],
    );
    for (const name of ARRAYS) {
      this.sources.push(pool[name]);
      this.views.push(bytesOf(pool[name]));
    }
    this.poolParts = slotParts;
  }

  readCounters(): void {
    const p = this.pool;
    const k = this.counters;
    k[0] = p['parkedCount'];
    k[1] = p['created'];
    k[2] = p['eidOfSlot'].length;
    k[3] = p['slotOfRaw'].length;
    k[4] = p['parked'].length;
    this.poolParts.readCounters();
    k.set(this.poolParts.counters, this.poolCounter);
  }

  sectionView(i: number): Uint8Array {
    if (i >= this.poolSection) return this.poolParts.sectionView(i - this.poolSection);
    const array = this.pool[ARRAYS[i]];
    if (array !== this.sources[i]) {
      this.sources[i] = array; // replaced by growth (or a load at another capacity)
      this.views[i] = bytesOf(array);
    }
    return this.views[i];
  }

  sectionBytes(i: number): number {
    return i >= this.poolSection ? this.poolParts.sectionBytes(i - this.poolSection) : this.pool[ARRAYS[i]].length * 4;
  }

  /** Element count of array section `i` in `incoming`. */
  private lengthOf(k: Float64Array, i: number): number {
    return i < 2 ? k[SLOT_LENGTH] : i === 2 ? k[RAW_LENGTH] : k[PARKED_LENGTH];
  }

  validate(incoming: IncomingRecord): string {
    const k = incoming.counters;
    const problem =
      this.allCounts(incoming) ||
      this.countIn(incoming, SLOT_LENGTH, 1, MAX_LENGTH) ||
      this.countIn(incoming, RAW_LENGTH, 1, MAX_LENGTH) ||
      this.countIn(incoming, PARKED_LENGTH, 1, MAX_LENGTH) ||
      this.countIn(incoming, PARKED_COUNT, 0, k[PARKED_LENGTH]);
    if (problem !== '') return problem;
    for (let i = 0; i < ARRAYS.length; i++) {
      if (incoming.sectionBytes[i] !== this.lengthOf(k, i) * 4) {
        return `section ${this.sectionNames[i]} has ${incoming.sectionBytes[i]} bytes for ${this.lengthOf(k, i)} entries`;
      }
    }
    const slots = this.poolIncoming(incoming);
    const slotProblem = this.poolParts.validate(slots);
    if (slotProblem !== '') return `slot pool: ${slotProblem}`;
    const live = slots.counters[1];
    if (k[CREATED] !== live + k[PARKED_COUNT]) {
      return `createdCount ${k[CREATED]} is not ${live} live + ${k[PARKED_COUNT]} parked`;
    }
    return '';
  }

  /** The world must hold exactly the entities the state names (see the module doc). O(slots + parked). */
  precondition(incoming: IncomingRecord): string {
    const p = this.pool;
    if (p['busy'] > 0) return "called from a callback inside this pool's spawn or despawn";
    if (p['context'].entityIndex !== p['index']) {
      return 'the world was reset (bitECS resetWorld) since the pool followed it: call resetAfterWorldReset() first';
    }
    const k = incoming.counters;
    if (k[CREATED] !== p['created']) {
      return `the pool holds ${p['created']} entities, the state ${k[CREATED]}: it created or lost entities since the save (for rollback, spawn and despawn the peak population once at start-up)`;
    }
    for (let s = 0; s < k[SLOT_LENGTH]; s++) {
      const eid = incoming.i32(EID_OF_SLOT, s);
      if (eid !== 0 && !this.holds(eid)) return `entity ${eid} of the state is not one of this pool's entities now`;
    }
    for (let i = 0; i < k[PARKED_COUNT]; i++) {
      const eid = incoming.i32(PARKED, i);
      if (!this.holds(eid)) return `parked entity ${eid} of the state is not one of this pool's entities now`;
    }
    return '';
  }

  /** Whether `eid` is one of the pool's entities now, live or parked. O(1). */
  private holds(eid: number): boolean {
    const p = this.pool;
    const raw = eid & p['index'].entityMask;
    const slotOfRaw = p['slotOfRaw'];
    if (raw >= slotOfRaw.length) return false;
    const at = slotOfRaw[raw];
    if (at > 0) return p['eidOfSlot'][at - 1] === eid;
    return at < 0 && -at - 1 < p['parkedCount'] && p['parked'][-at - 1] === eid;
  }

  /** The slot pool's part of `incoming`, in the slot pool parts' own scratch (no allocation). */
  private poolIncoming(incoming: IncomingRecord): IncomingRecord {
    return nestedIncoming(this.poolParts, incoming, this.poolCounter, this.poolSection);
  }

  /** Resizes to the saved lengths: the slot pool through its parts, the arrays by replacement. */
  override prepare(incoming: IncomingRecord): void {
    this.poolParts.prepare(this.poolIncoming(incoming));
    const p = this.pool;
    for (let i = 0; i < ARRAYS.length; i++) {
      const length = this.lengthOf(incoming.counters, i);
      if (p[ARRAYS[i]].length !== length) p[ARRAYS[i]] = new Int32Array(length);
    }
  }

  writeCounters(incoming: IncomingRecord): void {
    const p = this.pool;
    const k = incoming.counters;
    p['parkedCount'] = k[0] | 0;
    p['created'] = k[1] | 0;
    this.poolParts.writeCounters(this.poolIncoming(incoming));
  }
}

/** The state parts of an `EntityPool`, made once per pool. */
export function entityPoolStateParts(pool: EntityPool): StateParts {
  return cachedParts(pool, EntityPoolParts);
}
