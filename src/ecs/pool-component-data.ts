/**
 * A pool component's record as a plain object, for bitECS's data hooks: `getComponent` /
 * `onGet` (read), `set(C, data)` / `setComponent` / `onSet` (write), and the value copy bitECS
 * makes when an entity inherits a component through `IsA` (it reads the prefab's record with
 * `onGet` and writes it to the heir with `onSet`). Records allocate: these paths are for setup,
 * prefabs and tools, not per-frame loops (which index the columns).
 *
 * Shape: `{ [field]: number }` for a scalar field, `{ [field]: number[] }` (length `n`) for a
 * vector field `[kind, n]`, plus the {@link OWNED} mark on a record read from an entity that has
 * the component.
 *
 * What works with pool components, and how (tested in `test/ecs/prefabs.test.ts`, which runs
 * bitECS's own IsA observer tests with pool components in place of user stores):
 * - Prefabs (`addPrefab`) get slots through `C.add(prefab)` or, with `'bitecs'` membership,
 *   `addComponent(world, prefab, set(C, data))`; they stay out of queries, as bitECS keeps them,
 *   and free their slots on `C.remove` and `destroyEntity`. A bare bitECS `removeComponent` /
 *   `removeEntity` of a prefab reaches no hook (bitECS skips prefabs): `check()` reports the slot.
 *   A bare `addComponent(world, prefab, C)` without data gives it no slot: its heirs start at 0.
 * - `IsA` heirs get the component with the prefab's values: bitECS adds it (the `onAdd` hook takes
 *   a slot) and copies the record through `onGet` / `onSet`, which {@link observeRecords}
 *   subscribes. An heir that already has the component keeps its own values (bitECS's rule); with
 *   `'pool'` membership, one that ever had it (its bitECS tag stays) inherits none.
 * - Relation cascades (`withAutoRemoveSubject`) free every removed subject's slot through the
 *   usual removal hooks; hierarchy queries (`Hierarchy`, `Cascade`) order pool-component
 *   entities like any other. A pool component cannot be a relation's store (`withStore`).
 *
 * Reference: bitECS 0.4.0 `src/core/Component.ts` (`set`, `getComponent`, `recursivelyInherit`).
 *
 * @module
 */
import { observe, onGet, onSet, type World } from 'bitecs';
import { describeValue } from '../errors.js';
import type { AnyTypedArray } from '../pool/column-buffer.js';
import type { FieldLayout, Schema } from '../pool/schema.js';
import type { PoolComponent } from './pool-component.js';

/**
 * Marks a record read from an entity that has the component. bitECS merges every `onGet`
 * observer's result into one object, so a `'pool'`-membership component (whose bitECS tag stays
 * on an entity after the component is removed) tells "the prefab has it" from "it does not" by
 * this key, which the merge keeps.
 */
export const OWNED: unique symbol = Symbol('steadyheap.poolRecord');

/** A record read by {@link readRecord}. */
export type PoolRecord = { [field: string]: number | number[] } & { [OWNED]?: true };

/** Reads the record at column index `at` into a new object marked {@link OWNED}. O(fields). */
export function readRecord(
  fields: Record<string, AnyTypedArray>,
  layouts: readonly FieldLayout[],
  at: number,
): PoolRecord {
  const record: PoolRecord = { [OWNED]: true };
  for (const f of layouts) {
    const column = fields[f.name];
    const n = f.elementsPerSlot;
    if (n === 1) record[f.name] = column[at];
    else record[f.name] = Array.from(column.subarray(at * n, at * n + n));
  }
  return record;
}

/**
 * Checks a record for {@link writeRecord} before anything changes. O(fields).
 *
 * @throws TypeError when `data` is not an object, names a field the schema lacks, gives a
 *   scalar field a non-number, or a vector field anything but an array-like of `n` numbers.
 */
export function checkRecord(layouts: readonly FieldLayout[], data: unknown): void {
  if (data === null || typeof data !== 'object') {
    throw new TypeError(`component data must be an object of field values, got ${describeValue(data)}`);
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const f = layouts.find((l) => l.name === key);
    if (f === undefined) {
      throw new TypeError(`component data names ${JSON.stringify(key)}, not a field of the schema`);
    }
    const value = record[key];
    if (f.elementsPerSlot === 1) {
      if (typeof value !== 'number') {
        throw new TypeError(`component data: field ${key} must be a number, got ${describeValue(value)}`);
      }
    } else {
      const list = value as ArrayLike<unknown> | null;
      if (list === null || typeof list !== 'object' || list.length !== f.elementsPerSlot) {
        throw new TypeError(
          `component data: field ${key} must be ${f.elementsPerSlot} numbers, got ${describeValue(value)}`,
        );
      }
      for (let k = 0; k < list.length; k++) {
        if (typeof list[k] !== 'number') {
          throw new TypeError(`component data: field ${key}[${k}] must be a number, got ${describeValue(list[k])}`);
        }
      }
    }
  }
}

/**
 * Writes the fields a record checked by {@link checkRecord} names into the record at column
 * index `at` (fields it leaves out are kept). Values are stored as the column's kind stores them
 * (an `'u8'` column wraps 300 to 44, as a typed array does). O(fields).
 */
export function writeRecord(
  fields: Record<string, AnyTypedArray>,
  layouts: readonly FieldLayout[],
  at: number,
  data: object,
): void {
  const record = data as Record<string, unknown>;
  for (const f of layouts) {
    if (!Object.hasOwn(record, f.name)) continue;
    const column = fields[f.name];
    const value = record[f.name];
    if (f.elementsPerSlot === 1) column[at] = value as number;
    else column.set(value as ArrayLike<number>, at * f.elementsPerSlot);
  }
}

/**
 * Subscribes `component`'s data hooks in `world` and returns their unsubscribers: `onGet` reads
 * an entity's record (undefined when it lacks the component); `onSet` (`set(C, data)`, and bitECS
 * copying a prefab's record to an `IsA` heir) writes one, first taking a slot through
 * `component.add` when the entity has none: a prefab, whose add reached no hook, or, with
 * `'pool'` membership, an heir of a prefab that has the component (its record carries the
 * {@link OWNED} mark; a `'pool'` component's bitECS tag alone does not mean membership). A record
 * that does not fit the schema throws TypeError and changes nothing.
 */
export function observeRecords(
  world: World,
  component: PoolComponent<Schema>,
  layouts: readonly FieldLayout[],
): (() => void)[] {
  const fields = component.fields as Record<string, AnyTypedArray>;
  return [
    observe(world, onGet(component.anchor), (eid: number) => {
      const at = component.indexOf(eid);
      return at === -1 ? undefined : readRecord(fields, layouts, at);
    }),
    observe(world, onSet(component.anchor), (eid: number, data: unknown) => {
      if (component.membership === 'pool' && component.indexOf(eid) === -1) {
        if (data === null || typeof data !== 'object' || (data as PoolRecord)[OWNED] !== true) return;
      }
      checkRecord(layouts, data);
      const at = component.indexOf(eid) === -1 ? component.add(eid) : component.indexOf(eid);
      writeRecord(fields, layouts, at, data as object);
    }),
  ];
}
