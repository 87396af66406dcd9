// biome-ignore-all lint/complexity/useLiteralKeys: the stats read the component's private counters by element access, which TypeScript checks against the class
/**
 * The options and stats of {@link PoolComponent}, the validation of its options, and the error of
 * a full component.
 *
 * @module
 */
import { OutOfMemoryError, checkInteger, checkOneOf, checkOptions, describeValue } from '../errors.js';
import { HAS_RESIZABLE_BUFFER, MAX_COLUMN_BYTES } from '../pool/column-buffer.js';
import { MAX_POOL_CAPACITY } from '../pool/handle.js';
import { parseSchema, type FieldLayout, type Schema } from '../pool/schema.js';
// Referenced from the docs ({@link}) only.
import type { StructPool } from '../pool/struct-pool.js';
import type { PoolComponent, definePoolComponent } from './pool-component.js';

/**
 * Where column data is indexed (choose per component):
 *
 * - `'entity'`: columns indexed by the entity's raw index (`eid & entityMask`), the form bitECS
 *   recommends. Fastest access (`fields.x[rawIndexOf(eid)]`, no indirection); memory grows with
 *   the highest raw index of any entity that ever had the component. Use it for components most
 *   entities carry (Position, Velocity).
 * - `'slot'`: columns of a {@link StructPool}, indexed by pool slot, with an id -> slot map
 *   (`Int32Array`, 4 bytes per raw index). Memory of the data grows with the number of
 *   components, not the highest id, and the live data is packed. Use it for wide or rare
 *   components (a 64-byte AI state on 1% of entities).
 */
export type ComponentLayout = 'entity' | 'slot';

/**
 * Who records which entities have the component:
 *
 * - `'bitecs'` (default): the component object is a bitECS component. `addComponent`,
 *   `addEntity(world, C)`, `removeComponent`, `removeEntity` all work and fire
 *   `observe(world, onAdd(C) | onRemove(C))` hooks, which take and free the slot. It shows in
 *   `query(world, [C])`. Each add/remove pays bitECS's cost (which allocates a little).
 * - `'pool'`: membership lives in the component only; `add`/`remove` are O(1) and allocate
 *   nothing. bitECS sees a private tag ({@link PoolComponent.anchor}) added once per entity and
 *   never removed while the entity lives, so `removeEntity` still frees the slot through the
 *   tag's `onRemove` hook. Not visible to bitECS queries: systems iterate {@link PoolComponent.entities}.
 */
export type ComponentMembership = 'bitecs' | 'pool';

/** Options of {@link definePoolComponent}. */
export interface PoolComponentOptions {
  /** Column layout (default `'entity'`). */
  layout?: ComponentLayout;
  /** Membership (default `'bitecs'`). */
  membership?: ComponentMembership;
  /**
   * Initial capacity: raw indices (`'entity'`) or slots (`'slot'`). Default 1024.
   *
   * Growth: per-entity arrays (owner, packed position, id -> slot, and every `'entity'` column)
   * grow together by doubling up to `maxCapacity`, keeping every value. Views stay valid: a public
   * array that can grow (`fields`, `entities`, `indices`) is a length-tracking view over a
   * resizable `ArrayBuffer` (as in {@link StructPool}), so `const xs = C.fields.x` held across a
   * growth sees the new length. That access is slower in V8 11 than through a fixed array: give hot
   * components `capacity === maxCapacity` (then every public array is a plain fixed one and never
   * grows). The private per-entity arrays are always fixed arrays, replaced (copied) when they
   * grow.
   */
  capacity?: number;
  /**
   * Hard limit: raw index bound (`'entity'`) or slot count (`'slot'`); adding beyond it throws
   * `OutOfMemoryError` naming `maxCapacity`. Default 2^24 (MUST be >= capacity).
   */
  maxCapacity?: number;
  /**
   * Called with `(eid, index)` when `eid` loses the component, on every path (`remove`, `clear`,
   * bitECS `removeComponent`/`removeEntity`, `resetAfterWorldReset`), **before** the slot is
   * freed: `fields.x[index]` (and `indexOf(eid)`) still read the entity's data. Use it for
   * cleanup that needs the data ("release the sprite id stored in the component"). A hook a user
   * registers with bitECS `observe(world, onRemove(C), ...)` runs *after* the slot is freed
   * (bitECS 0.4.0 runs observers in subscription order and the component subscribes first), so
   * `indexOf` is -1 there. The callback may use the world and this component for other entities.
   * For `eid` itself: `remove(eid)` (or despawning it from its `EntityPool`) is a no-op returning
   * false (its removal is under way), `add(eid)` throws, and with `'bitecs'` membership
   * `destroyEntity(world, eid)` throws (bitECS 0.4.0 cannot remove an entity inside its own
   * `removeComponent`; do it after the callback returns). If the callback throws, the slot is
   * still freed and the error propagates.
   */
  onRemove?: (eid: number, index: number) => void;
}

/** Counters of a {@link PoolComponent}. */
export interface PoolComponentStats {
  /** Entities that have the component. */
  count: number;
  /** Capacity of the columns (raw indices or slots). */
  capacity: number;
  /** Capacity of the per-entity arrays (raw indices). */
  entityCapacity: number;
  /**
   * Adds and removes since construction. Never reset (`clear` and `resetAfterWorldReset` count each
   * removal), so `adds + removes` ({@link PoolComponent.changeCount}) only grows.
   */
  adds: number;
  removes: number;
  /** Times the arrays grew. */
  growths: number;
}

/** Initial capacity when none is given: 1024 raw indices or slots. */
export const DEFAULT_CAPACITY = 1024;
/** Hard limit when none is given: 2^24. */
const DEFAULT_MAX_CAPACITY = MAX_POOL_CAPACITY;
/** The option names {@link PoolComponentOptions} has. */
const OPTION_KEYS = ['layout', 'membership', 'capacity', 'maxCapacity', 'onRemove'] as const;

/** A {@link PoolComponent}'s validated options. */
export interface ResolvedPoolComponentOptions {
  layouts: FieldLayout[];
  layout: ComponentLayout;
  membership: ComponentMembership;
  /** Initial capacity: `maxCapacity` on a runtime without resizable buffers (never grows). */
  capacity: number;
  maxCapacity: number;
  onRemove: ((eid: number, index: number) => void) | null;
}

/**
 * Validates the options (first) and the schema of a {@link PoolComponent}. O(fields).
 *
 * @throws TypeError for a bad options bag, an unknown option, a non-function `onRemove` or a bad
 *   schema; RangeError for a capacity out of `[1, maxCapacity]`, a layout or membership not in
 *   its set, or an `'entity'` column above `MAX_COLUMN_BYTES`.
 */
export function resolvePoolComponentOptions(
  schema: Schema,
  options: PoolComponentOptions | undefined,
): ResolvedPoolComponentOptions {
  const opts = checkOptions('options', options, OPTION_KEYS);
  const layouts = parseSchema(schema);
  const layout = checkOneOf('options.layout', opts.layout ?? 'entity', ['entity', 'slot'] as const);
  const membership = checkOneOf('options.membership', opts.membership ?? 'bitecs', ['bitecs', 'pool'] as const);
  const maxCapacity = checkInteger(
    'options.maxCapacity',
    opts.maxCapacity ?? DEFAULT_MAX_CAPACITY,
    1,
    DEFAULT_MAX_CAPACITY,
  );
  let capacity = checkInteger(
    'options.capacity',
    opts.capacity ?? Math.min(DEFAULT_CAPACITY, maxCapacity),
    1,
    maxCapacity,
  );
  const onRemoveCallback = opts.onRemove ?? null;
  if (onRemoveCallback !== null && typeof onRemoveCallback !== 'function') {
    throw new TypeError(`options.onRemove must be a function, got ${describeValue(onRemoveCallback)}`);
  }
  if (layout === 'entity') {
    // A resizable ArrayBuffer cannot exceed MAX_COLUMN_BYTES: say which options to lower.
    for (const f of layouts) {
      if (maxCapacity * f.bytesPerSlot > MAX_COLUMN_BYTES) {
        throw new RangeError(
          `definePoolComponent: column ${JSON.stringify(f.name)} would need options.maxCapacity (${maxCapacity}) * ${f.bytesPerSlot} bytes = ${maxCapacity * f.bytesPerSlot} bytes, over the ${MAX_COLUMN_BYTES}-byte column limit: lower options.maxCapacity to at most ${Math.floor(MAX_COLUMN_BYTES / f.bytesPerSlot)}, narrow the field, or use layout 'slot'`,
        );
      }
    }
  }
  // No resizable buffers (pre-ES2024 runtime): take maxCapacity up front and never grow, as
  // StructPool does, so public arrays never go stale.
  if (!HAS_RESIZABLE_BUFFER) capacity = maxCapacity;
  return { layouts, layout, membership, capacity, maxCapacity, onRemove: onRemoveCallback };
}

/** `PoolComponent.stats()`: its counters in a new object. O(1). */
export function componentStats(c: PoolComponent<Schema>): PoolComponentStats {
  return {
    count: c.count,
    capacity: c.capacity,
    entityCapacity: c['ownerOf'].length,
    adds: c['adds'],
    removes: c['removes'],
    growths: c['growths'],
  };
}

/** The OutOfMemoryError of a full component, for an entity with raw index `raw`. Cold path. */
export function fullComponentError(c: PoolComponent<Schema>, raw: number): OutOfMemoryError {
  return new OutOfMemoryError(
    c.layout === 'entity'
      ? `PoolComponent: entity raw index ${raw} is beyond maxCapacity ${c.maxCapacity} (raise options.maxCapacity)`
      : `PoolComponent: all ${c.maxCapacity} slots are in use (raise options.maxCapacity)`,
    1,
    'slots',
    c.stats(),
  );
}
