/**
 * The page of `npm run bench:pixi -- --draw-methods`: `n` 8-pixel quads drawn every frame with
 * raw WebGL2 in one of three ways, to show what a software rasterizer (SwiftShader, the WebGL of
 * headless Chromium) makes of each:
 *
 * - `instanced`: `drawArraysInstanced(TRIANGLE_STRIP, 0, 4, n)`, the position as a per-instance
 *   attribute (the textbook way);
 * - `points`: `drawArrays(POINTS, 0, n)`, one point sprite per quad;
 * - `pulled`: `drawArrays(TRIANGLES, 0, 6 n)` with no attributes, the vertex shader fetching each
 *   quad's position by `gl_VertexID / 6` from a texture (what `PoolParticles` does).
 *
 * The positions are re-uploaded every frame. Figures: frame intervals (what the rasterizer
 * allows) and the main thread's time per frame.
 *
 * @module
 */

/** What `window.drawMethods.run` returns: frame intervals and main-thread ms per frame. */
export interface DrawMethodFrames {
  intervalsMs: number[];
  cpuMs: number[];
}

declare global {
  interface Window {
    drawMethods?: { ready: boolean; run(frames: number): Promise<DrawMethodFrames> };
  }
}

const params = new URLSearchParams(window.location.search);
const method = params.get('method') ?? 'pulled';
const n = Number(params.get('n') ?? 6000);
const canvas = document.getElementById('c') as HTMLCanvasElement;
const gl = canvas.getContext('webgl2', { antialias: false }) as WebGL2RenderingContext;

function program(vs: string, fs: string): WebGLProgram {
  const p = gl.createProgram() as WebGLProgram;
  for (const [type, source] of [
    [gl.VERTEX_SHADER, vs],
    [gl.FRAGMENT_SHADER, fs],
  ] as const) {
    const s = gl.createShader(type) as WebGLShader;
    gl.shaderSource(s, source);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s) ?? 'compile failed');
    gl.attachShader(p, s);
  }
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p) ?? 'link failed');
  return p;
}

const quadFs = `#version 300 es
precision mediump float;
in vec2 vUv;
out vec4 o;
void main() { float d = length(vUv - 0.5); o = vec4(1.0, 0.6, 0.2, 1.0) * (1.0 - smoothstep(0.3, 0.5, d)); }`;
const pointFs = `#version 300 es
precision mediump float;
out vec4 o;
void main() { float d = length(gl_PointCoord - 0.5); o = vec4(1.0, 0.6, 0.2, 1.0) * (1.0 - smoothstep(0.3, 0.5, d)); }`;
const toClip = 'vec4(p.x / 480.0 - 1.0, 1.0 - p.y / 300.0, 0.0, 1.0)';

const xy = new Float32Array(n * 2);
for (let i = 0; i < n * 2; i += 2) {
  xy[i] = Math.random() * 960;
  xy[i + 1] = Math.random() * 600;
}
const vao = gl.createVertexArray();
gl.bindVertexArray(vao);
let upload: () => void;
let draw: () => void;
if (method === 'pulled') {
  const width = 2048;
  const rows = Math.ceil(n / width);
  const data = new Float32Array(width * rows * 2);
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RG32F, width, rows);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.useProgram(
    program(
      `#version 300 es
uniform highp sampler2D uXy;
out vec2 vUv;
void main() {
  int q = gl_VertexID / 6;
  int c = gl_VertexID - q * 6;
  vec2 unit = vec2((c == 1 || c == 3 || c == 4) ? 1.0 : 0.0, (c == 2 || c == 4 || c == 5) ? 1.0 : 0.0);
  vUv = unit;
  vec2 p = texelFetch(uXy, ivec2(q & ${width - 1}, q >> 11), 0).xy + (unit - 0.5) * 8.0;
  gl_Position = ${toClip};
}`,
      quadFs,
    ),
  );
  upload = () => {
    data.set(xy);
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, rows, gl.RG, gl.FLOAT, data, 0);
  };
  draw = () => gl.drawArrays(gl.TRIANGLES, 0, 6 * n);
} else {
  const buffer = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  gl.bufferData(gl.ARRAY_BUFFER, xy.byteLength, gl.DYNAMIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  const instanced = method === 'instanced';
  if (instanced) gl.vertexAttribDivisor(0, 1);
  gl.useProgram(
    instanced
      ? program(
          `#version 300 es
layout(location = 0) in vec2 aXy;
out vec2 vUv;
void main() {
  vec2 unit = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  vUv = unit;
  vec2 p = aXy + (unit - 0.5) * 8.0;
  gl_Position = ${toClip};
}`,
          quadFs,
        )
      : program(
          `#version 300 es
layout(location = 0) in vec2 aXy;
void main() { vec2 p = aXy; gl_PointSize = 8.0; gl_Position = ${toClip}; }`,
          pointFs,
        ),
  );
  upload = () => gl.bufferSubData(gl.ARRAY_BUFFER, 0, xy, 0, n * 2);
  draw = instanced ? () => gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, n) : () => gl.drawArrays(gl.POINTS, 0, n);
}
gl.enable(gl.BLEND);
gl.blendFunc(gl.ONE, gl.ONE);

window.drawMethods = {
  ready: true,
  run: (frames) =>
    new Promise<DrawMethodFrames>((resolve) => {
      const out: DrawMethodFrames = { intervalsMs: [], cpuMs: [] };
      let last = -1;
      const frame = (t: number) => {
        if (last >= 0) out.intervalsMs.push(t - last);
        last = t;
        const t0 = performance.now();
        for (let i = 0; i < n * 2; i += 2) xy[i] = (xy[i] + 1) % 960;
        gl.clearColor(0, 0, 0, 1);
        gl.clear(gl.COLOR_BUFFER_BIT);
        upload();
        draw();
        out.cpuMs.push(performance.now() - t0);
        if (out.intervalsMs.length < frames) requestAnimationFrame(frame);
        else resolve(out);
      };
      requestAnimationFrame(frame);
    }),
};
