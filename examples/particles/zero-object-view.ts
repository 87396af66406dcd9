/**
 * PixiJS v8 glue of the particle demo's `zero-object` mode: the pooled simulation drawn with no
 * per-particle JS object at all. Browser only (imports pixi.js); WebGL renderer only (the demo
 * asks Pixi for WebGL; there is no WGSL version of the shader).
 *
 * One `Mesh` draws every particle with one draw call (`drawArrays(POINTS, 0, capacity)`): its
 * geometry's vertex attributes are the pool's own typed-array columns, each wrapped once by a Pixi
 * `Buffer` (`column-upload.ts`): position, remaining and initial life, scale, tint. Vertex `i` is
 * pool slot `i`, drawn as one point sprite (`gl_PointSize`, textured through `gl_PointCoord`);
 * all `capacity` slots are drawn.
 *
 * Why points and not an instanced quad: the first version drew one instanced quad per slot
 * (`drawArraysInstanced`, the columns as `instance: true` attributes). SwiftShader, the software
 * WebGL of the headless tests and of `npm run profile`, runs an instanced draw as one draw per
 * instance: measured 100 ms per frame at 6,000 instances, 33 ms at 1,000, 317 ms at 20,000, against
 * 16.7 ms for the pooled mode. A point list is one draw of `capacity` vertices, with the same
 * zero-copy columns. On a hardware GPU either is cheap; points also upload less (no quad corners).
 *
 * The vertex shader does per particle what `PooledParticleView.sync` does in JavaScript: the
 * fade (from `lifeMs / maxLifeMs`, with the same `FADE_START_FRACTION` and
 * `FADED_SIZE_FACTOR`, interpolated into its source), the size, the colour
 * (`vec4(tint.rgb * alpha, alpha)`, as Pixi's particle shader premultiplies it), additive blending.
 * A free slot (`lifeMs == 0`, an invariant of `PooledSimulation`) is moved outside the clip
 * volume with size 0, so it makes no fragment. The picture is the pooled mode's, drawn in slot
 * order instead of `dense` order (additive blending does not depend on order); a point sprite is
 * at least 1 pixel wide (the smallest particle is 1.1 px) and, like the pooled mode's quads, is
 * never rotated.
 *
 * Per frame, `sync` only calls {@link ColumnUpload.upload} (one `Buffer.setDataWithSize` per
 * column, with the column it already holds: the upload happens when Pixi binds the geometry).
 * Nothing in this file runs per particle on the CPU, and nothing here allocates per frame; what
 * Pixi allocates around the draw is measured by `npm run profile`.
 *
 * @module
 */
import { Buffer, BufferUsage, Geometry, GlProgram, Mesh, Shader, type Texture } from 'pixi.js';
import { ColumnUpload } from './column-upload.ts';
import { DOT_TEXTURE_PX, FADED_SIZE_FACTOR, FADE_START_FRACTION, type ParticleView } from './pixi-view.ts';
import type { PooledSimulation } from './pooled-simulation.ts';

/** A number as a GLSL float literal (`0.5`, `8.0`). */
function glslFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/**
 * Vertex shader (GLSL ES 1.00; Pixi adds the version and precision). Uniforms come from Pixi's
 * mesh pipe: `uProjectionMatrix`, `uWorldTransformMatrix` and `uResolution` (the render target
 * in device pixels; global group), `uTransformMatrix` and `uColor` (the mesh's own group).
 * Attribute names follow `COLUMN_ATTRIBUTES`: one vertex per pool slot.
 */
export const ZERO_OBJECT_VERTEX = `
attribute float aX;         // position, px (pool column x)
attribute float aY;         // position, px (pool column y)
attribute float aLifeMs;    // life left, ms; 0 for a free slot (pool column lifeMs)
attribute float aMaxLifeMs; // initial life, ms (pool column maxLifeMs)
attribute float aScale;     // sprite scale (pool column scale)
attribute vec4 aTint;       // 0xBBGGRR as unorm8x4: (r, g, b, 0) (pool column tint)

uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform vec2 uResolution;
uniform mat3 uTransformMatrix;
uniform vec4 uColor;

varying vec4 vColor;

void main(void) {
  if (aLifeMs <= 0.0) {
    // A free slot: outside the clip volume and no size, so it makes no fragment.
    gl_Position = vec4(2.0, 2.0, 0.0, 1.0);
    gl_PointSize = 0.0;
    vColor = vec4(0.0);
    return;
  }
  float lifeFraction = aLifeMs / aMaxLifeMs;
  float fade = lifeFraction > ${glslFloat(FADE_START_FRACTION)} ? 1.0 : lifeFraction / ${glslFloat(FADE_START_FRACTION)};
  float size = aScale * (${glslFloat(FADED_SIZE_FACTOR)} + ${glslFloat(1 - FADED_SIZE_FACTOR)} * fade);
  mat3 mvp = uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix;
  gl_Position = vec4((mvp * vec3(aX, aY, 1.0)).xy, 0.0, 1.0);
  // World px -> device px: clip units per world px (the x axis of mvp) times device px per clip unit.
  gl_PointSize = ${glslFloat(DOT_TEXTURE_PX)} * size * length(mvp[0].xy) * 0.5 * uResolution.x;
  // Alpha quantised to 8 bits as the pooled mode's 0xAABBGGRR colour is; premultiplied.
  float alpha = floor(fade * 255.0) / 255.0;
  vColor = vec4(aTint.rgb * alpha, alpha) * uColor;
}
`;

/** Fragment shader: the dot texture across the point sprite times the particle's premultiplied colour. */
export const ZERO_OBJECT_FRAGMENT = `
varying vec4 vColor;

uniform sampler2D uTexture;

void main(void) {
  gl_FragColor = texture2D(uTexture, gl_PointCoord) * vColor;
}
`;

/** The zero-object mode's view: one point-list `Mesh` over the pool's columns. See the module docs. */
export class ZeroObjectParticleView implements ParticleView {
  /** The mesh to add to the stage once; hidden until {@link ZeroObjectParticleView.activate}. */
  readonly mesh: Mesh<Geometry, Shader>;
  /** The columns and their GPU buffers. */
  readonly upload: ColumnUpload;

  /**
   * Builds the geometry (one vertex buffer per column, wrapping the column itself), the shader and
   * the mesh. Allocates; call once. The GPU buffers are created at the first render that draws
   * the mesh.
   *
   * @param sim - the pooled simulation to draw (its pool never grows, so its columns stay the
   *   same typed arrays).
   * @param texture - the dot texture (`createDotTexture()`), `DOT_TEXTURE_PX` square.
   */
  constructor(sim: PooledSimulation, texture: Texture) {
    const geometry = new Geometry({ topology: 'point-list' });
    this.upload = new ColumnUpload(sim, (column, a) => {
      const buffer = new Buffer({
        data: column, // the pool's column itself: Pixi uploads from it, no copy
        usage: BufferUsage.VERTEX | BufferUsage.COPY_DST,
        label: `zero-object ${a.field}`,
      });
      geometry.addAttribute(a.attribute, { buffer, format: a.format, stride: 4, offset: 0 });
      return buffer;
    });
    const shader = new Shader({
      glProgram: GlProgram.from({
        vertex: ZERO_OBJECT_VERTEX,
        fragment: ZERO_OBJECT_FRAGMENT,
        name: 'zero-object-particles',
      }),
      resources: { uTexture: texture.source, uSampler: texture.source.style },
    });
    const mesh = new Mesh({ geometry, shader, texture });
    mesh.blendMode = 'add';
    mesh.visible = false;
    this.mesh = mesh;
  }

  /** Shows the mesh. */
  activate(): void {
    this.mesh.visible = true;
  }

  /** Hides the mesh. */
  deactivate(): void {
    this.mesh.visible = false;
  }

  /**
   * Marks the pool's columns for upload at the next render: O(columns), allocation-free; no
   * per-particle work (the vertex shader computes fade, size and colour).
   */
  sync(): void {
    this.upload.upload();
  }
}
