/**
 * The WebGL2 objects behind one {@link PoolParticles} on one context: the program, an empty
 * vertex array, one data texture per pool column, one for the pool's `dense` array and one for
 * the atlas frames, and the per-frame partial upload of the live range.
 *
 * **Layout.** A data texture is `2^rowShift` texels wide and `ceil(capacity / 2^rowShift)`
 * rows high; slot `s` is texel `(s & (width - 1), s >> rowShift)`. So slots `[lo, hi)` are at
 * most three rectangles (a row tail, whole rows, a row head), uploaded with at most three
 * `texSubImage2D(..., column, srcOffset)` calls per column straight from the pool's own typed
 * array: WebGL2's source-offset overload, so no `subarray` and no copy.
 *
 * **Per frame**, one of two uploads. {@link ParticleGpu.upload} (the range): the live slots'
 * span `[lo, hi)` of every mapped column straight from the pool's arrays, and `dense[0, live)`;
 * the shader finds particle `i`'s slot in `dense`. {@link ParticleGpu.uploadPacked}: `[0, live)`
 * of packed copies that hold particle `i`'s values at element `i` (see `packed-instances.ts`);
 * the shader reads particle `i` at texel `i`, and `dense` is not uploaded. Allocation-free.
 *
 * @module
 */
import type { ColumnSource, ResolvedAttributes } from './particle-attributes.js';
import { buildParticleShader } from './particle-shader.js';

/** Widest data texture row used, texels (a power of two; narrower for small pools). */
export const MAX_ROW_TEXELS = 2048;
/** Narrowest data texture row, texels (keeps every row a multiple of 8 bytes: any unpack alignment works). */
export const MIN_ROW_TEXELS = 8;

/** A pool column as the upload reads it (the pool's own typed array). */
export type ColumnArray = Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** Index of the dense texture's unit among the units a {@link ParticleGpu} uses. */
const DENSE_UNIT = 0;
/** Index of the frames texture's unit. */
const FRAMES_UNIT = 1;
/** Index of the first column texture's unit. */
const FIRST_COLUMN_UNIT = 2;

/**
 * log2 of the data texture width for `capacity` slots: the smallest power of two row that fits
 * them in one row, between {@link MIN_ROW_TEXELS} and {@link MAX_ROW_TEXELS}, widened while
 * the rows would exceed `maxTextureSize`. O(1).
 *
 * @throws RangeError when `capacity` slots do not fit a `maxTextureSize` square.
 */
export function rowShiftFor(capacity: number, maxTextureSize: number): number {
  let shift = Math.log2(MIN_ROW_TEXELS);
  while (1 << shift < capacity && 1 << shift < MAX_ROW_TEXELS) shift++;
  while (Math.ceil(capacity / (1 << shift)) > maxTextureSize && 1 << shift < maxTextureSize) shift++;
  if (Math.ceil(capacity / (1 << shift)) > maxTextureSize) {
    throw new RangeError(
      `a pool of ${capacity} slots needs more than ${maxTextureSize} x ${maxTextureSize} texels (this GPU's MAX_TEXTURE_SIZE); use a smaller pool`,
    );
  }
  return shift;
}

/** Compiles one shader stage; throws with the driver's log. */
function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('PoolParticles: gl.createShader failed (context lost?)');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    const log = gl.getShaderInfoLog(shader);
    gl.deleteShader(shader);
    throw new Error(`PoolParticles: shader failed to compile: ${log}\n${source}`);
  }
  return shader;
}

/** Creates an immutable `width` x `height` texture of `internalFormat`, sampled with NEAREST. */
function dataTexture(gl: WebGL2RenderingContext, internalFormat: number, width: number, height: number): WebGLTexture {
  const texture = gl.createTexture();
  if (!texture) throw new Error('PoolParticles: gl.createTexture failed (context lost?)');
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texStorage2D(gl.TEXTURE_2D, 1, internalFormat, width, height);
  // Integer textures are incomplete (texelFetch reads 0) unless both filters are NEAREST.
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  return texture;
}

/**
 * Uploads slots `[lo, hi)` of `data` (`components` elements a slot) into the texture bound to
 * `TEXTURE_2D`, laid out `2^rowShift` slots a row: at most three `texSubImage2D` calls, each
 * reading `data` from an element offset. O(1) calls; allocation-free.
 */
export function uploadSlotRange(
  gl: WebGL2RenderingContext,
  format: number,
  type: number,
  data: ArrayBufferView,
  components: number,
  rowShift: number,
  lo: number,
  hi: number,
): void {
  const width = 1 << rowShift;
  let slot = lo;
  while (slot < hi) {
    const row = slot >> rowShift;
    const x = slot & (width - 1);
    if (x === 0 && hi - slot >= width) {
      const rows = (hi - slot) >> rowShift;
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, row, width, rows, format, type, data, slot * components);
      slot += rows << rowShift;
    } else {
      const end = Math.min(hi, (row + 1) << rowShift);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, x, row, end - slot, 1, format, type, data, slot * components);
      slot = end;
    }
  }
}

/** GL enums of one column texture, resolved from the names in {@link ColumnSource}. */
interface ColumnGl {
  texture: WebGLTexture;
  format: number;
  type: number;
  components: number;
}

/** The WebGL2 objects of one renderer on one context. See the module docs. */
export class ParticleGpu {
  readonly gl: WebGL2RenderingContext;
  /** log2 of the data textures' row width, texels. */
  readonly rowShift: number;
  /** Texture units used: the dense, frames and column textures (the atlas uses Pixi's unit 0). */
  readonly unitCount: number;
  /** First texture unit used (the top of the context's units, where PixiJS does not bind). */
  readonly firstUnit: number;
  private readonly program: WebGLProgram;
  private readonly vertexArray: WebGLVertexArrayObject;
  private readonly dense: WebGLTexture;
  private frames: WebGLTexture;
  private framesWidth = 0;
  private readonly columns: ColumnGl[];
  private readonly uMatrix: WebGLUniformLocation | null;
  private readonly uColor: WebGLUniformLocation | null;
  private readonly uAnchor: WebGLUniformLocation | null;
  private readonly uFrameCount: WebGLUniformLocation | null;
  private readonly uPacked: WebGLUniformLocation | null;

  /**
   * Compiles the program for `resolved` and allocates the textures for `capacity` slots.
   * Allocates GPU memory: `capacity * (resolved.bytesPerSlot + 4)` bytes of textures.
   *
   * @throws RangeError when the pool does not fit the GPU's texture size, or the context has too
   *   few vertex texture units; Error when the shaders fail to compile or link.
   */
  constructor(gl: WebGL2RenderingContext, resolved: ResolvedAttributes, capacity: number) {
    this.gl = gl;
    const maxTextureSize = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    const rowShift = rowShiftFor(capacity, maxTextureSize);
    this.rowShift = rowShift;
    const unitCount = FIRST_COLUMN_UNIT + resolved.columns.length;
    const maxVertexUnits = gl.getParameter(gl.MAX_VERTEX_TEXTURE_IMAGE_UNITS) as number;
    if (unitCount > maxVertexUnits) {
      throw new RangeError(
        `PoolParticles needs ${unitCount} vertex texture units, this context has ${maxVertexUnits}: map fewer distinct fields`,
      );
    }
    const combined = gl.getParameter(gl.MAX_COMBINED_TEXTURE_IMAGE_UNITS) as number;
    this.unitCount = unitCount;
    this.firstUnit = combined - unitCount;

    const source = buildParticleShader(resolved, rowShift);
    const program = gl.createProgram();
    if (!program) throw new Error('PoolParticles: gl.createProgram failed (context lost?)');
    const vs = compile(gl, gl.VERTEX_SHADER, source.vertex);
    const fs = compile(gl, gl.FRAGMENT_SHADER, source.fragment);
    gl.attachShader(program, vs);
    gl.attachShader(program, fs);
    gl.linkProgram(program);
    gl.deleteShader(vs);
    gl.deleteShader(fs);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      const log = gl.getProgramInfoLog(program);
      gl.deleteProgram(program);
      throw new Error(`PoolParticles: program failed to link: ${log}`);
    }
    this.program = program;
    const vertexArray = gl.createVertexArray();
    if (!vertexArray) throw new Error('PoolParticles: gl.createVertexArray failed (context lost?)');
    this.vertexArray = vertexArray;

    const previousProgram = gl.getParameter(gl.CURRENT_PROGRAM) as WebGLProgram | null;
    const previousUnit = gl.getParameter(gl.ACTIVE_TEXTURE) as number;
    gl.useProgram(program);
    source.vertexSamplers.forEach((name, i) => {
      gl.uniform1i(gl.getUniformLocation(program, name), this.firstUnit + i);
    });
    gl.uniform1i(gl.getUniformLocation(program, 'uTexture'), 0); // the atlas: Pixi binds it on unit 0
    this.uMatrix = gl.getUniformLocation(program, 'uMatrix');
    this.uColor = gl.getUniformLocation(program, 'uColor');
    this.uAnchor = gl.getUniformLocation(program, 'uAnchor');
    this.uFrameCount = gl.getUniformLocation(program, 'uFrameCount');
    this.uPacked = gl.getUniformLocation(program, 'uPacked');

    const height = Math.ceil(capacity / (1 << rowShift));
    const width = 1 << rowShift;
    const textureOfUnit = (unit: number) => {
      gl.activeTexture(gl.TEXTURE0 + this.firstUnit + unit);
      return gl.getParameter(gl.TEXTURE_BINDING_2D) as WebGLTexture | null;
    };
    // Leave whatever was bound on our units as it was.
    const previous = Array.from({ length: unitCount }, (_, i) => textureOfUnit(i));
    this.dense = dataTexture(gl, gl.R32I, width, height);
    this.frames = dataTexture(gl, gl.RGBA32F, 1, 1);
    this.framesWidth = 1;
    const enumOf = (name: string): number => {
      const value = (gl as unknown as Record<string, unknown>)[name];
      if (typeof value !== 'number') throw new Error(`PoolParticles: WebGL2 has no ${name}`);
      return value;
    };
    this.columns = resolved.columns.map((c: ColumnSource) => ({
      texture: dataTexture(gl, enumOf(c.texture.internalFormat), width, height),
      format: enumOf(c.texture.format),
      type: enumOf(c.texture.type),
      components: c.components,
    }));
    previous.forEach((texture, i) => {
      gl.activeTexture(gl.TEXTURE0 + this.firstUnit + i);
      gl.bindTexture(gl.TEXTURE_2D, texture);
    });
    gl.activeTexture(previousUnit);
    gl.useProgram(previousProgram);
  }

  /**
   * Replaces the frame table: `table` holds 8 floats a frame (u0, v0, u1, v1, width px,
   * height px, 0, 0). Binds on the frames unit and leaves it bound (call inside a
   * {@link GlBindingGuard} save/restore). O(frames); reallocates the texture when the count grows.
   */
  setFrames(table: Float32Array, frameCount: number): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE0 + this.firstUnit + FRAMES_UNIT);
    if (frameCount * 2 > this.framesWidth) {
      gl.deleteTexture(this.frames);
      this.frames = dataTexture(gl, gl.RGBA32F, frameCount * 2, 1);
      this.framesWidth = frameCount * 2;
    } else {
      gl.bindTexture(gl.TEXTURE_2D, this.frames);
    }
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, frameCount * 2, 1, gl.RGBA, gl.FLOAT, table, 0);
  }

  /**
   * Binds the data textures on their units and uploads slots `[lo, hi)` of every column and
   * `dense[0, live)`. Call inside a {@link GlBindingGuard} save/restore. O(columns) GL calls,
   * `(hi - lo) * bytesPerSlot + 4 * live` bytes; allocation-free.
   *
   * @param columns - the pool's columns, in the order of `resolved.columns`.
   */
  upload(columns: readonly ColumnArray[], dense: Int32Array, live: number, lo: number, hi: number): void {
    const gl = this.gl;
    const rowShift = this.rowShift;
    gl.activeTexture(gl.TEXTURE0 + this.firstUnit + DENSE_UNIT);
    gl.bindTexture(gl.TEXTURE_2D, this.dense);
    uploadSlotRange(gl, gl.RED_INTEGER, gl.INT, dense, 1, rowShift, 0, live);
    gl.activeTexture(gl.TEXTURE0 + this.firstUnit + FRAMES_UNIT);
    gl.bindTexture(gl.TEXTURE_2D, this.frames);
    const gpuColumns = this.columns;
    for (let i = 0; i < gpuColumns.length; i++) {
      const c = gpuColumns[i];
      gl.activeTexture(gl.TEXTURE0 + this.firstUnit + FIRST_COLUMN_UNIT + i);
      gl.bindTexture(gl.TEXTURE_2D, c.texture);
      uploadSlotRange(gl, c.format, c.type, columns[i], c.components, rowShift, lo, hi);
    }
  }

  /**
   * Binds the data textures on their units and uploads `[0, live)` of every packed column
   * (`packed[i]` in the order of `resolved.columns`, particle `i` at element `i * components`);
   * `dense` is not uploaded (draw with `packed` true). Call inside a {@link GlBindingGuard}
   * save/restore. O(columns) GL calls, `live * bytesPerSlot` bytes; allocation-free.
   */
  uploadPacked(packed: readonly ColumnArray[], live: number): void {
    const gl = this.gl;
    const rowShift = this.rowShift;
    gl.activeTexture(gl.TEXTURE0 + this.firstUnit + DENSE_UNIT);
    gl.bindTexture(gl.TEXTURE_2D, this.dense);
    gl.activeTexture(gl.TEXTURE0 + this.firstUnit + FRAMES_UNIT);
    gl.bindTexture(gl.TEXTURE_2D, this.frames);
    const gpuColumns = this.columns;
    for (let i = 0; i < gpuColumns.length; i++) {
      const c = gpuColumns[i];
      gl.activeTexture(gl.TEXTURE0 + this.firstUnit + FIRST_COLUMN_UNIT + i);
      gl.bindTexture(gl.TEXTURE_2D, c.texture);
      uploadSlotRange(gl, c.format, c.type, packed[i], c.components, rowShift, 0, live);
    }
  }

  /**
   * Draws `live` particles with the textures bound by {@link ParticleGpu.upload} (`packed`
   * false) or {@link ParticleGpu.uploadPacked} (`packed` true) and the atlas on unit 0. `uniforms` holds the mat3 (9 floats, column-major), then the premultiplied colour (4)
   * and the anchor (2): {@link UNIFORM_FLOATS}. Call inside a {@link GlBindingGuard}
   * save/restore. Allocation-free.
   */
  draw(uniforms: Float32Array, frameCount: number, live: number, packed: boolean): void {
    const gl = this.gl;
    gl.useProgram(this.program);
    gl.uniformMatrix3fv(this.uMatrix, false, uniforms, 0, 9);
    gl.uniform4fv(this.uColor, uniforms, 9, 4);
    gl.uniform2fv(this.uAnchor, uniforms, 13, 2);
    gl.uniform1i(this.uFrameCount, frameCount);
    gl.uniform1i(this.uPacked, packed ? 1 : 0);
    gl.bindVertexArray(this.vertexArray);
    gl.drawArrays(gl.TRIANGLES, 0, live * 6);
  }

  /** Deletes the GL objects (not the context's: the atlas belongs to Pixi). */
  destroy(): void {
    const gl = this.gl;
    gl.deleteProgram(this.program);
    gl.deleteVertexArray(this.vertexArray);
    gl.deleteTexture(this.dense);
    gl.deleteTexture(this.frames);
    for (const c of this.columns) gl.deleteTexture(c.texture);
  }
}

/** Floats in the uniform record {@link ParticleGpu.draw} reads. */
export const UNIFORM_FLOATS = 15;
