import { describe, expect, it } from 'vitest';
import { createWorld } from 'bitecs';
import { RESERVED_FIELD_NAMES, parseSchema } from '../../src/pool/schema.ts';
import { StructPool } from '../../src/pool/struct-pool.ts';
import { definePoolComponent } from '../../src/ecs/index.ts';

describe('schema field names', () => {
  it('an own "__proto__" key (from JSON.parse) is rejected with a RangeError naming it', () => {
    const schema = JSON.parse('{"__proto__":"f32","y":"f32"}');
    expect(Object.keys(schema)).toEqual(['__proto__', 'y']);
    expect(RESERVED_FIELD_NAMES).toContain('__proto__');
    expect(() => parseSchema(schema)).toThrow(RangeError);
    expect(() => parseSchema(schema)).toThrow(/"__proto__" is reserved/);
    expect(() => new StructPool(schema)).toThrow(/__proto__/);
    for (const layout of ['entity', 'slot'] as const) {
      expect(() => definePoolComponent(createWorld(), schema, { layout })).toThrow(RangeError);
    }
  });

  it('every other name, including Object.prototype names, becomes an own column listed by Object.keys', () => {
    const schema = { constructor: 'f32', toString: 'i32', hasOwnProperty: 'u8', valueOf: ['f64', 2] } as const;
    expect(parseSchema(schema).map((f) => f.name)).toEqual(Object.keys(schema));
    const pool = new StructPool(schema);
    expect(Object.keys(pool.fields)).toEqual(Object.keys(schema));
    const s = pool.slotOf(pool.alloc());
    pool.fields.toString[s] = 7;
    expect(pool.fields.toString[s]).toBe(7);
    expect(pool.fields.valueOf).toBeInstanceOf(Float64Array);
    pool.check();
    const C = definePoolComponent(createWorld(), schema);
    expect(Object.keys(C.fields)).toEqual(Object.keys(schema));
    expect(C.fields.constructor).toBeInstanceOf(Float32Array);
  });
});
