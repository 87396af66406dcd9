// biome-ignore-all lint/complexity/useLiteralKeys: the parts read private fields by element access, which TypeScript checks against each class (see state-parts.ts)
/**
 * The entity ids of a bitECS world, as {@link StateParts}: an `EntityRegistry`'s state (the
 * world's entity index, as bitECS's own `dense` / `sparse` arrays, `aliveCount` and `maxId`, and
 * the registry's membership bits) and each `EntitySet`'s members.
 *
 * Why through the registry: bitECS keeps a `Map` entry (a `Set` of components) per live entity;
 * restoring the entity index alone would leave that map describing other entities. The registry
 * replaces the map by a table with a row for every id the index ever issued, so the rows always
 * match the index, and a restored index is a coherent world. What the snapshot does not cover is
 * bitECS's own component bookkeeping (masks, queries, relations): a load refuses (`'world'`) when
 * an entity alive before or after it has bitECS components. Keep snapshotted entities on the
 * registry's garbage-free path: membership in `EntitySet`s, data in pool-membership pool
 * components or your own typed arrays.
 *
 * Canonical bytes: the index and the bits are saved up to `maxId` (not the arrays' capacity), so
 * registries in the same state save the same bytes whatever they grew to.
 *
 * @module
 */
import type { EntityRegistry } from '../ecs/entity-registry.js';
import type { EntitySet } from '../ecs/entity-set.js';
import { ByteScratch } from './scratch.js';
import { PartsBase, cachedParts } from './state-parts.js';
import { STATE_KINDS, type IncomingRecord, type StateParts } from './state-record.js';

/** `sparse` holds no position for this raw index (bitECS never wrote it). */
const HOLE = -1;

/** Sections of a registry's state. */
const DENSE = 0;
const SPARSE = 1;
const BITS = 2;
/** Counters. */
const ALIVE = 0;
const MAX_ID = 1;

class RegistryParts extends PartsBase {
  private readonly dense = new ByteScratch(1 << 20);
  private readonly sparse = new ByteScratch(1 << 20);
  private readonly bits = new ByteScratch(1 << 20);

  constructor(private readonly registry: EntityRegistry) {
    const index = registry['index'];
    super(
      STATE_KINDS.EntityIds,
      'EntityRegistry',
      `versioning=${index.versioning} versionBits=${index.versionBits} sets=${registry['sets'].length}`,
      ['aliveCount', 'maxId', 'bitecsCreates', 'bitecsDestroys'],
      ['dense', 'sparse', 'memberBits'],
    );
  }

  /** The scratch of section `i`. */
  private scratch(i: number): ByteScratch {
    return i === DENSE ? this.dense : i === SPARSE ? this.sparse : this.bits;
  }

  /** Copies the index and the bits (up to maxId) into the scratches. O(maxId x set words). */
  readCounters(): void {
    const r = this.registry;
    const index = r['index'];
    const c = this.counters;
    c[ALIVE] = index.aliveCount;
    c[MAX_ID] = index.maxId;
    c[2] = r['bitecsCreates'];
    c[3] = r['bitecsDestroys'];
    this.dense.resize(this.sectionBytes(DENSE));
    this.sparse.resize(this.sectionBytes(SPARSE));
    this.bits.resize(this.sectionBytes(BITS));
    const dense = this.dense.words;
    for (let i = 0; i < index.dense.length; i++) dense[i] = index.dense[i];
    const sparse = this.sparse.words;
    for (let i = 0; i <= index.maxId; i++) {
      const at = index.sparse[i];
      sparse[i] = at === undefined ? HOLE : at;
    }
    const bits = this.bits.words;
    const rows = index.maxId + 1;
    const words = r.memberBits;
    for (let w = 0; w < words.length; w++) {
      const row = words[w];
      for (let i = 0; i < rows; i++) bits[w * rows + i] = i < row.length ? row[i] : 0;
    }
  }

  sectionView(i: number): Uint8Array {
    return this.scratch(i).bytes;
  }

  sectionBytes(i: number): number {
    const index = this.registry['index'];
    if (i === DENSE) return index.dense.length * 4;
    if (i === SPARSE) return (index.maxId + 1) * 4;
    return this.registry.memberBits.length * (index.maxId + 1) * 4;
  }

  validate(incoming: IncomingRecord): string {
    const c = incoming.counters;
    const r = this.registry;
    const problem =
      this.allCounts(incoming) ||
      this.countIn(incoming, MAX_ID, 0, r.entityMask) ||
      this.countIn(incoming, ALIVE, 0, incoming.sectionBytes[DENSE] / 4);
    if (problem !== '') return problem;
    const rows = c[MAX_ID] + 1;
    if (incoming.sectionBytes[SPARSE] !== rows * 4)
      return `sparse has ${incoming.sectionBytes[SPARSE]} bytes for maxId ${c[MAX_ID]}`;
    if (incoming.sectionBytes[BITS] !== r.memberBits.length * rows * 4) {
      return `memberBits has ${incoming.sectionBytes[BITS]} bytes for ${r.memberBits.length} words of ${rows} rows`;
    }
    if (incoming.sectionBytes[DENSE] % 4 !== 0) return 'dense is not whole ids';
    return '';
  }

  /**
   * What the world must satisfy for the load: the registry installed (no bitECS reset since), and
   * no entity alive now or after the load with bitECS components (their state is bitECS's).
   * Reads only. O(alive now + alive saved).
   */
  precondition(incoming: IncomingRecord): string {
    const r = this.registry;
    const index = r['index'];
    const context = r['context'];
    const table = r['table'];
    if (context.entityIndex !== index || context.entityComponents !== table) {
      return 'the world was reset (bitECS resetWorld) since the registry was made: call registry.resetAfterWorldReset() first';
    }
    const mask = r.entityMask;
    const rows = table.sets;
    for (let i = 0; i < index.aliveCount; i++) {
      const row = rows[index.dense[i] & mask];
      if (row !== undefined && row.size !== 0)
        return `entity ${index.dense[i]} has bitECS components, which a snapshot cannot restore`;
    }
    const alive = incoming.counters[ALIVE];
    for (let i = 0; i < alive; i++) {
      const id = incoming.i32(DENSE, i);
      const row = rows[id & mask];
      if (row !== undefined && row.size !== 0)
        return `entity ${id} would be alive after the load and has bitECS components now`;
    }
    return '';
  }

  /** Makes the membership bits cover `maxId` and sizes the scratches. */
  override prepare(incoming: IncomingRecord): void {
    this.registry.reserveRaw(incoming.counters[MAX_ID]);
    this.dense.resize(incoming.sectionBytes[DENSE]);
    this.sparse.resize(incoming.sectionBytes[SPARSE]);
    this.bits.resize(incoming.sectionBytes[BITS]);
  }

  /** Writes the copied index and bits back into bitECS's arrays and the registry. O(maxId x words). */
  writeCounters(incoming: IncomingRecord): void {
    const r = this.registry;
    const index = r['index'];
    const c = incoming.counters;
    const denseLength = incoming.sectionBytes[DENSE] / 4;
    const rows = c[MAX_ID] + 1;
    const dense = this.dense.words;
    index.dense.length = denseLength;
    for (let i = 0; i < denseLength; i++) index.dense[i] = dense[i];
    const sparse = this.sparse.words;
    index.sparse.length = rows;
    for (let i = 0; i < rows; i++) index.sparse[i] = sparse[i] === HOLE ? (undefined as unknown as number) : sparse[i];
    index.aliveCount = c[ALIVE];
    index.maxId = c[MAX_ID];
    r['bitecsCreates'] = c[2];
    r['bitecsDestroys'] = c[3];
    const bits = this.bits.words;
    const words = r.memberBits;
    for (let w = 0; w < words.length; w++) {
      const row = words[w];
      for (let i = 0; i < rows; i++) row[i] = bits[w * rows + i];
      row.fill(0, rows);
    }
    // Every id the index holds has its row (ids this world never issued get theirs now).
    const table = r['table'];
    for (let i = 0; i < denseLength; i++) table.open(index.dense[i] & r.entityMask);
  }
}

class SetParts extends PartsBase {
  private readonly members = new ByteScratch(1 << 20);

  constructor(private readonly set: EntitySet) {
    super(STATE_KINDS.EntitySet, 'EntitySet', `set ${set.id}`, ['count'], ['members']);
  }

  readCounters(): void {
    const s = this.set;
    this.counters[0] = s.count;
    this.members.resize(s.count * 4);
    const words = this.members.words;
    for (let i = 0; i < s.count; i++) words[i] = s.entities[i];
  }

  sectionView(): Uint8Array {
    return this.members.bytes;
  }

  sectionBytes(): number {
    return this.set.count * 4;
  }

  validate(incoming: IncomingRecord): string {
    const problem = this.countIn(incoming, 0, 0, 2 ** 30);
    if (problem !== '') return problem;
    return incoming.sectionBytes[0] === incoming.counters[0] * 4
      ? ''
      : `${incoming.sectionBytes[0]} bytes for ${incoming.counters[0]} members`;
  }

  /**
   * Grows the set's arrays to hold the saved members and their raw indices (whether or not the
   * registry was loaded first). O(members).
   */
  override prepare(incoming: IncomingRecord): void {
    const s = this.set;
    const count = incoming.counters[0];
    if (count > s.entities.length) s['growPacked'](count);
    const mask = s.registry.entityMask;
    let maxRaw = s.registry.rawCapacityOf() - 1;
    for (let i = 0; i < count; i++) {
      const raw = incoming.i32(0, i) & mask;
      if (raw > maxRaw) maxRaw = raw;
    }
    if (maxRaw >= s.positionOf.length) s['growRaw'](maxRaw);
    this.members.resize(count * 4);
  }

  /** Writes the members back and their positions. O(members). */
  writeCounters(incoming: IncomingRecord): void {
    const s = this.set;
    const count = incoming.counters[0];
    const words = this.members.words;
    const mask = s.registry.entityMask;
    for (let i = 0; i < count; i++) {
      const id = words[i];
      s.entities[i] = id;
      s.positionOf[id & mask] = i;
    }
    s.count = count;
  }
}

/** The state parts of an `EntityRegistry`, made once per registry. */
export function registryStateParts(registry: EntityRegistry): StateParts {
  return cachedParts(registry, RegistryParts);
}

/** The state parts of an `EntitySet`, made once per set. */
export function entitySetStateParts(set: EntitySet): StateParts {
  return cachedParts(set, SetParts);
}
