/**
 * Every library in the ECS table, in row order (steadyheap first). Each is loaded only in the
 * process that runs it (koota, for one, patches `Number.prototype` when imported).
 */
import { WORKLOADS, type LibraryAdapter, type Workload } from '../workloads.ts';

export const LIBRARY_IDS = [
  'steadyheap',
  'steadyheap-parked',
  'piecs',
  'wolf-ecs',
  'goodluck',
  'bitecs-0.4',
  'bitecs-0.3',
  'becsy',
  'miniplex',
  'elics',
  'koota',
] as const;

/** Workloads each library runs (every adapter runs all five but the parked row). */
export function workloadsOf(id: string): readonly Workload[] {
  return id === 'steadyheap-parked' ? ['entity_cycle'] : WORKLOADS;
}

/** Loads the adapter of library `id`. */
export async function loadLibrary(id: string): Promise<LibraryAdapter> {
  switch (id) {
    case 'steadyheap':
      return (await import('./steadyheap.ts')).steadyheap;
    case 'steadyheap-parked':
      return (await import('./steadyheap.ts')).steadyheapParked;
    case 'piecs':
      return (await import('./piecs.ts')).piecs;
    case 'wolf-ecs':
      return (await import('./wolf-ecs.ts')).wolfEcs;
    case 'goodluck':
      return (await import('./goodluck.ts')).goodluck;
    case 'bitecs-0.4':
      return (await import('./bitecs-0.4.ts')).bitecs04;
    case 'bitecs-0.3':
      return (await import('./bitecs-0.3.ts')).bitecs03;
    case 'becsy':
      return (await import('./becsy.ts')).becsy;
    case 'miniplex':
      return (await import('./miniplex.ts')).miniplex;
    case 'elics':
      return (await import('./elics.ts')).elics;
    case 'koota':
      return (await import('./koota.ts')).koota;
    default:
      throw new RangeError(`unknown library ${JSON.stringify(id)}; known: ${LIBRARY_IDS.join(', ')}`);
  }
}
