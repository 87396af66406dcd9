/**
 * The GLSL ES 3.00 program of {@link PoolParticles}, generated for one attribute mapping.
 *
 * One draw, `drawArrays(TRIANGLES, 0, 6 * live)`, with no vertex attributes: vertex
 * `v` belongs to particle `v / 6` (`gl_VertexID`), which is the `(v / 6)`-th live slot of the
 * pool, read from the texture of the pool's `dense` array; the slot's position, scale,
 * rotation, tint, alpha and frame are read with `texelFetch` from one texture per pool column
 * (texel `slot`). With `uPacked` set the column textures hold packed copies instead (particle
 * `i`'s values at texel `i`) and `dense` is not read. This is vertex pulling: the same per-particle data an instanced draw would take
 * from instance attributes, fetched by index instead. It lets one draw cover only the live slots
 * in `dense` order, and it runs as one draw on software WebGL too (SwiftShader executes an
 * instanced draw as one draw per instance; `bench/README.md`).
 *
 * Pure string generation: runs in Node.
 *
 * @module
 */
import type { AttributeBinding, ColumnSource, ResolvedAttributes } from './particle-attributes.js';

/** Texture unit offsets and names the program's uniforms use (see {@link buildParticleShader}). */
export interface ParticleShaderSource {
  readonly vertex: string;
  readonly fragment: string;
  /** Sampler uniforms of the vertex shader, in texture-unit order: dense, frames, then the columns. */
  readonly vertexSamplers: readonly string[];
}

/** A number as a GLSL float literal (`1.0`, `0.5`, `-3.25`). */
export function glslFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`a GLSL constant must be finite, got ${value}`);
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** GLSL that reads component `c` (`x` or `y`) of column `i` at `at` as a float. */
function readFloat(columns: readonly ColumnSource[], i: number, c: 'x' | 'y'): string {
  const fetch = `texelFetch(${columns[i].uniform}, at, 0).${c}`;
  return columns[i].kind === 'f32' ? fetch : `float(${fetch})`;
}

/** GLSL float expression of a scalar binding. */
function scalar(columns: readonly ColumnSource[], b: AttributeBinding): string {
  return 'constant' in b ? glslFloat(b.constant) : readFloat(columns, b.column, 'x');
}

/**
 * Generates the vertex and fragment shaders for `resolved`, with the texel layout of the data
 * textures: slot `s` at texel `(s & (2^rowShift - 1), s >> rowShift)`. O(columns).
 *
 * Uniforms: `uMatrix` (mat3: local pixels to clip space), `uColor` (vec4: the container's
 * premultiplied tint and alpha, multiplied in), `uAnchor` (vec2: the quad's origin as a
 * fraction of the frame), `uFrameCount` (int), `uPacked` (bool: columns packed, `dense` unused), the samplers `uDense`, `uFrames`, `uColumn<i>`
 * (vertex) and `uTexture` (fragment: the atlas).
 *
 * @param rowShift - log2 of the data textures' width in texels, in `[0, 14]`.
 */
export function buildParticleShader(resolved: ResolvedAttributes, rowShift: number): ParticleShaderSource {
  if (!Number.isInteger(rowShift) || rowShift < 0 || rowShift > 14) {
    throw new RangeError(`rowShift must be an integer in [0, 14], got ${rowShift}`);
  }
  const columns = resolved.columns;
  const samplers = columns.map((c) => `uniform highp ${c.texture.sampler} ${c.uniform};`).join('\n');

  const position =
    'column' in resolved.position
      ? `vec2(${readFloat(columns, resolved.position.column, 'x')}, ${readFloat(columns, resolved.position.column, 'y')})`
      : `vec2(${scalar(columns, resolved.position.x)}, ${scalar(columns, resolved.position.y)})`;

  let scale: string;
  const s = resolved.scale;
  if ('constant' in s) scale = `vec2(${glslFloat(s.constant)})`;
  else if (columns[s.column].components === 2) {
    scale = `vec2(${readFloat(columns, s.column, 'x')}, ${readFloat(columns, s.column, 'y')})`;
  } else scale = `vec2(${readFloat(columns, s.column, 'x')})`;

  const t = resolved.tint;
  let tint: string;
  if ('constant' in t) tint = `${t.constant >>> 0}u`;
  else {
    const fetch = `texelFetch(${columns[t.column].uniform}, at, 0).x`;
    tint = columns[t.column].kind === 'u32' ? fetch : `uint(${fetch})`;
  }

  const a = resolved.alpha;
  let alpha: string;
  if ('constant' in a) alpha = glslFloat(a.constant);
  else if (columns[a.column].kind === 'u8') alpha = `float(texelFetch(${columns[a.column].uniform}, at, 0).x) / 255.0`;
  else alpha = `clamp(texelFetch(${columns[a.column].uniform}, at, 0).x, 0.0, 1.0)`;

  const f = resolved.frame;
  let frame: string;
  if ('constant' in f) frame = `${f.constant}`;
  else if (columns[f.column].kind === 'f32') frame = `int(floor(texelFetch(${columns[f.column].uniform}, at, 0).x))`;
  else frame = `int(texelFetch(${columns[f.column].uniform}, at, 0).x)`;

  const vertex = `#version 300 es
precision highp float;
precision highp int;

uniform highp isampler2D uDense;   // dense[0, live): the slot of each live particle
uniform highp sampler2D uFrames;   // frame f: texel 2f = uv rect (u0, v0, u1, v1), 2f + 1 = size in px
${samplers}
uniform mat3 uMatrix;              // local px -> clip space
uniform vec4 uColor;               // container colour, premultiplied
uniform vec2 uAnchor;              // quad origin, fraction of the frame
uniform int uFrameCount;
uniform bool uPacked;              // columns packed in dense order: particle i at texel i

out vec2 vUv;
out vec4 vColor;

const int ROW_SHIFT = ${rowShift};
const int COLUMN_MASK = ${(1 << rowShift) - 1};

ivec2 texelOf(int index) {
  return ivec2(index & COLUMN_MASK, index >> ROW_SHIFT);
}

void main(void) {
  int particle = gl_VertexID / 6;
  int corner = gl_VertexID - particle * 6;
  // Two triangles: (0,0) (1,0) (0,1) and (1,0) (1,1) (0,1).
  vec2 unit = vec2(
    (corner == 1 || corner == 3 || corner == 4) ? 1.0 : 0.0,
    (corner == 2 || corner == 4 || corner == 5) ? 1.0 : 0.0);
  ivec2 at = texelOf(uPacked ? particle : texelFetch(uDense, texelOf(particle), 0).x);

  vec2 position = ${position};
  vec2 scale = ${scale};
  float rotation = ${scalar(columns, resolved.rotation)};
  uint tint = ${tint};
  float alpha = ${alpha};
  int frame = clamp(${frame}, 0, uFrameCount - 1);

  vec4 uvRect = texelFetch(uFrames, ivec2(frame * 2, 0), 0);
  vec2 sizePx = texelFetch(uFrames, ivec2(frame * 2 + 1, 0), 0).xy;
  vec2 local = (unit - uAnchor) * sizePx * scale;
  float c = cos(rotation);
  float s = sin(rotation);
  local = vec2(c * local.x - s * local.y, s * local.x + c * local.y);
  gl_Position = vec4((uMatrix * vec3(position + local, 1.0)).xy, 0.0, 1.0);
  vUv = mix(uvRect.xy, uvRect.zw, unit);
  vec3 rgb = vec3(float((tint >> 16) & 255u), float((tint >> 8) & 255u), float(tint & 255u)) / 255.0;
  vColor = vec4(rgb * alpha, alpha) * uColor;
}
`;
  const fragment = `#version 300 es
precision mediump float;

uniform sampler2D uTexture;

in vec2 vUv;
in vec4 vColor;
out vec4 fragColor;

void main(void) {
  // Pixi textures hold premultiplied alpha; vColor is premultiplied too.
  fragColor = texture(uTexture, vUv) * vColor;
}
`;
  return { vertex, fragment, vertexSamplers: ['uDense', 'uFrames', ...columns.map((c) => c.uniform)] };
}
