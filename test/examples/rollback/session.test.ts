/**
 * The rollback example in Node: the world is deterministic (two worlds fed the same inputs stay
 * byte-identical), two peers with inputs delayed 1-8 frames roll back at every depth up to 8 and
 * agree on the checksum of every final frame, a peer that gets one frame wrong is caught at that
 * frame, and the prediction barrier holds rollbacks to 8 frames.
 */
import { describe, expect, it } from 'vitest';
import { checksum32, saveSnapshot } from 'steadyheap';
import { MAX_ROLLBACK_FRAMES, TwoPeerSession } from '../../../examples/rollback/session.ts';
import { createWorld, step } from '../../../examples/rollback/world.ts';

describe('rollback example', () => {
  it('the world is deterministic: equal inputs give equal bytes, different inputs differ', () => {
    const a = createWorld(2000, 5);
    const b = createWorld(2000, 5);
    for (let f = 0; f < 200; f++) {
      step(a, f & 31, (f >> 2) & 31);
      step(b, f & 31, (f >> 2) & 31);
    }
    expect(checksum32(saveSnapshot(a.structures))).toBe(checksum32(saveSnapshot(b.structures)));
    expect(a.entities.stats().freeCount).toBeGreaterThan(0); // entities expired and respawned
    step(a, 1, 0);
    step(b, 2, 0);
    expect(checksum32(saveSnapshot(a.structures))).not.toBe(checksum32(saveSnapshot(b.structures)));
  });

  it('two peers roll back up to 8 frames and agree on every final frame', () => {
    const session = new TwoPeerSession({ entities: 2000, seed: 11 });
    while (Math.min(session.peers[0].frame, session.peers[1].frame) < 400) session.runTick();
    expect(session.desyncs).toBe(0);
    expect(session.compared).toBeGreaterThan(380);
    for (const peer of session.peers) {
      expect(peer.rollbacks).toBeGreaterThan(10);
      expect(peer.rollbacksByDepth[0]).toBe(0);
      expect(Math.max(...Array.from(peer.rollbacksByDepth.keys()).filter((d) => peer.rollbacksByDepth[d] > 0))).toBe(
        MAX_ROLLBACK_FRAMES,
      );
      peer.world.entities.check();
    }
    // The peers' final states are the same bytes: compare the newest frame both have final.
    const f = session.compared - 1;
    expect(session.peers[0].checksumOf(f)).toBe(session.peers[1].checksumOf(f));
  });

  it('a peer that simulates one frame wrong is caught at the next final frame', () => {
    const session = new TwoPeerSession({ entities: 2000, seed: 11, desyncAt: 150 });
    while (session.desyncs === 0 && session.tick < 400) session.runTick();
    expect(session.firstDesync).toBe(151);
  });

  it('with no latency there is nothing to roll back', () => {
    const session = new TwoPeerSession({ entities: 500, seed: 2, minLatency: 0, maxLatency: 0 });
    for (let i = 0; i < 100; i++) session.runTick();
    expect(session.peers[0].rollbacks + session.peers[1].rollbacks).toBe(0);
    expect(session.desyncs).toBe(0);
  });
});
