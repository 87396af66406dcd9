// biome-ignore-all lint/complexity/useLiteralKeys: the parts read the component's private fields by element access, which TypeScript checks against the class (see state-parts.ts)
/**
 * The state of a bitECS bridge `PoolComponent` with `'pool'` membership, as {@link StateParts}:
 * which entities have the component, where their data is, and the data.
 *
 * | layout | sections | counters |
 * |---|---|---|
 * | `'entity'` | every column, `entities`, `indices`, then the per-entity arrays (owner, packed position) | count, capacity, packed length, entity capacity, adds, removes, growths |
 * | `'slot'` | `entities`, `indices`, the per-entity arrays, then the slot pool's sections (`pool-state.ts`) | the same, then the slot pool's counters |
 *
 * After a load the component is as it was at the save: `has`, `indexOf`, the packed arrays, the
 * values, `stats()`, `changeCount`, and (slot layout) the slot pool's next slots. Arrays are saved
 * whole (their lengths are the capacities, which are state: a component that grew since the save
 * is resized back; its held columns and packed arrays follow, as length-tracking views, when it
 * is growable). Loading a state of the same capacities allocates nothing.
 *
 * Not state: which entities carry the component's bitECS anchor tag (a fact of the world, cached
 * per entity). After a load every member carries it: a member that does not (a state loaded into
 * another world) gets it then, through bitECS `addComponent`, so removing the entity from the
 * world still frees its data.
 *
 * What it does not cover, and so what is refused (`SnapshotError` reason `'world'`, nothing
 * changed):
 * - `'bitecs'` membership: its members are bitECS's own component masks and query results, which
 *   live outside steadyheap's arrays. Snapshot components with `membership: 'pool'`.
 * - A world reset since the component last followed it (call `resetAfterWorldReset()` first).
 * - A member (an entity of `entities[0..count)` in the state) that is not alive in the world
 *   now: the entities belong to the world, which this snapshot does not restore (an `EntityPool`
 *   never removes its entities, so its members stay alive).
 *
 * Options: the schema, layout, membership and `maxCapacity` must match (reason `'options'`).
 *
 * @module
 */
import { addComponent, hasComponent } from 'bitecs';
import { isEntityAlive } from '../ecs/entity-ids.js';
import { resizeColumnBuffers } from '../pool/column-buffer.js';
import type { Schema } from '../pool/schema.js';
import type { StructPool } from '../pool/struct-pool.js';
import type { PoolComponent } from '../ecs/pool-component.js';
import { poolOptions, poolStateParts } from './pool-state.js';
import { PartsBase, bytesOf, cachedParts, nestedIncoming, nestedNames } from './state-parts.js';
import { STATE_KINDS, type IncomingRecord, type StateParts } from './state-record.js';

const COMPONENT_COUNTERS = ['count', 'capacity', 'packedLength', 'entityCapacity', 'adds', 'removes', 'growths'];
const COUNT = 0;
const CAPACITY = 1;
const PACKED = 2;
const ENTITY_CAPACITY = 3;
/** Per-entity arrays, in saved order (`anchoredOf` is a cache of the world, not state). */
const PER_ENTITY = ['ownerOf', 'packedOf'] as const;

type AnyComponent = PoolComponent<Schema>;

/** Whether a typed array's buffer can be resized (a growable column). */
function resizable(array: ArrayBufferView): boolean {
  return (array.buffer as ArrayBuffer & { resizable?: boolean }).resizable === true;
}

class ComponentParts extends PartsBase {
  /** Sections before the per-entity arrays: the columns (entity layout), `entities`, `indices`. */
  private readonly leading: Uint8Array[];
  private readonly columnBytes: number[];
  /** The per-entity arrays' byte views, and the arrays they were made over (replaced on growth). */
  private readonly perEntityViews: Uint8Array[] = [];
  private readonly perEntitySources: Int32Array[] = [];
  /** Slot layout: the slot pool's parts, and the scratch its part of a record is handed in. */
  private readonly poolParts: StateParts | null;
  /** First section and counter of the slot pool's part. */
  private readonly poolSection: number;
  private readonly poolCounter = COMPONENT_COUNTERS.length;

  constructor(private readonly component: AnyComponent) {
    const c = component;
    const pool = c.pool as StructPool<Schema> | null;
    const poolParts = pool === null ? null : poolStateParts(pool);
    const columns = c.layout === 'entity' ? c['layouts'].map((f) => `column ${f.name}`) : [];
    const own = [...columns, 'entities', 'indices', ...PER_ENTITY];
    const names = poolParts === null ? { counters: [], sections: [] } : nestedNames(poolParts, 'slot pool');
    const fields = c['layouts'].map(
      (f) => `${f.name}:${f.kind}${f.elementsPerSlot > 1 ? `[${f.elementsPerSlot}]` : ''}`,
    );
    super(
      STATE_KINDS.PoolComponent,
      'PoolComponent',
      `{${fields.join(' ')}} layout=${c.layout} membership=${c.membership} maxCapacity=${c.maxCapacity}` +
        (pool === null ? '' : ` pool ${poolOptions(pool)}`),
      [...COMPONENT_COUNTERS, ...names.counters],
      [...own, ...names.sections],
    );
    const fieldArrays = c.fields as Record<string, ArrayBufferView>;
    // Whole-buffer views: length-tracking over a growable component's resizable buffers.
    const columnViews = columns.length === 0 ? [] : c['layouts'].map((f) => new Uint8Array(fieldArrays[f.name].buffer));
    this.leading = [...columnViews, new Uint8Array(c.entities.buffer), new Uint8Array(c.indices.buffer)];
    this.columnBytes = c.layout === 'entity' ? c['layouts'].map((f) => f.bytesPerSlot) : [];
    for (const name of PER_ENTITY) {
      this.perEntitySources.push(c[name]);
      this.perEntityViews.push(bytesOf(c[name]));
    }
    this.poolParts = poolParts;
    this.poolSection = own.length;
  }

  readCounters(): void {
    const c = this.component;
    const k = this.counters;
    k[0] = c.count;
    k[1] = c['capacityValue'];
    k[2] = c.entities.length;
    k[3] = c['ownerOf'].length;
    k[4] = c['adds'];
    k[5] = c['removes'];
    k[6] = c['growths'];
    const pool = this.poolParts;
    if (pool !== null) {
      pool.readCounters();
      k.set(pool.counters, this.poolCounter);
    }
  }

  sectionView(i: number): Uint8Array {
    const lead = this.leading.length;
    if (i < lead) return this.leading[i];
    if (i >= this.poolSection) return (this.poolParts as StateParts).sectionView(i - this.poolSection);
    const e = i - lead;
    const array = this.component[PER_ENTITY[e]];
    if (array !== this.perEntitySources[e]) {
      this.perEntitySources[e] = array; // replaced by growth (or a load at another capacity)
      this.perEntityViews[e] = bytesOf(array);
    }
    return this.perEntityViews[e];
  }

  sectionBytes(i: number): number {
    const c = this.component;
    return this.bytesFor(i, c['capacityValue'], c.entities.length, c['ownerOf'].length);
  }

  /** Bytes of section `i` (not the pool's) for the given capacities. */
  private bytesFor(i: number, capacity: number, packed: number, entityCapacity: number): number {
    const columns = this.columnBytes.length;
    if (i < columns) return capacity * this.columnBytes[i];
    if (i < columns + 2) return packed * 4;
    if (i < this.poolSection) return entityCapacity * 4;
    return (this.poolParts as StateParts).sectionBytes(i - this.poolSection);
  }

  validate(incoming: IncomingRecord): string {
    const k = incoming.counters;
    const c = this.component;
    const entityLimit = c.layout === 'entity' ? c.maxCapacity : c['index'].entityMask + 1;
    const problem =
      this.allCounts(incoming) ||
      this.countIn(incoming, PACKED, 1, c.maxCapacity) ||
      this.countIn(incoming, COUNT, 0, k[PACKED]) ||
      this.countIn(incoming, CAPACITY, 1, c.maxCapacity) ||
      this.countIn(incoming, ENTITY_CAPACITY, 1, entityLimit);
    if (problem !== '') return problem;
    if (c.layout === 'entity' && (k[CAPACITY] !== k[PACKED] || k[ENTITY_CAPACITY] !== k[PACKED])) {
      return `capacity ${k[CAPACITY]}, packed length ${k[PACKED]} and entity capacity ${k[ENTITY_CAPACITY]} differ`;
    }
    if (!resizable(c.entities) && k[PACKED] !== c.entities.length) {
      return `packed length ${k[PACKED]}, this component cannot grow from ${c.entities.length}`;
    }
    for (let i = 0; i < this.poolSection; i++) {
      const expected = this.bytesFor(i, k[CAPACITY], k[PACKED], k[ENTITY_CAPACITY]);
      if (incoming.sectionBytes[i] !== expected) {
        return `section ${this.sectionNames[i]} has ${incoming.sectionBytes[i]} bytes, ${expected} expected`;
      }
    }
    const pool = this.poolIncoming(incoming);
    if (pool !== null) {
      const poolProblem = (this.poolParts as StateParts).validate(pool);
      if (poolProblem !== '') return `slot pool: ${poolProblem}`;
      if (pool.counters[1] !== k[COUNT]) return `slot pool has ${pool.counters[1]} live slots, count is ${k[COUNT]}`;
    }
    return '';
  }

  precondition(incoming: IncomingRecord): string {
    const c = this.component;
    if (c.membership !== 'pool') {
      return "a PoolComponent with 'bitecs' membership keeps its members in bitECS's masks and queries, which a snapshot cannot restore: use membership 'pool'";
    }
    if (c.followsStaleIndex) {
      return 'the world was reset (bitECS resetWorld) since the component followed it: call resetAfterWorldReset() first';
    }
    const entities = this.columnBytes.length; // the section of `entities`
    for (let i = 0; i < incoming.counters[COUNT]; i++) {
      const id = incoming.i32(entities, i);
      if (!isEntityAlive(c.world, id)) return `member ${id} of the saved state is not alive in the world`;
    }
    return '';
  }

  /**
   * The slot pool's part of `incoming`, handed to the pool's own parts in their scratch (no
   * allocation), or null for the entity layout.
   */
  private poolIncoming(incoming: IncomingRecord): IncomingRecord | null {
    const parts = this.poolParts;
    return parts === null ? null : nestedIncoming(parts, incoming, this.poolCounter, this.poolSection);
  }

  /**
   * Resizes the component to the saved capacities: the growable columns and packed arrays in
   * place (all or none), the per-entity arrays by replacement, the slot pool through its parts.
   * Allocates only when a capacity differs.
   * @throws OutOfMemoryError when the runtime refuses the memory (nothing changed).
   */
  override prepare(incoming: IncomingRecord): void {
    const c = this.component;
    const k = incoming.counters;
    const packed = k[PACKED];
    const fields = c.fields as Record<string, ArrayBufferView>;
    const columns = this.columnBytes.length === 0 ? [] : c['layouts'].map((f) => fields[f.name].buffer as ArrayBuffer);
    const current = c.entities.length;
    if (packed !== current || (columns.length > 0 && k[CAPACITY] !== c['capacityValue'])) {
      const buffers = [...columns, c.entities.buffer as ArrayBuffer, c.indices.buffer as ArrayBuffer];
      if (!resizeColumnBuffers(buffers, [...this.columnBytes, 4, 4], current, packed)) {
        throw new RangeError(`PoolComponent.loadState: the runtime refused the memory for ${packed} entries`);
      }
    }
    const pool = this.poolIncoming(incoming);
    if (pool !== null) (this.poolParts as StateParts).prepare(pool);
    const entityCapacity = k[ENTITY_CAPACITY];
    const anchored = c['anchoredOf'];
    if (anchored.length !== entityCapacity) {
      for (const name of PER_ENTITY) c[name] = new Int32Array(entityCapacity);
      const kept = new Int32Array(entityCapacity); // a cache of the world: keep what still fits
      kept.set(anchored.length <= entityCapacity ? anchored : anchored.subarray(0, entityCapacity));
      c['anchoredOf'] = kept;
    }
  }

  writeCounters(incoming: IncomingRecord): void {
    const c = this.component;
    const k = incoming.counters;
    c.count = k[0] | 0;
    c['capacityValue'] = k[1] | 0;
    c['adds'] = k[4];
    c['removes'] = k[5];
    c['growths'] = k[6];
    const pool = this.poolIncoming(incoming);
    if (pool !== null) (this.poolParts as StateParts).writeCounters(pool);
    anchorMembers(c);
  }
}

/**
 * Gives every member of `c` its bitECS anchor tag unless the per-entity cache says it has it:
 * O(count) typed-array reads after a load in the same world; `addComponent` (allocating in
 * bitECS) only for members of a state loaded into another world.
 */
function anchorMembers(c: AnyComponent): void {
  const anchored = c['anchoredOf'];
  const mask = c['index'].entityMask;
  const entities = c.entities;
  for (let i = 0; i < c.count; i++) {
    const eid = entities[i];
    const raw = eid & mask;
    if (anchored[raw] === eid) continue;
    if (!hasComponent(c.world, eid, c.anchor)) addComponent(c.world, eid, c.anchor);
    anchored[raw] = eid;
  }
}

/** The state parts of a `PoolComponent`, made once per component. */
export function componentStateParts(component: AnyComponent): StateParts {
  return cachedParts(component, ComponentParts);
}
