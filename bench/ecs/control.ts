/**
 * Control cells for the bytes column: frames of known allocation, run through the same cell
 * process and measurement as every library.
 *
 * - `control-0`: a frame that allocates nothing (a typed-array sum): must read about 0 B/frame.
 * - `control-1048`: a frame that allocates one `new Array(125)` kept in a module variable: a
 *   JSArray (4 pointer-size fields: 32 bytes) and its FixedArray backing store (16-byte header plus
 *   125 x 8-byte slots: 1,016 bytes), 1,048 bytes on 64-bit V8 without pointer compression (Node's
 *   default). About 1,000 scavenges per second at the default young generation, so the
 *   freed-bytes correction is exercised hard.
 */
import type { Cell, LibraryAdapter } from './workloads.ts';

export const CONTROL_BYTES = { 'control-0': 0, 'control-1048': 1048 } as const;
export type ControlId = keyof typeof CONTROL_BYTES;

let sink: unknown[] = [];
const numbers = new Int32Array(64);
let total = 0;

function zero(): void {
  let s = 0;
  for (let i = 0; i < numbers.length; i++) s += numbers[i];
  total = (total + s) | 0;
}

function known(): void {
  sink = new Array(125);
}

function controlCell(frame: () => void): Cell {
  return { frame, counts: () => ({ alive: sink.length >= 0 && total >= 0 ? 0 : -1, queries: [] }) };
}

export function controlAdapter(id: ControlId): LibraryAdapter {
  return {
    name: id,
    id,
    workloads: [],
    asyncFrame: false,
    semantics: () => ({ keepsQueryIndexes: false, reallyDeletes: null, b: null }),
    changes: [],
    create: () => controlCell(id === 'control-0' ? zero : known),
    expected: () => ({ alive: 0, queries: [] }),
  };
}
