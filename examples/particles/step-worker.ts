/**
 * The particle demo's step worker in the browser (`?workers=N`): a module worker that receives
 * `{ pool, team }` (descriptors from `pool.share()` and `team.share()`) and serves the team's
 * steps (`particle-step.ts`) until the page closes it.
 *
 * @module
 */
import { serveParticleSteps } from './particle-step.ts';

self.onmessage = (event: MessageEvent) => {
  serveParticleSteps(event.data.pool, event.data.team);
  self.close();
};
