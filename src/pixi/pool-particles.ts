/**
 * `PoolParticles`: a PixiJS v8 scene object that draws every live slot of a steadyheap
 * {@link StructPool} as a textured quad, reading position, scale, rotation, tint, alpha and
 * atlas frame straight from the pool's columns. No per-particle JavaScript object exists, and
 * a frame's work on the CPU is O(columns) WebGL calls plus one pass over `pool.dense` to find the
 * live slots' span (and, when that span is sparse, one pass per column gathering the live
 * values).
 *
 * @module
 */
import {
  Matrix,
  RenderContainer,
  RendererType,
  State,
  Texture,
  getAdjustedBlendModeBlend,
  type ContainerOptions,
  type Renderer,
  type WebGLRenderer,
} from 'pixi.js';
import { describeValue } from '../errors.js';
import { StructPool } from '../pool/struct-pool.js';
import type { Schema } from '../pool/schema.js';
import { GlBindingGuard } from './gl-bindings.js';
import { resolveParticleAttributes, type ParticleAttributes, type ResolvedAttributes } from './particle-attributes.js';
import { type ColumnArray, ParticleGpu, UNIFORM_FLOATS } from './particle-gpu.js';
import * as packedInstances from './packed-instances.js';
import { PackedInstances, type PoolParticlesUpload, UPLOAD_MODES } from './packed-instances.js';

// Hot path: a module-local copy (an imported binding is read through its export cell per use).
const { rangeIsDense } = packedInstances;

/** Options of {@link PoolParticles}; any other Pixi `ContainerOptions` (label, blendMode, alpha, tint, position...) too. */
export interface PoolParticlesOptions extends Omit<ContainerOptions, 'children'> {
  /**
   * The pool whose live slots are drawn. Its capacity must be fixed (`maxCapacity` equal to
   * `capacity`): the column textures are sized once, and WebGL refuses to upload from views
   * over a growable pool's resizable `ArrayBuffer`s.
   */
  pool: StructPool<Schema>;
  /** Which field (or constant) gives each attribute; see {@link ParticleAttributes}. */
  attributes: ParticleAttributes;
  /** The atlas texture, and the frame drawn when `frames` is not given. Default `Texture.WHITE`. */
  texture?: Texture;
  /**
   * The atlas frames the `frame` attribute indexes, all on `texture`'s source (a sprite
   * sheet's textures, for example). Default `[texture]`.
   */
  frames?: readonly Texture[];
  /** Point of the frame placed at the particle's position, as a fraction of its size. Default 0.5 (centre). */
  anchor?: number | { x: number; y: number };
  /**
   * How the live instances are uploaded each frame (see {@link PoolParticles}, "Cost per
   * frame"): `'auto'` (default) the slot range while it is dense, else the packed copy;
   * `'range'` always the slot range (no gather pass, no packed copy in memory); `'packed'`
   * always the packed copy.
   */
  upload?: PoolParticlesUpload;
}

/** What the latest draw did (updated in place each frame; for benchmarks and overlays). */
export interface PoolParticlesFrameStats {
  /** Quads drawn: the pool's live count. */
  drawn: number;
  /**
   * Bytes uploaded to the GPU: with the range upload, the span's slots times the mapped
   * columns' bytes per slot plus 4 per live particle (`dense`); with the packed upload, the live
   * count times the bytes per slot.
   */
  uploadedBytes: number;
  /** First slot of the span that holds the live particles. */
  rangeStart: number;
  /** One past the last slot of that span. */
  rangeEnd: number;
  /** Whether the frame used the packed upload (the live values gathered) rather than the range. */
  packed: boolean;
}

/** Floats per frame in the frame table. */
const FRAME_FLOATS = 8;
/** Index of the anchor in the uniform record. */
const ANCHOR_AT = 13;
/** Index of the colour in the uniform record. */
const COLOR_AT = 9;

/**
 * Draws the live slots of a `StructPool` as textured quads: add it to any Pixi v8 stage.
 *
 * ```ts
 * const pool = new StructPool({ x: 'f32', y: 'f32', angle: 'f32', color: 'u32' }, { capacity: 10_000 });
 * const sparks = new PoolParticles({
 *   pool,
 *   texture: sparkTexture,
 *   attributes: { x: 'x', y: 'y', rotation: 'angle', tint: 'color', scale: 0.5 },
 *   blendMode: 'add',
 * });
 * app.stage.addChild(sparks);
 * // each frame: write the columns; the next render uploads and draws the live slots
 * ```
 *
 * **How it draws.** Each render uploads the live particles' column values into data textures
 * (partial `texSubImage2D` uploads with a source offset: no new view, no subarray), then issues
 * one `drawArrays(TRIANGLES, 0, 6 * live)` whose vertex shader fetches each quad's values
 * (`particle-shader.ts`). Two uploads, chosen per frame by `upload` (default `'auto'`):
 * - *range*: straight from the pool's typed arrays, every mapped column over the span of slots
 *   `[rangeStart, rangeEnd)` that holds the live particles, plus `dense[0, live)`; the shader
 *   finds each particle's slot in `dense`. Used while the span is dense (at most one slot in
 *   nine free).
 * - *packed*: the live slots' values gathered in ascending slot order into preallocated
 *   copies of the mapped columns, and `live` elements of each uploaded. Used when the span is
 *   sparse, as it is under the pool's FIFO slot reuse, which spreads the live slots over the
 *   whole capacity.
 *
 * Free slots are never drawn. Quads are drawn in `dense` order on a range frame, which a `free`
 * reorders (swap-remove), and in slot order on a packed frame: with non-additive blending,
 * overlapping particles can swap depth when one of them is freed or the upload switches.
 *
 * **Cost per frame** ({@link PoolParticles.lastFrame}). CPU: one pass over `dense[0, live)`
 * (integer min/max) and O(columns) WebGL calls, plus on a packed frame a bitmap sort of the
 * live slots (O(live + span / 32)) and one gather pass per mapped column (O(live));
 * allocation-free (a test counts it). GPU upload: range
 * `(rangeEnd - rangeStart) * bytesPerSlot + 4 * live` bytes, packed `live * bytesPerSlot`
 * bytes; so `'auto'` uploads at most `live * (1.125 * bytesPerSlot + 4)` bytes, however the
 * live slots are spread. Memory: the packed copy holds `capacity * (bytesPerSlot + 4.125)`
 * bytes (not made with `upload: 'range'`). Figures: `bench/README.md`.
 *
 * **Support.** Pixi's WebGL renderer on a WebGL2 context (every current browser; on software
 * WebGL too). Not the WebGPU or canvas renderers: rendering there throws an Error saying so.
 * Pool field kinds: any but `f64` (see {@link ParticleAttributes}). Not drawn: texture frames
 * with `rotate` (packed-rotated atlas entries) are refused; a trimmed frame is drawn at its
 * trimmed size, anchored on the trimmed rectangle. Pixi's `roundPixels` is not applied.
 * The container's own transform, alpha, tint, blend mode and visibility apply as on any Pixi
 * object; bounds are empty (set `boundsArea` for culling or hit tests).
 */
export class PoolParticles extends RenderContainer {
  /** The pool drawn. */
  readonly pool: StructPool<Schema>;
  /** The checked attribute mapping. */
  readonly attributes: ResolvedAttributes;
  /** What the latest draw did; updated in place. */
  readonly lastFrame: PoolParticlesFrameStats = {
    drawn: 0,
    uploadedBytes: 0,
    rangeStart: 0,
    rangeEnd: 0,
    packed: false,
  };

  private _texture: Texture;
  private _frames: readonly Texture[];
  private readonly columnArrays: readonly ColumnArray[];
  private _upload: PoolParticlesUpload = 'auto';
  /** The packed copies (made when the upload mode first allows packing). */
  private packedInstances: PackedInstances | null = null;
  private frameTable: Float32Array<ArrayBuffer>;
  private framesDirty = true;
  private readonly uniforms = new Float32Array(UNIFORM_FLOATS);
  /** Whether `uniforms` holds a transform from an ordinary render (needed by `renderDirect`). */
  private hasTransform = false;
  private readonly mvp = new Matrix();
  private readonly drawState = State.for2d();
  private readonly guard = new GlBindingGuard(16);
  private gpu: ParticleGpu | null = null;
  private gpuRenderer: WebGLRenderer | null = null;
  private readonly onFrameUpdate = (): void => {
    this.framesDirty = true;
  };

  /**
   * Checks the pool and the mapping; creates no GL object yet (that happens at the first render,
   * on the renderer's context). O(fields + frames).
   *
   * @throws TypeError for a missing or wrong option type (`pool` not a StructPool, a bad
   *   attribute mapping, frames that are not Textures on one source).
   * @throws RangeError for a growable pool, an unknown field, a constant out of range, a bad
   *   anchor, an empty `frames` list, a rotated atlas frame, or an unknown `upload` mode.
   */
  constructor(options: PoolParticlesOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`PoolParticles options must be an object, got ${describeValue(options)}`);
    }
    const { pool, attributes, texture, frames, anchor, upload, ...containerOptions } = options;
    super({ label: 'PoolParticles', ...containerOptions });
    if (!(pool instanceof StructPool)) {
      throw new TypeError(`options.pool must be a StructPool, got ${describeValue(pool)}`);
    }
    if (pool.capacity !== pool.maxCapacity) {
      throw new RangeError(
        `options.pool must have a fixed capacity (maxCapacity equal to capacity), got capacity ${pool.capacity} and maxCapacity ${pool.maxCapacity}: the column textures are sized once, and WebGL cannot upload from a growable pool's resizable buffers`,
      );
    }
    this.pool = pool;
    this.attributes = resolveParticleAttributes(pool.layout, attributes);
    const fields = pool.fields as Record<string, ColumnArray>;
    this.columnArrays = this.attributes.columns.map((c) => fields[c.field]);
    if (texture !== undefined && !(texture instanceof Texture)) {
      throw new TypeError(`options.texture must be a Pixi Texture, got ${describeValue(texture)}`);
    }
    this._texture = texture ?? Texture.WHITE;
    this._frames = [];
    this.frameTable = new Float32Array(0);
    this.setAnchor(anchor ?? 0.5);
    this.frames = frames ?? [this._texture];
    this.upload = upload ?? 'auto';
  }

  /**
   * How the live instances are uploaded (see {@link PoolParticlesOptions.upload}). Setting
   * `'auto'` or `'packed'` the first time allocates the packed copy (`capacity * (bytesPerSlot
   * + 4.125)` bytes). O(1), or O(capacity) that first time.
   *
   * @throws RangeError for a value other than `'auto'`, `'range'` or `'packed'`.
   */
  get upload(): PoolParticlesUpload {
    return this._upload;
  }

  set upload(value: PoolParticlesUpload) {
    if (!UPLOAD_MODES.includes(value)) {
      throw new RangeError(`upload must be one of ${UPLOAD_MODES.join(', ')}, got ${describeValue(value)}`);
    }
    if (value !== 'range' && this.packedInstances === null) {
      this.packedInstances = new PackedInstances(
        this.columnArrays,
        this.attributes.columns.map((c) => c.components),
        this.pool.capacity,
      );
    }
    this._upload = value;
  }

  /** The atlas texture (its source is sampled; it is also the default single frame). */
  get texture(): Texture {
    return this._texture;
  }

  /**
   * The frames the `frame` attribute indexes. Setting it checks them (Textures on one source,
   * none rotated) and re-uploads the frame table at the next render; O(frames).
   *
   * @throws TypeError / RangeError as the constructor does for `frames`.
   */
  get frames(): readonly Texture[] {
    return this._frames;
  }

  set frames(value: readonly Texture[]) {
    if (!Array.isArray(value)) throw new TypeError(`frames must be an array of Textures, got ${describeValue(value)}`);
    if (value.length === 0) throw new RangeError('frames must hold at least one Texture, got an empty array');
    const source = value[0]?.source;
    value.forEach((t, i) => {
      if (!(t instanceof Texture)) throw new TypeError(`frames[${i}] must be a Pixi Texture, got ${describeValue(t)}`);
      if (t.source !== source) {
        throw new RangeError(`frames[${i}] is on another texture source: every frame must be on frames[0]'s atlas`);
      }
      if (t.rotate !== 0) {
        throw new RangeError(`frames[${i}] is a rotated atlas entry (rotate ${t.rotate}): not supported`);
      }
    });
    for (const t of this._frames) t.off('update', this.onFrameUpdate);
    for (const t of value) t.on('update', this.onFrameUpdate);
    this._frames = [...value];
    this._texture = value[0];
    this.frameTable = new Float32Array(value.length * FRAME_FLOATS);
    this.framesDirty = true;
  }

  /** The anchor, as a fraction of the frame's size (0.5, 0.5 is the centre). */
  get anchorX(): number {
    return this.uniforms[ANCHOR_AT];
  }
  get anchorY(): number {
    return this.uniforms[ANCHOR_AT + 1];
  }

  /**
   * Sets the anchor: one number for both axes, or `{ x, y }`. O(1).
   *
   * @throws TypeError / RangeError for a value that is not a finite number (or such a pair).
   */
  setAnchor(anchor: number | { x: number; y: number }): void {
    const pair = typeof anchor === 'number' ? { x: anchor, y: anchor } : anchor;
    if (pair === null || typeof pair !== 'object' || typeof pair.x !== 'number' || typeof pair.y !== 'number') {
      throw new TypeError(`anchor must be a number or { x, y } of numbers, got ${describeValue(anchor)}`);
    }
    if (!Number.isFinite(pair.x) || !Number.isFinite(pair.y)) {
      throw new RangeError(`anchor must be finite, got x ${pair.x}, y ${pair.y}`);
    }
    this.uniforms[ANCHOR_AT] = pair.x;
    this.uniforms[ANCHOR_AT + 1] = pair.y;
  }

  /**
   * Called by Pixi's render (the `customRender` pipe) in scene order: takes the transform and
   * colour of this point in the scene, uploads the live range and draws. Allocation-free after
   * the first call (which compiles the program and creates the textures).
   *
   * @throws Error when the renderer is not Pixi's WebGL renderer on a WebGL2 context.
   */
  override render(renderer: Renderer): void {
    const gpu = this.gpuFor(renderer);
    const global = renderer.globalUniforms.globalUniformData;
    const mvp = this.mvp;
    mvp.copyFrom(global.worldTransformMatrix);
    mvp.tx -= global.offset.x;
    mvp.ty -= global.offset.y;
    mvp.append(this.groupTransform);
    mvp.prepend(global.projectionMatrix);
    const u = this.uniforms;
    u[0] = mvp.a;
    u[1] = mvp.b;
    u[2] = 0;
    u[3] = mvp.c;
    u[4] = mvp.d;
    u[5] = 0;
    u[6] = mvp.tx;
    u[7] = mvp.ty;
    u[8] = 1;
    this.writeColor(global.worldColor);
    this.hasTransform = true;
    this.drawLive(renderer as WebGLRenderer, gpu);
  }

  /**
   * Draws again with the transform and colour of the latest ordinary render, straight into the
   * framebuffer bound now, without Pixi's scene machinery: for frames in which nothing but the
   * pool changed (see `CachedStageRenderer`). Allocation-free.
   *
   * @throws Error before the first ordinary render (no transform yet) or on a renderer
   *   {@link PoolParticles.render} refuses.
   */
  renderDirect(renderer: Renderer): void {
    const gpu = this.gpuFor(renderer);
    if (!this.hasTransform) {
      throw new Error(
        'PoolParticles.renderDirect needs the transform of one ordinary render first: render the stage once',
      );
    }
    this.drawLive(renderer as WebGLRenderer, gpu);
  }

  /** The premultiplied product of the scene's colour and this object's, into the uniform record. */
  private writeColor(worldColor: number): void {
    const own = this.groupColorAlpha;
    const u = this.uniforms;
    const alpha = (((worldColor >>> 24) & 255) * ((own >>> 24) & 255)) / 65025;
    u[COLOR_AT] = (((worldColor & 255) * (own & 255)) / 65025) * alpha;
    u[COLOR_AT + 1] = ((((worldColor >>> 8) & 255) * ((own >>> 8) & 255)) / 65025) * alpha;
    u[COLOR_AT + 2] = ((((worldColor >>> 16) & 255) * ((own >>> 16) & 255)) / 65025) * alpha;
    u[COLOR_AT + 3] = alpha;
  }

  /** Uploads the live range and draws it. Allocation-free. */
  private drawLive(renderer: WebGLRenderer, gpu: ParticleGpu): void {
    const pool = this.pool;
    const live = pool.size;
    const stats = this.lastFrame;
    stats.drawn = live;
    if (live === 0) {
      stats.uploadedBytes = 0;
      stats.rangeStart = 0;
      stats.rangeEnd = 0;
      stats.packed = false;
      return;
    }
    const dense = pool.dense;
    let lo = dense[0];
    let hi = lo;
    for (let i = 1; i < live; i++) {
      const s = dense[i];
      if (s < lo) lo = s;
      else if (s > hi) hi = s;
    }
    hi += 1;
    const mode = this._upload;
    const packed = this.packedInstances;
    const pack = packed !== null && (mode === 'packed' || (mode === 'auto' && !rangeIsDense(live, lo, hi)));
    const bytesPerSlot = this.attributes.bytesPerSlot;
    stats.rangeStart = lo;
    stats.rangeEnd = hi;
    stats.packed = pack;
    stats.uploadedBytes = pack ? live * bytesPerSlot : (hi - lo) * bytesPerSlot + 4 * live;

    const state = this.drawState;
    state.blendMode = getAdjustedBlendModeBlend(this.groupBlendMode, this._texture.source);
    renderer.state.set(state);
    // Through Pixi, so its texture cache and upload of the atlas stay its own (unit 0).
    renderer.texture.bind(this._texture, 0);
    const gl = gpu.gl;
    const guard = this.guard;
    guard.save(gl, gpu.firstUnit, gpu.unitCount);
    if (this.framesDirty) this.uploadFrames(gpu);
    if (pack) {
      packed.gather(dense, live, lo, hi);
      gpu.uploadPacked(packed.arrays, live);
    } else gpu.upload(this.columnArrays, dense, live, lo, hi);
    gpu.draw(this.uniforms, this._frames.length, live, pack);
    guard.restore(gl, gpu.unitCount);
  }

  /** Writes the frame table from the frames' uvs and sizes and uploads it. O(frames). */
  private uploadFrames(gpu: ParticleGpu): void {
    const table = this.frameTable;
    const frames = this._frames;
    for (let i = 0; i < frames.length; i++) {
      const t = frames[i];
      const uvs = t.uvs;
      const k = i * FRAME_FLOATS;
      table[k] = uvs.x0;
      table[k + 1] = uvs.y0;
      table[k + 2] = uvs.x2;
      table[k + 3] = uvs.y2;
      table[k + 4] = t.frame.width;
      table[k + 5] = t.frame.height;
    }
    gpu.setFrames(table, frames.length);
    this.framesDirty = false;
  }

  /** The GL objects for `renderer`, created on first use (and again after a context change). */
  private gpuFor(renderer: Renderer): ParticleGpu {
    if (this.gpu !== null && this.gpuRenderer === renderer && this.gpu.gl === (renderer as WebGLRenderer).gl) {
      return this.gpu;
    }
    if (renderer.type !== RendererType.WEBGL) {
      throw new Error(
        `PoolParticles draws with Pixi's WebGL renderer (WebGL2); this is the ${renderer.name} renderer: create the Application with preference: 'webgl'`,
      );
    }
    const webgl = renderer as WebGLRenderer;
    const gl = webgl.gl;
    if (typeof WebGL2RenderingContext === 'undefined' || !(gl instanceof WebGL2RenderingContext)) {
      throw new Error('PoolParticles needs a WebGL2 context (texelFetch and integer textures); this one is WebGL1');
    }
    this.releaseGpu();
    this.gpu = new ParticleGpu(gl, this.attributes, this.pool.capacity);
    this.gpuRenderer = webgl;
    webgl.runners.contextChange.add(this);
    this.framesDirty = true;
    return this.gpu;
  }

  /**
   * Pixi's `contextChange` runner (a lost and restored context): the old GL objects are gone, so
   * they are made again at the next render. Not for users to call.
   */
  contextChange(): void {
    this.gpu = null;
  }

  /** Deletes the GL objects (if the context still has them) and stops listening to the renderer. */
  private releaseGpu(): void {
    if (this.gpuRenderer) this.gpuRenderer.runners.contextChange.remove(this);
    if (this.gpu && !this.gpu.gl.isContextLost()) this.gpu.destroy();
    this.gpu = null;
    this.gpuRenderer = null;
  }

  /** Frees the GL objects and detaches from the frames; the pool and textures are left alone. */
  override destroy(options?: Parameters<RenderContainer['destroy']>[0]): void {
    this.releaseGpu();
    for (const t of this._frames) t.off('update', this.onFrameUpdate);
    super.destroy(options);
  }
}
