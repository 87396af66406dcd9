/**
 * Which pool column feeds which per-particle attribute of {@link PoolParticles}: the mapping a
 * user writes (`{ x: 'x', y: 'y', tint: 'color', alpha: 0.8 }`), checked against the pool's
 * schema and resolved into one column texture per distinct field. Pure data: no WebGL, no
 * PixiJS (runs in Node, so the tests check every rule without a browser).
 *
 * @module
 */
import { checkOptions, describeValue } from '../errors.js';
import type { FieldKind, FieldLayout } from '../pool/schema.js';

/** The per-particle attributes a {@link PoolParticles} draws. */
export type ParticleAttribute = 'x' | 'y' | 'position' | 'scale' | 'rotation' | 'tint' | 'alpha' | 'frame';

/** Every {@link ParticleAttribute}, in the order messages list them. */
export const PARTICLE_ATTRIBUTES: readonly ParticleAttribute[] = [
  'x',
  'y',
  'position',
  'scale',
  'rotation',
  'tint',
  'alpha',
  'frame',
];

/**
 * Where each attribute comes from: the name of a pool field (read per particle), or a number
 * (the same for every particle). Units and kinds:
 *
 * - `x`, `y`: position in the container's local space, pixels. A scalar field of any kind but
 *   `f64`, or a number. Both are required unless `position` is given.
 * - `position`: a `[kind, 2]` field holding x then y (instead of `x` and `y`).
 * - `scale`: size factor of the frame (1 draws it at its pixel size). A scalar field (uniform
 *   scale), a `[kind, 2]` field (x then y factor), or a number. Default 1.
 * - `rotation`: radians, clockwise on screen (as Pixi's `rotation`). Scalar field or number.
 *   Default 0.
 * - `tint`: `0xRRGGBB` (Pixi's `tint` order; the top byte is ignored) in a `u32` or `i32` field,
 *   or a number. Default `0xffffff` (no tint).
 * - `alpha`: opacity in `[0, 1]` (clamped) from an `f32` field, or `0..255` from a `u8` field,
 *   or a number in `[0, 1]`. Default 1.
 * - `frame`: index into the renderer's `frames` (clamped to the last). An integer field of any
 *   kind, an `f32` field (floored), or an integer. Default 0.
 */
export interface ParticleAttributes {
  x?: string | number;
  y?: string | number;
  position?: string;
  scale?: string | number;
  rotation?: string | number;
  tint?: string | number;
  alpha?: string | number;
  frame?: string | number;
}

/** How one field's column becomes a WebGL2 texture: names of `WebGL2RenderingContext` constants. */
export interface ColumnTextureFormat {
  /** Sized internal format, for example `'R32F'` or `'RG16I'`. */
  readonly internalFormat: string;
  /** Pixel format: `'RED'`, `'RG'`, `'RED_INTEGER'` or `'RG_INTEGER'`. */
  readonly format: string;
  /** Pixel type: `'FLOAT'`, `'INT'`, `'UNSIGNED_BYTE'`, ... */
  readonly type: string;
  /** GLSL sampler type: `'sampler2D'`, `'isampler2D'` or `'usampler2D'`. */
  readonly sampler: string;
}

/** One pool field read by the shader: a texture of the column, texel `slot` holding the slot's value. */
export interface ColumnSource {
  /** The pool field. */
  readonly field: string;
  readonly kind: FieldKind;
  /** Elements per slot (1, or 2 for a `[kind, 2]` field). */
  readonly components: 1 | 2;
  /** Bytes per slot uploaded for this column (`components` times the element size). */
  readonly bytesPerSlot: number;
  readonly texture: ColumnTextureFormat;
  /** GLSL name of the sampler uniform (`uColumn0`, `uColumn1`, ...). */
  readonly uniform: string;
}

/** An attribute's resolved source: a column (index into {@link ResolvedAttributes.columns}) or a constant. */
export type AttributeBinding = { readonly column: number } | { readonly constant: number };

/** The checked mapping: the columns to upload and where each attribute reads its value. */
export interface ResolvedAttributes {
  /** Distinct fields read, each uploaded once per frame. */
  readonly columns: readonly ColumnSource[];
  /** `position` when a 2-vector field gives the position, else `x` and `y`. */
  readonly position: { readonly column: number } | { readonly x: AttributeBinding; readonly y: AttributeBinding };
  readonly scale: AttributeBinding;
  readonly rotation: AttributeBinding;
  readonly tint: AttributeBinding;
  readonly alpha: AttributeBinding;
  readonly frame: AttributeBinding;
  /** Bytes uploaded per slot of the live range each frame: the sum over {@link columns}. */
  readonly bytesPerSlot: number;
}

/** Scalar element kinds a column texture can hold (WebGL has no 64-bit float texture). */
const TEXTURE_KINDS: Readonly<Record<Exclude<FieldKind, 'f64'>, { bits: string; type: string; base: string }>> = {
  f32: { bits: '32F', type: 'FLOAT', base: 'float' },
  i32: { bits: '32I', type: 'INT', base: 'int' },
  u32: { bits: '32UI', type: 'UNSIGNED_INT', base: 'uint' },
  i16: { bits: '16I', type: 'SHORT', base: 'int' },
  u16: { bits: '16UI', type: 'UNSIGNED_SHORT', base: 'uint' },
  i8: { bits: '8I', type: 'BYTE', base: 'int' },
  u8: { bits: '8UI', type: 'UNSIGNED_BYTE', base: 'uint' },
};

/** Bytes per element of each kind. */
const KIND_BYTES: Readonly<Record<FieldKind, number>> = {
  f32: 4,
  f64: 8,
  i32: 4,
  u32: 4,
  i16: 2,
  u16: 2,
  i8: 1,
  u8: 1,
};

/** The texture format of a column of `kind` with `components` elements per slot. O(1). */
export function columnTextureFormat(kind: Exclude<FieldKind, 'f64'>, components: 1 | 2): ColumnTextureFormat {
  const k = TEXTURE_KINDS[kind];
  const channels = components === 1 ? 'R' : 'RG';
  const integer = k.base !== 'float';
  return {
    internalFormat: `${channels}${k.bits}`,
    format: `${components === 1 ? 'RED' : 'RG'}${integer ? '_INTEGER' : ''}`,
    type: k.type,
    sampler: k.base === 'float' ? 'sampler2D' : k.base === 'int' ? 'isampler2D' : 'usampler2D',
  };
}

/** What an attribute accepts, for checks and messages. */
interface AttributeRule {
  /** Field kinds accepted (scalar fields, plus 2-vectors when `vector2`). */
  kinds: readonly FieldKind[];
  /** Whether a `[kind, 2]` field is accepted (`position`, `scale`). */
  vector2: boolean;
  /** Whether a scalar field is accepted (all but `position`). */
  scalar: boolean;
  /** Whether a number is accepted, and the check it must pass. */
  constant: ((value: number) => string | undefined) | null;
  /** The value when the attribute is left out (`undefined`: required). */
  fallback: number | undefined;
}

const NUMERIC_KINDS: readonly FieldKind[] = ['f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8'];
const finite = (v: number): string | undefined => (Number.isFinite(v) ? undefined : 'a finite number');

const RULES: Readonly<Record<ParticleAttribute, AttributeRule>> = {
  x: { kinds: NUMERIC_KINDS, vector2: false, scalar: true, constant: finite, fallback: undefined },
  y: { kinds: NUMERIC_KINDS, vector2: false, scalar: true, constant: finite, fallback: undefined },
  position: { kinds: NUMERIC_KINDS, vector2: true, scalar: false, constant: null, fallback: undefined },
  scale: { kinds: NUMERIC_KINDS, vector2: true, scalar: true, constant: finite, fallback: 1 },
  rotation: { kinds: NUMERIC_KINDS, vector2: false, scalar: true, constant: finite, fallback: 0 },
  tint: {
    kinds: ['u32', 'i32'],
    vector2: false,
    scalar: true,
    constant: (v) => (Number.isInteger(v) && v >= 0 && v <= 0xffffff ? undefined : 'an integer in [0, 0xffffff]'),
    fallback: 0xffffff,
  },
  alpha: {
    kinds: ['f32', 'u8'],
    vector2: false,
    scalar: true,
    constant: (v) => (v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]'),
    fallback: 1,
  },
  frame: {
    kinds: NUMERIC_KINDS,
    vector2: false,
    scalar: true,
    constant: (v) => (Number.isInteger(v) && v >= 0 && v < 2 ** 31 ? undefined : 'an integer in [0, 2^31)'),
    fallback: 0,
  },
};

/** The accepted field shapes of an attribute, for messages: `u32 or i32 scalar`, `[f32|..., 2]`. */
function describeRule(rule: AttributeRule): string {
  const parts: string[] = [];
  if (rule.scalar) parts.push(`a scalar ${rule.kinds.join('|')} field`);
  if (rule.vector2) parts.push(`a [${rule.kinds.join('|')}, 2] field`);
  return parts.join(' or ');
}

/**
 * Checks `attributes` against the pool's field layout and resolves each attribute to a column or
 * a constant. Each distinct field becomes one column texture, shared when two attributes name it.
 * O(fields + attributes); allocates (construction only).
 *
 * @param layout - the pool's `layout` (its parsed schema).
 * @param attributes - see {@link ParticleAttributes}.
 * @throws TypeError when `attributes` is not an object, has an unknown key, a value is neither a
 *   field name nor a number, or a field's kind or shape does not suit the attribute (an `f64`
 *   field, a vector where a scalar is needed, ...), naming the attribute, the field and what fits.
 * @throws RangeError when a field name is not in the pool's schema (the message lists the
 *   fields), a constant is out of its range, `x`/`y` are missing without `position`, or
 *   `position` is given with `x` or `y`.
 */
export function resolveParticleAttributes(
  layout: readonly FieldLayout[],
  attributes: ParticleAttributes,
): ResolvedAttributes {
  if (attributes === undefined || attributes === null || typeof attributes !== 'object') {
    throw new TypeError(`attributes must be an object mapping attributes to fields, got ${describeValue(attributes)}`);
  }
  checkOptions('attributes', attributes, PARTICLE_ATTRIBUTES);
  const byName = new Map(layout.map((f) => [f.name, f]));
  const columns: ColumnSource[] = [];
  const columnOf = new Map<string, number>();

  const bind = (name: ParticleAttribute): AttributeBinding | undefined => {
    const rule = RULES[name];
    const value = attributes[name];
    if (value === undefined) return rule.fallback === undefined ? undefined : { constant: rule.fallback };
    if (typeof value === 'number') {
      const problem = rule.constant ? rule.constant(value) : 'a field name (a constant is not accepted here)';
      if (problem !== undefined) {
        throw new RangeError(`attributes.${name} must be ${problem}, got ${describeValue(value)}`);
      }
      return { constant: value };
    }
    if (typeof value !== 'string') {
      throw new TypeError(
        `attributes.${name} must be the name of a pool field${rule.constant ? ' or a number' : ''}, got ${describeValue(value)}`,
      );
    }
    const field = byName.get(value);
    if (!field) {
      throw new RangeError(
        `attributes.${name}: the pool has no field ${JSON.stringify(value)}; its fields are ${layout.map((f) => f.name).join(', ')}`,
      );
    }
    const shapeFits =
      rule.kinds.includes(field.kind) &&
      ((field.elementsPerSlot === 1 && rule.scalar) || (field.elementsPerSlot === 2 && rule.vector2));
    if (!shapeFits) {
      const shape = field.elementsPerSlot === 1 ? field.kind : `[${field.kind}, ${field.elementsPerSlot}]`;
      const hint = field.kind === 'f64' ? ' (WebGL has no 64-bit float texture: store it as f32)' : '';
      throw new TypeError(
        `attributes.${name}: field ${JSON.stringify(value)} is ${shape}; ${name} needs ${describeRule(rule)}${hint}`,
      );
    }
    let index = columnOf.get(field.name);
    if (index === undefined) {
      index = columns.length;
      const components = field.elementsPerSlot as 1 | 2;
      columns.push({
        field: field.name,
        kind: field.kind,
        components,
        bytesPerSlot: components * KIND_BYTES[field.kind],
        texture: columnTextureFormat(field.kind as Exclude<FieldKind, 'f64'>, components),
        uniform: `uColumn${index}`,
      });
      columnOf.set(field.name, index);
    }
    return { column: index };
  };

  let position: ResolvedAttributes['position'];
  if (attributes.position !== undefined) {
    if (attributes.x !== undefined || attributes.y !== undefined) {
      throw new RangeError('attributes: give either position (a [kind, 2] field) or x and y, not both');
    }
    position = bind('position') as { column: number };
  } else {
    const x = bind('x');
    const y = bind('y');
    if (!x || !y) {
      throw new RangeError(
        'attributes: the position is required: x and y (scalar fields or numbers) or position (a [kind, 2] field)',
      );
    }
    position = { x, y };
  }
  const resolved = {
    columns,
    position,
    scale: bind('scale') as AttributeBinding,
    rotation: bind('rotation') as AttributeBinding,
    tint: bind('tint') as AttributeBinding,
    alpha: bind('alpha') as AttributeBinding,
    frame: bind('frame') as AttributeBinding,
    bytesPerSlot: 0,
  };
  resolved.bytesPerSlot = columns.reduce((sum, c) => sum + c.bytesPerSlot, 0);
  return resolved;
}
