/**
 * The attribute mapping of `PoolParticles` (no WebGL needed): which fields fit which attribute,
 * the errors for the rest, one column texture per distinct field, the bytes per slot, and the
 * GLSL the mapping generates.
 */
import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../src/pool/schema.ts';
import {
  PARTICLE_ATTRIBUTES,
  columnTextureFormat,
  resolveParticleAttributes,
  type ParticleAttributes,
} from '../../src/pixi/particle-attributes.ts';
import { buildParticleShader, glslFloat } from '../../src/pixi/particle-shader.ts';

const layout = parseSchema({
  x: 'f32',
  y: 'f32',
  pos: ['i16', 2],
  big: ['f32', 3],
  size: 'f32',
  scale2: ['f32', 2],
  angle: 'f32',
  color: 'u32',
  colorSigned: 'i32',
  alpha: 'f32',
  alpha8: 'u8',
  alpha16: 'u16',
  frame: 'u16',
  wide: 'f64',
});

const resolve = (a: ParticleAttributes) => resolveParticleAttributes(layout, a);

describe('resolveParticleAttributes', () => {
  it('maps each named field to one column and fills the defaults with constants', () => {
    const r = resolve({ x: 'x', y: 'y' });
    expect(r.columns.map((c) => c.field)).toEqual(['x', 'y']);
    expect(r.position).toEqual({ x: { column: 0 }, y: { column: 1 } });
    expect(r.scale).toEqual({ constant: 1 });
    expect(r.rotation).toEqual({ constant: 0 });
    expect(r.tint).toEqual({ constant: 0xffffff });
    expect(r.alpha).toEqual({ constant: 1 });
    expect(r.frame).toEqual({ constant: 0 });
    expect(r.bytesPerSlot).toBe(8);
  });

  it('shares one column between attributes that name the same field, and sums bytes per slot', () => {
    const r = resolve({
      x: 'x',
      y: 'y',
      scale: 'size',
      rotation: 'size',
      tint: 'color',
      alpha: 'alpha8',
      frame: 'frame',
    });
    expect(r.columns.map((c) => c.field)).toEqual(['x', 'y', 'size', 'color', 'alpha8', 'frame']);
    expect(r.rotation).toEqual(r.scale);
    expect(r.bytesPerSlot).toBe(4 + 4 + 4 + 4 + 1 + 2);
    expect(r.columns.map((c) => c.uniform)).toEqual([
      'uColumn0',
      'uColumn1',
      'uColumn2',
      'uColumn3',
      'uColumn4',
      'uColumn5',
    ]);
  });

  it('takes a [kind, 2] field as the position or the scale', () => {
    const r = resolve({ position: 'pos', scale: 'scale2' });
    expect(r.position).toEqual({ column: 0 });
    expect(r.columns[0]).toMatchObject({ field: 'pos', kind: 'i16', components: 2, bytesPerSlot: 4 });
    expect(r.columns[0].texture).toEqual({
      internalFormat: 'RG16I',
      format: 'RG_INTEGER',
      type: 'SHORT',
      sampler: 'isampler2D',
    });
    expect(r.columns[1].texture.internalFormat).toBe('RG32F');
  });

  it('accepts constants in range and rejects the rest with RangeErrors naming the attribute', () => {
    const r = resolve({ x: 10, y: 'y', scale: 2.5, rotation: -1, tint: 0x123456, alpha: 0.25, frame: 3 });
    expect(r.position).toEqual({ x: { constant: 10 }, y: { column: 0 } });
    expect(r.tint).toEqual({ constant: 0x123456 });
    expect(() => resolve({ x: 'x', y: 'y', alpha: 1.5 })).toThrow(
      /attributes\.alpha must be a number in \[0, 1\], got 1\.5/,
    );
    expect(() => resolve({ x: 'x', y: 'y', tint: 0x1000000 })).toThrow(RangeError);
    expect(() => resolve({ x: 'x', y: 'y', tint: 1.5 })).toThrow(RangeError);
    expect(() => resolve({ x: 'x', y: 'y', frame: -1 })).toThrow(/attributes\.frame/);
    expect(() => resolve({ x: Number.NaN, y: 'y' })).toThrow(/attributes\.x must be a finite number/);
    expect(() => resolve({ x: 'x', y: 'y', scale: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it('rejects fields of the wrong kind or shape with TypeErrors that say what fits', () => {
    expect(() => resolve({ x: 'wide', y: 'y' })).toThrow(TypeError);
    expect(() => resolve({ x: 'wide', y: 'y' })).toThrow(/no 64-bit float texture/);
    expect(() => resolve({ x: 'pos', y: 'y' })).toThrow(/field "pos" is \[i16, 2\]; x needs a scalar/);
    expect(() => resolve({ position: 'x' })).toThrow(/position needs a \[.*, 2\] field/);
    expect(() => resolve({ position: 'big' })).toThrow(TypeError);
    expect(() => resolve({ x: 'x', y: 'y', tint: 'alpha' })).toThrow(/tint needs a scalar u32\|i32 field/);
    expect(() => resolve({ x: 'x', y: 'y', alpha: 'alpha16' })).toThrow(/alpha needs a scalar f32\|u8 field/);
    expect(() => resolve({ x: 'x', y: 'y', rotation: 'scale2' })).toThrow(TypeError);
  });

  it('rejects unknown fields (RangeError listing the fields), unknown attributes and bad values (TypeError)', () => {
    expect(() => resolve({ x: 'nope', y: 'y' })).toThrow(RangeError);
    expect(() => resolve({ x: 'nope', y: 'y' })).toThrow(/no field "nope"; its fields are x, y, pos/);
    expect(() => resolve({ x: 'x', y: 'y', colour: 'color' } as ParticleAttributes)).toThrow(TypeError);
    expect(() => resolve({ x: 'x', y: 'y', colour: 'color' } as ParticleAttributes)).toThrow(/unknown option "colour"/);
    expect(() => resolve({ x: true, y: 'y' } as unknown as ParticleAttributes)).toThrow(TypeError);
    expect(() => resolve({ position: 3 } as unknown as ParticleAttributes)).toThrow(/a constant is not accepted here/);
    expect(() => resolveParticleAttributes(layout, null as unknown as ParticleAttributes)).toThrow(TypeError);
  });

  it('requires a position, one way only', () => {
    expect(() => resolve({ x: 'x' })).toThrow(/position is required/);
    expect(() => resolve({})).toThrow(RangeError);
    expect(() => resolve({ position: 'pos', x: 'x' })).toThrow(/either position .* or x and y, not both/);
  });

  it('lists every attribute', () => {
    expect(PARTICLE_ATTRIBUTES).toEqual(['x', 'y', 'position', 'scale', 'rotation', 'tint', 'alpha', 'frame']);
  });
});

describe('columnTextureFormat', () => {
  it('maps each kind to a sized format, its pixel format, type and sampler', () => {
    expect(columnTextureFormat('f32', 1)).toEqual({
      internalFormat: 'R32F',
      format: 'RED',
      type: 'FLOAT',
      sampler: 'sampler2D',
    });
    expect(columnTextureFormat('u32', 1)).toEqual({
      internalFormat: 'R32UI',
      format: 'RED_INTEGER',
      type: 'UNSIGNED_INT',
      sampler: 'usampler2D',
    });
    expect(columnTextureFormat('i8', 2)).toEqual({
      internalFormat: 'RG8I',
      format: 'RG_INTEGER',
      type: 'BYTE',
      sampler: 'isampler2D',
    });
    expect(columnTextureFormat('u16', 1).internalFormat).toBe('R16UI');
  });
});

describe('buildParticleShader', () => {
  it('reads each column by slot with the sampler its kind needs, and folds constants in', () => {
    const r = resolve({ x: 'x', y: 7.5, scale: 'size', tint: 'colorSigned', alpha: 'alpha8', frame: 'alpha' });
    const { vertex, fragment, vertexSamplers } = buildParticleShader(r, 11);
    expect(vertex).toMatch(/^#version 300 es/);
    expect(vertex).toContain('uniform highp sampler2D uColumn0;'); // x
    expect(vertex).toContain('uniform highp isampler2D uColumn2;'); // colorSigned
    expect(vertex).toContain('uniform highp usampler2D uColumn3;'); // alpha8
    expect(vertex).toContain('vec2 position = vec2(texelFetch(uColumn0, at, 0).x, 7.5);');
    expect(vertex).toContain('uint tint = uint(texelFetch(uColumn2, at, 0).x);');
    expect(vertex).toContain('float alpha = float(texelFetch(uColumn3, at, 0).x) / 255.0;');
    expect(vertex).toContain('int(floor(texelFetch(uColumn4, at, 0).x))'); // an f32 frame is floored
    expect(vertex).toContain('float rotation = 0.0;');
    expect(vertex).toContain('const int ROW_SHIFT = 11;');
    expect(vertex).toContain('const int COLUMN_MASK = 2047;');
    expect(fragment).toContain('texture(uTexture, vUv) * vColor');
    expect(vertexSamplers).toEqual(['uDense', 'uFrames', 'uColumn0', 'uColumn1', 'uColumn2', 'uColumn3', 'uColumn4']);
  });

  it('reads a vector position and scale as two components of one texel', () => {
    const { vertex } = buildParticleShader(resolve({ position: 'pos', scale: 'scale2', tint: 0x00ff00 }), 3);
    expect(vertex).toContain(
      'vec2 position = vec2(float(texelFetch(uColumn0, at, 0).x), float(texelFetch(uColumn0, at, 0).y));',
    );
    expect(vertex).toContain('vec2 scale = vec2(texelFetch(uColumn1, at, 0).x, texelFetch(uColumn1, at, 0).y);');
    expect(vertex).toContain(`uint tint = ${0x00ff00}u;`);
  });

  it('refuses a row shift outside [0, 14] and non-finite constants', () => {
    const r = resolve({ x: 'x', y: 'y' });
    expect(() => buildParticleShader(r, 15)).toThrow(RangeError);
    expect(() => buildParticleShader(r, 1.5)).toThrow(RangeError);
    expect(glslFloat(2)).toBe('2.0');
    expect(glslFloat(-0.25)).toBe('-0.25');
    expect(glslFloat(1e-7)).toBe('1e-7');
    expect(() => glslFloat(Number.NaN)).toThrow(RangeError);
  });
});
