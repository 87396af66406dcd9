/**
 * Rollback netcode in the GGPO manner, over a steadyheap `SnapshotRing`, and a simulated network
 * between two peers.
 *
 * Each peer runs the whole game. Every frame it saves its state, takes its own player's input at
 * once and predicts the other player's (a repeat of their last input received), and simulates.
 * When the other player's real input for an earlier frame arrives and differs from what was
 * predicted, the peer restores the state saved at that frame and re-simulates up to the present
 * with the corrected input: a rollback. A peer never runs more than {@link MAX_ROLLBACK_FRAMES}
 * ahead of the last input it has from the other (it waits a frame instead), so a rollback is at
 * most that deep. Once both players' inputs are known up to a frame, that frame's state is final
 * on both peers: they exchange its checksum (`SnapshotRing.checksum`) to detect a desync.
 *
 * Source: T. Cannon, GGPO (https://github.com/pond3r/ggpo), `src/lib/ggpo/sync.cpp` (saved
 * frames, `AdjustSimulation`, the prediction barrier) and its desync detection by checksums.
 *
 * @module
 */
import { SnapshotRing } from 'steadyheap';
import { createWorld, frameOf, next, step, type World } from './world.ts';

/** Deepest rollback: a peer waits rather than predict further ahead than this. */
export const MAX_ROLLBACK_FRAMES = 8;

/** Frames of input and checksum history kept (a power of two, well above the window). */
const HISTORY = 256;

/** What one rollback cost. */
export interface RollbackEvent {
  /** The peer's frame when it rolled back. */
  atFrame: number;
  /** Frames restored and re-simulated (1 .. MAX_ROLLBACK_FRAMES). */
  depth: number;
  /** Wall time of the restore and the re-simulation, in milliseconds. */
  ms: number;
}

/** One peer: its world, its snapshots, both players' inputs, its rollbacks. */
export class RollbackPeer {
  /** This peer's world. */
  readonly world: World;
  /** The last frames of the world, saved at the start of each frame. */
  readonly ring: SnapshotRing;
  /** Which player this peer's local input drives (0 or 1). */
  readonly player: 0 | 1;
  /** Inputs by frame (`frame % HISTORY`) and player (`* 2 + player`). */
  private readonly inputs = new Uint8Array(HISTORY * 2);
  /** The other player's input this peer simulated each frame with (its prediction, or the real one). */
  private readonly used = new Uint8Array(HISTORY);
  /** Frames up to which each player's inputs are known here (exclusive). */
  private readonly known = new Int32Array(2);
  /** Earliest frame whose simulated remote input proved wrong, or -1. */
  private rollbackFrom = -1;
  /** Checksums of final frames: `[frame % HISTORY]`, and which frame each slot holds. */
  readonly checksums = new Uint32Array(HISTORY);
  readonly checksumFrames = new Float64Array(HISTORY).fill(-1);
  /** Frames up to which checksums are taken (exclusive). */
  checksummedTo = 0;
  /** Rollbacks so far; the latest are also in {@link RollbackPeer.lastRollback}. */
  rollbacks = 0;
  /** Rollbacks by depth: `[depth]`. */
  readonly rollbacksByDepth = new Int32Array(MAX_ROLLBACK_FRAMES + 1);
  /** The latest rollback (depth 0 before the first). */
  readonly lastRollback: RollbackEvent = { atFrame: 0, depth: 0, ms: 0 };
  /** Slowest rollback, in ms, and frames waited at the prediction barrier. */
  maxRollbackMs = 0;
  stalls = 0;
  /** Frames simulated, re-simulations included. */
  simulated = 0;
  /**
   * A frame whose simulation this peer gets slightly wrong (one entity moved one unit), as a
   * platform whose floating point differed would; -1 (default) for none. For the desync demo.
   */
  perturbAt = -1;

  /**
   * @param player - the player this peer's local input drives.
   * @param entityCount - entities in the world (both peers must agree).
   * @param seed - the world's seed (both peers must agree).
   */
  constructor(player: 0 | 1, entityCount: number, seed: number) {
    this.player = player;
    this.world = createWorld(entityCount, seed);
    this.ring = new SnapshotRing(this.world.structures, { capacity: 2 * MAX_ROLLBACK_FRAMES + 2 });
  }

  /** The frame this peer simulates next. */
  get frame(): number {
    return frameOf(this.world);
  }

  /** Frames up to which both players' inputs are known here (exclusive): the final frames. */
  get confirmedTo(): number {
    return Math.min(this.known[0], this.known[1]);
  }

  /** True when the peer may simulate its next frame (it is not too far ahead of the other's input). */
  get canAdvance(): boolean {
    return this.frame - this.known[1 - this.player] < MAX_ROLLBACK_FRAMES;
  }

  /** Records this peer's own input for its next frame (call once per frame, before `advance`). */
  setLocalInput(input: number): void {
    const f = this.known[this.player];
    this.inputs[(f % HISTORY) * 2 + this.player] = input;
    this.known[this.player] = f + 1;
  }

  /** The other player's input for `frame`, received: marks a rollback when it was mispredicted. */
  receiveRemoteInput(frame: number, input: number): void {
    const other = 1 - this.player;
    if (frame !== this.known[other])
      throw new Error(`input for frame ${frame} out of order (expected ${this.known[other]})`);
    this.inputs[(frame % HISTORY) * 2 + other] = input;
    this.known[other] = frame + 1;
    if (
      frame < this.frame &&
      this.used[frame % HISTORY] !== input &&
      (this.rollbackFrom < 0 || frame < this.rollbackFrom)
    ) {
      this.rollbackFrom = frame;
    }
  }

  /** The other player's input for `frame`: the real one when known, else the last known repeated. */
  private remoteInput(frame: number): number {
    const other = 1 - this.player;
    const known = this.known[other];
    if (frame < known) return this.inputs[(frame % HISTORY) * 2 + other];
    return known === 0 ? 0 : this.inputs[((known - 1) % HISTORY) * 2 + other];
  }

  /** Saves the state of the next frame, then simulates it. */
  private simulateNext(): void {
    const f = this.frame;
    this.ring.save(f);
    const remote = this.remoteInput(f);
    this.used[f % HISTORY] = remote;
    const local = this.inputs[(f % HISTORY) * 2 + this.player];
    if (this.player === 0) step(this.world, local, remote);
    else step(this.world, remote, local);
    if (f === this.perturbAt) this.world.entities.fields.x[this.world.entities.dense[0]] += 1;
    this.simulated++;
  }

  /**
   * One frame of the session: first any rollback the received inputs call for (restore the
   * frame of the first misprediction, re-simulate to the present), then the checksums of frames
   * that became final, then the next frame unless the peer must wait for the other's input.
   * @returns whether a new frame was simulated.
   */
  advance(): boolean {
    if (this.rollbackFrom >= 0) this.rollBack();
    this.takeChecksums();
    // Wait when too far ahead of the other's input, or when this frame's own input is not set.
    if (!this.canAdvance || this.known[this.player] <= this.frame) {
      this.stalls++;
      return false;
    }
    this.simulateNext();
    return true;
  }

  private rollBack(): void {
    const from = this.rollbackFrom;
    const to = this.frame;
    this.rollbackFrom = -1;
    const start = performance.now();
    this.ring.restore(from);
    while (this.frame < to) this.simulateNext();
    const ms = performance.now() - start;
    const depth = to - from;
    this.rollbacks++;
    this.rollbacksByDepth[depth]++;
    this.lastRollback.atFrame = to;
    this.lastRollback.depth = depth;
    this.lastRollback.ms = ms;
    if (ms > this.maxRollbackMs) this.maxRollbackMs = ms;
  }

  /** Checksums of every frame whose inputs are all known and whose state is saved. */
  private takeChecksums(): void {
    // The state at frame f depends on the inputs of frames < f; it is saved once simulated past.
    const last = Math.min(this.confirmedTo, this.frame - 1);
    for (let f = this.checksummedTo; f <= last; f++) {
      this.checksums[f % HISTORY] = this.ring.checksum(f);
      this.checksumFrames[f % HISTORY] = f;
      this.checksummedTo = f + 1;
    }
  }

  /** The checksum of final frame `frame`, or -1 when not (or no longer) held. */
  checksumOf(frame: number): number {
    return this.checksumFrames[frame % HISTORY] === frame ? this.checksums[frame % HISTORY] : -1;
  }
}

/** A one-way link that delivers each message after a latency of whole frames, in order. */
export class DelayedLink {
  private readonly frames: number[] = [];
  private readonly inputs: number[] = [];
  private readonly due: number[] = [];
  private lastDue = 0;

  /** Sends `input` for `frame` at wall tick `now`, arriving `latency` ticks later (never before an earlier one). */
  send(now: number, frame: number, input: number, latency: number): void {
    this.lastDue = Math.max(this.lastDue, now + latency);
    this.frames.push(frame);
    this.inputs.push(input);
    this.due.push(this.lastDue);
  }

  /** Hands every message due by `now` to `peer`. */
  deliver(now: number, peer: RollbackPeer): void {
    let n = 0;
    while (n < this.due.length && this.due[n] <= now) {
      peer.receiveRemoteInput(this.frames[n], this.inputs[n]);
      n++;
    }
    if (n > 0) {
      this.frames.splice(0, n);
      this.inputs.splice(0, n);
      this.due.splice(0, n);
    }
  }
}

/** Options of {@link TwoPeerSession}. */
export interface SessionOptions {
  /** Entities in each world. Default 10,000. */
  entities?: number;
  /** Seed of the worlds, the bots and the network. Default 1. */
  seed?: number;
  /** Network latency, in frames, drawn per message in [min, max]. Default 1 to 8. */
  minLatency?: number;
  maxLatency?: number;
  /** A frame peer 1 simulates slightly wrong (a deliberate desync, to see it detected), or -1. */
  desyncAt?: number;
}

/**
 * Deterministic bot: holds a random direction (and sometimes the push button) for 3 to 20 frames,
 * then picks another: a function of its own generator state, so both runs of a seed agree.
 */
function botInput(state: Uint32Array): number {
  const r = next(state);
  if (state[1] === 0) {
    state[1] = 3 + (r % 18);
    state[2] = (r >>> 8) & 0b11111;
  }
  state[1]--;
  return state[2];
}

/**
 * Two peers connected by two delayed links, each driven by a bot, stepped one wall tick at a
 * time: the example's whole session, for the Node runner, the browser demo and the tests.
 */
export class TwoPeerSession {
  readonly peers: [RollbackPeer, RollbackPeer];
  private readonly links: [DelayedLink, DelayedLink] = [new DelayedLink(), new DelayedLink()];
  private readonly bots: [Uint32Array, Uint32Array];
  private readonly network: Uint32Array;
  private readonly minLatency: number;
  private readonly maxLatency: number;
  /** Wall ticks run. */
  tick = 0;
  /** Final frames whose checksums both peers took and compared, and how many differed. */
  compared = 0;
  desyncs = 0;
  /** The first frame whose checksums differed, or -1. */
  firstDesync = -1;

  constructor(options: SessionOptions = {}) {
    const seed = options.seed ?? 1;
    const entities = options.entities ?? 10_000;
    this.minLatency = options.minLatency ?? 1;
    this.maxLatency = options.maxLatency ?? MAX_ROLLBACK_FRAMES;
    this.peers = [new RollbackPeer(0, entities, seed), new RollbackPeer(1, entities, seed)];
    this.peers[1].perturbAt = options.desyncAt ?? -1;
    this.bots = [new Uint32Array([seed * 7 + 3, 0, 0]), new Uint32Array([seed * 13 + 5, 0, 0])];
    this.network = new Uint32Array([seed * 31 + 17]);
  }

  /** A latency in [minLatency, maxLatency] frames. */
  private latency(): number {
    return this.minLatency + (next(this.network) % (this.maxLatency - this.minLatency + 1));
  }

  /**
   * One wall tick: each peer that may advance takes its bot's input and sends it; what is due
   * arrives (a latency of 0 arrives at once, 1 by the other peer's next frame, and so on); each
   * peer advances; then the checksums both peers have of final frames are compared.
   */
  runTick(): void {
    const now = this.tick++;
    for (let p = 0; p < 2; p++) {
      const peer = this.peers[p];
      if (!peer.canAdvance) continue;
      const input = botInput(this.bots[p]);
      this.links[p].send(now, peer.frame, input, this.latency());
      peer.setLocalInput(input);
    }
    for (let p = 0; p < 2; p++) this.links[1 - p].deliver(now, this.peers[p]);
    for (let p = 0; p < 2; p++) this.peers[p].advance();
    this.compare();
  }

  /** Compares the checksums of frames final on both peers, once each. */
  private compare(): void {
    const to = Math.min(this.peers[0].checksummedTo, this.peers[1].checksummedTo);
    for (let f = this.compared; f < to; f++) {
      const a = this.peers[0].checksumOf(f);
      const b = this.peers[1].checksumOf(f);
      if (a !== b) {
        this.desyncs++;
        if (this.firstDesync < 0) this.firstDesync = f;
      }
      this.compared = f + 1;
    }
  }
}
