/**
 * Struct schemas: the field kinds a {@link StructPool} stores, and their parsing into a column
 * layout (structure of arrays: one typed array per field, indexed by slot).
 *
 * A schema maps field names to a kind (`'f32'`) or a fixed-length vector of a kind
 * (`['f32', 2]`). A vector field of length `n` is stored strided: element `k` of slot `s` is
 * `column[s * n + k]`.
 *
 * @module
 */
import { checkInteger, checkOneOf, describeValue } from '../errors.js';

/** The element kinds a field can have, named after their typed arrays. */
export type FieldKind = 'f32' | 'f64' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32';

/** One field: a scalar kind, or `[kind, n]` for a fixed-length vector of `n` elements. */
export type FieldSpec = FieldKind | readonly [FieldKind, number];

/** Field name to field spec, for example `{ x: 'f32', vel: ['f32', 2], color: 'u32' }`. */
export type Schema = Record<string, FieldSpec>;

/** Every field kind, in a fixed order (used in messages). */
export const FIELD_KINDS: readonly FieldKind[] = ['f32', 'f64', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32'];

/** Largest `n` of a vector field `[kind, n]`. */
export const MAX_VECTOR_LENGTH = 4096;

/**
 * Field names a schema may not use: assigning `"__proto__"` to an ordinary object (as the
 * `fields` of a pool are built) sets its prototype instead of making a property, so the column
 * would vanish from `Object.keys(fields)`. A schema from `JSON.parse` can carry it as an own key.
 * Every other string works, including other `Object.prototype` names (`constructor`, `toString`).
 */
export const RESERVED_FIELD_NAMES: readonly string[] = ['__proto__'];

/** Most fields a schema may have. */
export const MAX_FIELDS = 256;

/** The typed array that stores each kind. */
export interface ColumnTypes {
  f32: Float32Array;
  f64: Float64Array;
  i8: Int8Array;
  u8: Uint8Array;
  i16: Int16Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
}

/** The element kind of a field spec: `'f32'` for both `'f32'` and `['f32', 2]`. */
export type KindOf<F extends FieldSpec> = F extends readonly [infer K extends FieldKind, number]
  ? K
  : F extends FieldKind
    ? F
    : never;

/** The typed array of a field spec: `Float32Array` for `'f32'` and `['f32', 2]`. */
export type ColumnOf<F extends FieldSpec> = ColumnTypes[KindOf<F>];

/** The columns of a schema, one typed array per field, keyed by field name. */
export type Columns<S extends Schema> = { readonly [K in keyof S]: ColumnOf<S[K]> };

/** Any column. */
export type AnyColumn = ColumnTypes[FieldKind];

/** A typed-array constructor for a column. */
export interface ColumnConstructor {
  new (buffer: ArrayBuffer): AnyColumn;
  readonly BYTES_PER_ELEMENT: number;
}

/** The constructor for each kind. */
export const COLUMN_CONSTRUCTORS: Readonly<Record<FieldKind, ColumnConstructor>> = {
  f32: Float32Array,
  f64: Float64Array,
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
};

/** One parsed field: where and how it is stored. */
export interface FieldLayout {
  /** Field name (a schema key). */
  readonly name: string;
  /** Element kind. */
  readonly kind: FieldKind;
  /** Elements per slot: 1 for a scalar, `n` for `[kind, n]`. */
  readonly elementsPerSlot: number;
  /** Bytes per element (1, 2, 4 or 8). */
  readonly bytesPerElement: number;
  /** Bytes per slot: `elementsPerSlot * bytesPerElement`. */
  readonly bytesPerSlot: number;
  /** The column's typed-array constructor. */
  readonly ctor: ColumnConstructor;
}

/**
 * Validates a schema and returns its column layout, in the schema's key order.
 *
 * O(fields). Allocates (construction only).
 *
 * @param schema - field name to `FieldKind` or `[FieldKind, n]`, `1 <= n <= MAX_VECTOR_LENGTH`.
 * @returns one {@link FieldLayout} per field.
 * @throws TypeError when `schema` is not a plain object, has symbol keys, or a field spec is
 *   neither a string nor a two-element array; when a kind is not a string.
 * @throws RangeError when the schema has no field or more than {@link MAX_FIELDS}, a field name
 *   is reserved (`"__proto__"`), a kind is
 *   not one of {@link FIELD_KINDS}, or a vector length is not an integer in
 *   `[1, MAX_VECTOR_LENGTH]`.
 */
export function parseSchema(schema: unknown): FieldLayout[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new TypeError(`schema must be an object of field specs, got ${describeValue(schema)}`);
  }
  if (Object.getOwnPropertySymbols(schema).length > 0) {
    throw new TypeError('schema: field names must be strings, got a symbol key');
  }
  const names = Object.keys(schema);
  if (names.length < 1 || names.length > MAX_FIELDS) {
    throw new RangeError(`schema must have between 1 and ${MAX_FIELDS} fields, got ${names.length}`);
  }
  const layout: FieldLayout[] = [];
  for (const name of names) {
    if (RESERVED_FIELD_NAMES.includes(name)) {
      throw new RangeError(
        `schema: field name ${JSON.stringify(name)} is reserved (it would set the prototype of the columns object); rename the field`,
      );
    }
    const spec = (schema as Record<string, unknown>)[name];
    let kind: FieldKind;
    let elementsPerSlot = 1;
    if (typeof spec === 'string') {
      kind = checkOneOf(`schema.${name}`, spec, FIELD_KINDS);
    } else if (Array.isArray(spec)) {
      if (spec.length !== 2) {
        throw new TypeError(`schema.${name} must be a kind or [kind, n], got an array of length ${spec.length}`);
      }
      kind = checkOneOf(`schema.${name}[0]`, spec[0], FIELD_KINDS);
      elementsPerSlot = checkInteger(`schema.${name}[1]`, spec[1], 1, MAX_VECTOR_LENGTH);
    } else {
      throw new TypeError(
        `schema.${name} must be one of ${FIELD_KINDS.join(' | ')} or [kind, n], got ${describeValue(spec)}`,
      );
    }
    const ctor = COLUMN_CONSTRUCTORS[kind];
    layout.push({
      name,
      kind,
      elementsPerSlot,
      bytesPerElement: ctor.BYTES_PER_ELEMENT,
      bytesPerSlot: elementsPerSlot * ctor.BYTES_PER_ELEMENT,
      ctor,
    });
  }
  return layout;
}
