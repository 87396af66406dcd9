/**
 * The table of each entity's bitECS components, owned by steadyheap: a drop-in for the `Map`
 * bitECS 0.4.0 keeps in its world context (`entityComponents`, entity id -> `Set` of components).
 *
 * Why replace it: bitECS adds a key for every `addEntity` and deletes it in every `removeEntity`.
 * A `Map` under that churn reallocates its hash table every few hundred operations (V8 appends
 * new entries and rehashes when the deleted ones fill it), so entity churn cannot be free of
 * garbage while that `Map` is there. This table is an array of sets indexed by raw entity index,
 * one reusable `Set` per raw index, and it has a row exactly for the entities alive in the
 * world's entity index (it asks the index, so creating or destroying an entity writes nothing
 * here). It answers the calls bitECS 0.4.0 makes (`get`, `set`, `delete`, `keys` for
 * `getAllEntities`) and the rest of the `Map` reading interface, so bitECS code keeps working.
 *
 * `delete` is how steadyheap hears of every entity bitECS removes (`removeEntity`, a relation
 * cascade, the bridge's `destroyEntity`): it empties the row's set for reuse and calls the
 * registry's removal hook.
 *
 * Reference: bitECS 0.4.0 `src/core/World.ts` (`entityComponents`), `src/core/Entity.ts`
 * (`addEntity`, `removeEntity`, `getAllEntities`).
 *
 * @module
 */

/** What the table needs from its registry. */
export interface TableOwner {
  /** Whether `eid` is alive in the world's entity index. */
  isAlive(eid: number): boolean;
  /** Alive ids in the entity index's order. */
  aliveIds(): number[];
  /** Called with `(eid, raw)` when bitECS deletes an entity's row (the entity was removed). */
  rowDeleted(eid: number, raw: number): void;
}

/**
 * `Map<number, Set<object>>`-shaped table keyed by raw entity index.
 *
 * @internal Installed by `EntityRegistry`; not part of the public API.
 */
export class EntityComponentTable {
  /**
   * [raw] -> the component set of the entity with that raw index. Kept (emptied) after the
   * entity is removed, for the next entity with that raw index: every set of a dead raw index is
   * empty.
   */
  declare readonly sets: (Set<object> | undefined)[];
  /** `2^entityBits - 1` of the world's entity index. */
  declare readonly entityMask: number;
  declare private readonly owner: TableOwner;

  constructor(entityMask: number, owner: TableOwner) {
    this.sets = [];
    this.entityMask = entityMask;
    this.owner = owner;
  }

  /** Rows: the entities alive in the world. */
  get size(): number {
    return this.owner.aliveIds().length;
  }

  get(eid: number): Set<object> | undefined {
    return this.owner.isAlive(eid) ? this.sets[eid & this.entityMask] : undefined;
  }

  has(eid: number): boolean {
    return this.get(eid) !== undefined;
  }

  /** bitECS `addEntity`: the new entity's fresh `Set` (replacing the raw index's old one). */
  set(eid: number, components: Set<object>): this {
    this.sets[eid & this.entityMask] = components;
    return this;
  }

  /**
   * Gives the entity with raw index `raw` an empty set if its raw index never had one (the only
   * allocation, once per raw index). O(1).
   */
  open(raw: number): void {
    if (this.sets[raw] === undefined) this.sets[raw] = new Set();
  }

  /** bitECS `removeEntity` (called after the id left the index): empties the set, tells the registry. */
  delete(eid: number): boolean {
    const raw = eid & this.entityMask;
    const components = this.sets[raw];
    if (components === undefined) return false;
    if (components.size !== 0) components.clear();
    this.owner.rowDeleted(eid, raw);
    return true;
  }

  /** Alive ids, in the entity index's order (what bitECS `getAllEntities` lists). */
  keys(): IterableIterator<number> {
    return this.owner.aliveIds()[Symbol.iterator]();
  }

  *values(): IterableIterator<Set<object>> {
    for (const eid of this.keys()) yield this.get(eid) as Set<object>;
  }

  *entries(): IterableIterator<[number, Set<object>]> {
    for (const eid of this.keys()) yield [eid, this.get(eid) as Set<object>];
  }

  [Symbol.iterator](): IterableIterator<[number, Set<object>]> {
    return this.entries();
  }

  forEach(callback: (components: Set<object>, eid: number, table: this) => void): void {
    for (const [eid, components] of this.entries()) callback(components, eid, this);
  }
}
