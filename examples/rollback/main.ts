/**
 * The rollback demo page: the two peers of a {@link TwoPeerSession} side by side, one session
 * tick per animation frame, and a timeline that shows every rollback as it happens (a bar per
 * frame, as tall as the rollback was deep: peer 0 above, peer 1 below) and the checksum
 * comparison of every final frame (the line under it: green equal, red a desync).
 *
 * @module
 */
import { MAX_ROLLBACK_FRAMES, TwoPeerSession, type RollbackPeer } from './session.ts';
import { WORLD_HEIGHT, WORLD_WIDTH } from './world.ts';
import type {} from './page-contract.ts';

const ENTITIES = 10_000;
/** Frames the timeline shows. */
const TIMELINE_FRAMES = 240;
/** Frames before the slowest rollback counts (the JIT warms up first). */
const WARM_UP_FRAMES = 120;
/** Background, entity and attractor colours; ImageData words are ABGR on little-endian hosts. */
const BACKGROUND = 0xff140f0b;
const ENTITY = 0xffe0d0a8;
const PLAYER_COLOURS = ['#4aa3ff', '#ff9f43'];

function element<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page lacks #${id}`);
  return e as T;
}

const canvases = [element<HTMLCanvasElement>('peer0'), element<HTMLCanvasElement>('peer1')];
const contexts = canvases.map((c) => {
  const ctx = c.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas');
  return ctx;
});
const images = contexts.map((ctx) => ctx.createImageData(WORLD_WIDTH, WORLD_HEIGHT));
const pixels = images.map((image) => new Uint32Array(image.data.buffer));
const timeline = element<HTMLCanvasElement>('timeline');
const timelineContext = timeline.getContext('2d')!;
const hud = element<HTMLDivElement>('hud');
const log = element<HTMLDivElement>('log');
const latency = element<HTMLInputElement>('latency');
const latencyValue = element<HTMLSpanElement>('latencyValue');

let session = new TwoPeerSession({ entities: ENTITIES, seed: 1, maxLatency: Number(latency.value) });
/** Per timeline frame: rollback depth seen on each peer, and the checksum verdict (0 none, 1 equal, 2 differ). */
const depths = [new Uint8Array(TIMELINE_FRAMES), new Uint8Array(TIMELINE_FRAMES)];
const verdicts = new Uint8Array(TIMELINE_FRAMES);
const seenRollbacks = [0, 0];
let compared = 0;
let slowestMs = 0;
const events: string[] = [];

function restart(): void {
  session = new TwoPeerSession({ entities: ENTITIES, seed: 1, maxLatency: Number(latency.value) });
  for (const d of depths) d.fill(0);
  verdicts.fill(0);
  seenRollbacks.fill(0);
  compared = 0;
  slowestMs = 0;
  events.length = 0;
}

latency.addEventListener('input', () => {
  latencyValue.textContent = latency.value;
  restart();
});
element<HTMLButtonElement>('desync').addEventListener('click', () => {
  const peer = session.peers[1];
  peer.perturbAt = peer.frame + 1;
  events.unshift(`frame ${peer.frame + 1}: peer 1 will simulate this frame slightly wrong (a deliberate desync)`);
});

function drawPeer(p: number, peer: RollbackPeer): void {
  const px = pixels[p];
  px.fill(BACKGROUND);
  const { x, y } = peer.world.entities.fields;
  const dense = peer.world.entities.dense;
  for (let i = peer.world.entities.size - 1; i >= 0; i--) {
    const s = dense[i];
    const cx = x[s] | 0;
    const cy = y[s] | 0;
    if (cx >= 0 && cx < WORLD_WIDTH && cy >= 0 && cy < WORLD_HEIGHT) px[cy * WORLD_WIDTH + cx] = ENTITY;
  }
  const ctx = contexts[p];
  ctx.putImageData(images[p], 0, 0);
  const players = peer.world.players;
  for (let k = 0; k < 2; k++) {
    ctx.beginPath();
    ctx.arc(players[k * 2], players[k * 2 + 1], 9, 0, Math.PI * 2);
    ctx.strokeStyle = PLAYER_COLOURS[k];
    ctx.lineWidth = 3;
    ctx.stroke();
  }
  ctx.fillStyle = 'rgba(11, 15, 20, 0.85)';
  ctx.fillRect(0, 0, 96, 24);
  ctx.fillStyle = '#c8d3de';
  ctx.font = '13px system-ui';
  ctx.fillText(`frame ${peer.frame}`, 8, 17);
}

function drawTimeline(frame: number): void {
  const ctx = timelineContext;
  const w = timeline.width;
  const h = timeline.height;
  const column = w / TIMELINE_FRAMES;
  const half = (h - 12) / 2;
  ctx.fillStyle = '#0b0f14';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#26303a';
  ctx.fillRect(0, half, w, 1);
  for (let i = 0; i < TIMELINE_FRAMES; i++) {
    const f = frame - TIMELINE_FRAMES + 1 + i;
    if (f < 0) continue;
    const slot = f % TIMELINE_FRAMES;
    const x = i * column;
    for (let p = 0; p < 2; p++) {
      const d = depths[p][slot];
      if (d === 0) continue;
      const bar = (d / MAX_ROLLBACK_FRAMES) * (half - 2);
      ctx.fillStyle = PLAYER_COLOURS[p];
      ctx.fillRect(x, p === 0 ? half - bar : half + 1, Math.max(1, column - 1), bar);
    }
    const v = verdicts[slot];
    if (v !== 0) {
      ctx.fillStyle = v === 1 ? '#3fae63' : '#ff4d4d';
      ctx.fillRect(x, h - 8, Math.max(1, column - 1), 6);
    }
  }
}

function recordRollbacks(): void {
  for (let p = 0; p < 2; p++) {
    const peer = session.peers[p];
    if (peer.rollbacks === seenRollbacks[p]) continue;
    seenRollbacks[p] = peer.rollbacks;
    const r = peer.lastRollback;
    depths[p][r.atFrame % TIMELINE_FRAMES] = r.depth;
    if (r.atFrame > WARM_UP_FRAMES && r.ms > slowestMs) slowestMs = r.ms;
    events.unshift(
      `frame ${r.atFrame}: peer ${p} rolled back ${r.depth} frame${r.depth > 1 ? 's' : ''} and re-simulated them in ${r.ms.toFixed(2)} ms`,
    );
  }
  for (; compared < session.compared; compared++) {
    const a = session.peers[0].checksumOf(compared);
    const b = session.peers[1].checksumOf(compared);
    verdicts[compared % TIMELINE_FRAMES] = a === b ? 1 : 2;
  }
  // Clear the timeline columns the present moves into.
  const next = (Math.max(session.peers[0].frame, session.peers[1].frame) + 1) % TIMELINE_FRAMES;
  depths[0][next] = 0;
  depths[1][next] = 0;
  verdicts[next] = 0;
  if (events.length > 6) events.length = 6;
}

function frame(): void {
  session.runTick();
  recordRollbacks();
  const [a, b] = session.peers;
  drawPeer(0, a);
  drawPeer(1, b);
  drawTimeline(Math.max(a.frame, b.frame));
  const status =
    session.desyncs === 0
      ? `<span class="ok">checksums equal for all ${session.compared} final frames</span>`
      : `<span class="bad">DESYNC: ${session.desyncs} final frames differ, first frame ${session.firstDesync}</span>`;
  hud.innerHTML =
    `${ENTITIES.toLocaleString('en')} entities per peer · rollbacks: peer 0 ${a.rollbacks}, peer 1 ${b.rollbacks} · ` +
    `slowest ${slowestMs.toFixed(2)} ms (after frame ${WARM_UP_FRAMES})\n${status}`;
  log.textContent = events.join('\n');
  const contract = window.steadyheapRollback;
  contract.ready = true;
  contract.frames = [a.frame, b.frame];
  contract.rollbacks = [a.rollbacks, b.rollbacks];
  let deepest = 0;
  for (const peer of session.peers)
    for (let d = 1; d <= MAX_ROLLBACK_FRAMES; d++) if (peer.rollbacksByDepth[d] > 0 && d > deepest) deepest = d;
  contract.deepest = deepest;
  contract.slowestMs = slowestMs;
  contract.compared = session.compared;
  contract.desyncs = session.desyncs;
  requestAnimationFrame(frame);
}

window.steadyheapRollback = {
  ready: false,
  frames: [0, 0],
  entities: ENTITIES,
  rollbacks: [0, 0],
  deepest: 0,
  slowestMs: 0,
  compared: 0,
  desyncs: 0,
  countLitPixels: () => {
    let lit = 0;
    for (const px of pixels) for (let i = 0; i < px.length; i++) if (px[i] !== BACKGROUND) lit++;
    return lit;
  },
};
requestAnimationFrame(frame);
