/**
 * Saving and restoring the WebGL bindings a raw draw changes, so that PixiJS's caches of GL
 * state stay true. PixiJS skips a `useProgram`, `bindVertexArray`, `activeTexture` or
 * `bindTexture` it believes already done; a draw that changes them behind its back and leaves
 * them changed would make Pixi's next draw use the wrong program or texture. Everything saved
 * here is state the browser tracks on its side of the WebGL binding (`getParameter` answers
 * without a round trip to the GPU process and returns an existing object or a small integer), so
 * saving and restoring allocates nothing.
 *
 * Blending, depth and culling are not saved here: the renderer sets them through Pixi's own state
 * system (`renderer.state.set`), which keeps its cache in step.
 *
 * @module
 */

/** Bindings saved by {@link GlBindingGuard.save}; see the module docs. */
export class GlBindingGuard {
  private program: WebGLProgram | null = null;
  private vertexArray: WebGLVertexArrayObject | null = null;
  private activeTexture = 0;
  private premultiplyAlpha = false;
  private flipY = false;
  private readonly textures: (WebGLTexture | null)[];
  private firstUnit = 0;

  /** @param maxUnits - most texture units one save covers (preallocates their slots). */
  constructor(maxUnits: number) {
    this.textures = new Array<WebGLTexture | null>(maxUnits).fill(null);
  }

  /**
   * Records the current program, vertex array, active texture unit, the unpack flags of texture
   * uploads, and the 2D texture bound on each unit in `[firstUnit, firstUnit + unitCount)`.
   * O(unitCount), allocation-free.
   */
  save(gl: WebGL2RenderingContext, firstUnit: number, unitCount: number): void {
    this.program = gl.getParameter(gl.CURRENT_PROGRAM) as WebGLProgram | null;
    this.vertexArray = gl.getParameter(gl.VERTEX_ARRAY_BINDING) as WebGLVertexArrayObject | null;
    this.activeTexture = gl.getParameter(gl.ACTIVE_TEXTURE) as number;
    this.premultiplyAlpha = gl.getParameter(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL) as boolean;
    this.flipY = gl.getParameter(gl.UNPACK_FLIP_Y_WEBGL) as boolean;
    this.firstUnit = firstUnit;
    const textures = this.textures;
    for (let i = 0; i < unitCount; i++) {
      gl.activeTexture(gl.TEXTURE0 + firstUnit + i);
      textures[i] = gl.getParameter(gl.TEXTURE_BINDING_2D) as WebGLTexture | null;
    }
    // Typed-array uploads must not be flipped or premultiplied (Pixi sets premultiply for images).
    if (this.premultiplyAlpha) gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    if (this.flipY) gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
  }

  /** Puts back what {@link GlBindingGuard.save} recorded. O(unitCount), allocation-free. */
  restore(gl: WebGL2RenderingContext, unitCount: number): void {
    const textures = this.textures;
    for (let i = 0; i < unitCount; i++) {
      gl.activeTexture(gl.TEXTURE0 + this.firstUnit + i);
      gl.bindTexture(gl.TEXTURE_2D, textures[i]);
      textures[i] = null;
    }
    gl.activeTexture(this.activeTexture);
    gl.bindVertexArray(this.vertexArray);
    gl.useProgram(this.program);
    if (this.premultiplyAlpha) gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    if (this.flipY) gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, true);
    this.program = null;
    this.vertexArray = null;
  }
}
