/**
 * `CachedStageRenderer`: frames with no garbage at all, for a Pixi stage whose only per-frame
 * change is the contents of its {@link PoolParticles} layers.
 *
 * @module
 */
import { Container, type GlRenderTarget, RenderTexture, type Renderer, type WebGLRenderer } from 'pixi.js';
import { describeValue } from '../errors.js';
import { StructPool } from '../pool/struct-pool.js';
import { PoolParticles } from './pool-particles.js';

/** Options of {@link CachedStageRenderer}. */
export interface CachedStageRendererOptions {
  /** The application's renderer: Pixi's WebGL renderer (WebGL2). */
  renderer: Renderer;
  /** The whole scene, the layers included. */
  stage: Container;
  /**
   * The particle layers drawn every frame, in this order, on top of the rest of the stage (each
   * one a descendant of `stage`). Everything else in the stage is drawn from a cache.
   */
  layers: readonly PoolParticles[];
}

/** Counters of a {@link CachedStageRenderer}. */
export interface CachedStageRendererStats {
  /** Frames that re-rendered the stage with Pixi (the first one, and one after each change). */
  stageRenders: number;
  /** Frames drawn directly: the cache and the layers, without Pixi's scene machinery. */
  directFrames: number;
}

/**
 * Renders a stage so that a frame in which only the layers' pools changed allocates nothing:
 * not in Pixi, not here.
 *
 * Pixi's ordinary `renderer.render(stage)` walks the scene, updates transforms, builds
 * instruction sets and binds render targets, and allocates 1-6 KB a frame doing it (measured:
 * `bench/README.md`), which is what keeps a game's minor GCs coming even when its own code
 * allocates nothing. This renderer runs that machinery only when the scene changed:
 *
 * - **After a change** (the first frame, a canvas resize, or {@link CachedStageRenderer.invalidate}):
 *   renders the stage without the layers into a cache texture the size of the screen, then the
 *   whole stage to the screen as usual (the layers record their transform there).
 * - **Every other frame**: copies the cache to the screen with one `blitFramebuffer` (a raw copy,
 *   no shading; with an antialiased canvas, whose multisampled framebuffer cannot be blitted
 *   into, it clears and draws the cache as one textured quad instead), then draws each layer
 *   with {@link PoolParticles.renderDirect}: the live range of its pool uploaded and drawn on
 *   Pixi's WebGL context, with the transform and colour of the last full render. O(layers)
 *   WebGL calls plus one pass over each pool's dense array; allocation-free.
 *
 * Call {@link CachedStageRenderer.invalidate} after changing anything but the layers' pools:
 * a display object moved, added or restyled, a layer's own transform, alpha, tint, blend mode,
 * visibility or frames, the background colour. Layers are drawn above everything else whatever
 * their place in the stage (put interface elements that must cover them in the DOM, or render
 * normally for that frame). Nothing else may draw to the canvas between frames. Give every
 * layer a blending mode (`normal`, `add`, ...), not `none`: Pixi's state system allocates
 * whenever blending is switched off and on again (PixiJS 8.22 `GlStateSystem` splices an array
 * of checks), which alternating layers would do every frame.
 */
export class CachedStageRenderer {
  readonly renderer: WebGLRenderer;
  readonly stage: Container;
  readonly layers: readonly PoolParticles[];
  readonly stats: CachedStageRendererStats = { stageRenders: 0, directFrames: 0 };
  private readonly cacheTexture: RenderTexture;
  private readonly cacheLayer: PoolParticles;
  private readonly cacheRoot = new Container();
  private readonly wasVisible: boolean[];
  /** The cache's framebuffer, for the copy to the screen (null: draw the cache as a quad). */
  private cacheFramebuffer: WebGLFramebuffer | null = null;
  /** The cache's size in device pixels. */
  private cachePixelWidth = 0;
  private cachePixelHeight = 0;
  private dirty = true;
  private widthPx = -1;
  private heightPx = -1;
  private resolution = -1;

  /**
   * Allocates the cache texture's object (its pixels come at the first frame) and the quad that
   * draws it.
   *
   * @throws TypeError when an option is missing or of the wrong type, or a layer is not a
   *   `PoolParticles`; RangeError when a layer is not inside `stage` or appears twice.
   */
  constructor(options: CachedStageRendererOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`CachedStageRenderer options must be an object, got ${describeValue(options)}`);
    }
    const { renderer, stage, layers } = options;
    if (renderer === null || typeof renderer !== 'object' || typeof (renderer as Renderer).render !== 'function') {
      throw new TypeError(`options.renderer must be a Pixi renderer, got ${describeValue(renderer)}`);
    }
    if (!(stage instanceof Container))
      throw new TypeError(`options.stage must be a Pixi Container, got ${describeValue(stage)}`);
    if (!Array.isArray(layers))
      throw new TypeError(`options.layers must be an array of PoolParticles, got ${describeValue(layers)}`);
    layers.forEach((layer, i) => {
      if (!(layer instanceof PoolParticles)) {
        throw new TypeError(`options.layers[${i}] must be a PoolParticles, got ${describeValue(layer)}`);
      }
      if (layers.indexOf(layer) !== i) throw new RangeError(`options.layers[${i}] is listed twice`);
      let node: Container | null = layer;
      while (node !== null && node !== stage) node = node.parent;
      if (node !== stage)
        throw new RangeError(`options.layers[${i}] is not inside options.stage: add it to the stage first`);
    });
    this.renderer = renderer as WebGLRenderer;
    this.stage = stage;
    this.layers = [...layers];
    this.wasVisible = layers.map(() => true);
    this.cacheTexture = RenderTexture.create({ width: 1, height: 1 });
    const quad = new StructPool({ x: 'f32', y: 'f32' }, { capacity: 1 });
    quad.alloc(); // one quad at (0, 0)
    this.cacheLayer = new PoolParticles({
      pool: quad,
      texture: this.cacheTexture,
      attributes: { x: 'x', y: 'y' },
      anchor: 0,
      label: 'CachedStageRenderer cache',
    });
    this.cacheRoot.addChild(this.cacheLayer);
  }

  /** Marks the scene changed: the next {@link CachedStageRenderer.render} re-renders it with Pixi. O(1). */
  invalidate(): void {
    this.dirty = true;
  }

  /**
   * Draws one frame: directly when nothing changed since the last full render (allocation-free),
   * else a full render that refreshes the cache (allocates, as Pixi's render does).
   */
  render(): void {
    const renderer = this.renderer;
    const screen = renderer.screen;
    if (
      this.dirty ||
      screen.width !== this.widthPx ||
      screen.height !== this.heightPx ||
      renderer.resolution !== this.resolution
    ) {
      this.renderStage();
      return;
    }
    const gl = renderer.gl;
    const framebuffer = this.cacheFramebuffer;
    if (framebuffer !== null) {
      // The screen is bound (the last Pixi render targeted it); read from the cache, copy, and
      // bind the screen for reading again, as Pixi believes it is. Pixi renders a texture upside
      // down relative to the screen's framebuffer, so the copy flips rows (destination y from h
      // down to 0). Clear first: Chromium clears a composited canvas (preserveDrawingBuffer
      // false) lazily at the first draw, clear or read of the next frame, not at a blit, so a
      // copy not preceded by a clear is wiped by that lazy clear at the layers' first draw.
      // A clear here is that clear, done first (one fill either way).
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.bindFramebuffer(gl.READ_FRAMEBUFFER, framebuffer);
      const w = this.cachePixelWidth;
      const h = this.cachePixelHeight;
      gl.blitFramebuffer(0, 0, w, h, 0, h, w, 0, gl.COLOR_BUFFER_BIT, gl.NEAREST);
      gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
    } else {
      // The clear colour is still the background: the last Pixi render to the screen set it.
      gl.clear(gl.COLOR_BUFFER_BIT);
      this.cacheLayer.renderDirect(renderer);
    }
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      if (layer.visible && layer.renderable) layer.renderDirect(renderer);
    }
    this.stats.directFrames++;
  }

  /** Refreshes the cache and renders the stage with Pixi. Allocates. */
  private renderStage(): void {
    const renderer = this.renderer;
    const screen = renderer.screen;
    this.widthPx = screen.width;
    this.heightPx = screen.height;
    this.resolution = renderer.resolution;
    const cache = this.cacheTexture;
    if (
      cache.width !== screen.width ||
      cache.height !== screen.height ||
      cache.source.resolution !== renderer.resolution
    ) {
      cache.source.resize(screen.width, screen.height, renderer.resolution);
    }
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      this.wasVisible[i] = layers[i].visible;
      layers[i].visible = false;
    }
    renderer.render({ container: this.stage, target: cache, clear: true, clearColor: renderer.background.colorRgba });
    for (let i = 0; i < layers.length; i++) layers[i].visible = this.wasVisible[i];
    const gl = renderer.gl;
    const gpuTarget = renderer.renderTarget.getGpuRenderTarget(
      renderer.renderTarget.getRenderTarget(cache),
    ) as GlRenderTarget;
    const canBlit =
      !gl.getContextAttributes()?.antialias &&
      cache.source.pixelWidth === gl.drawingBufferWidth &&
      cache.source.pixelHeight === gl.drawingBufferHeight;
    this.cacheFramebuffer = canBlit
      ? gpuTarget.msaa
        ? gpuTarget.resolveTargetFramebuffer
        : gpuTarget.framebuffer
      : null;
    this.cachePixelWidth = cache.source.pixelWidth;
    this.cachePixelHeight = cache.source.pixelHeight;
    // The cache quad first (records its transform for the screen), then the whole stage over it
    // (records the layers' transforms): the frame shown is Pixi's own.
    renderer.render({ container: this.cacheRoot });
    renderer.render({ container: this.stage });
    this.dirty = false;
    this.stats.stageRenders++;
  }

  /** Frees the cache texture and the quad's GL objects; the stage and layers are left alone. */
  destroy(): void {
    this.cacheLayer.destroy();
    this.cacheRoot.destroy();
    this.cacheTexture.destroy(true);
  }
}
