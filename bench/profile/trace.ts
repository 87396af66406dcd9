/**
 * Garbage collection seen from outside the page: Chrome DevTools Protocol tracing with the
 * `devtools.timeline` and `disabled-by-default-v8.gc` categories, GC slices counted on the
 * renderer main thread (`CrRendererMain`) only, and aligned to the page's frames.
 *
 * Alignment: the page calls `console.timeStamp(marker)` right after `performance.now()` when the
 * measured window starts. The `TimeStamp` trace event carries the trace clock (µs) of that instant,
 * which gives the offset between the two clocks; the trace event's `pid` picks the renderer
 * process. Frame k of the window spans `[t_ms[k] - frame_ms[k], t_ms[k]]` after the first
 * `beginFrame`, which follows the marker by less than one frame: GC-to-frame assignment is exact
 * to within that one frame.
 */
import type { CDPSession } from 'playwright-core';

/** Trace categories: timeline events (TimeStamp, MinorGC, MajorGC) and V8's own GC phases. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-v8.gc'];

/** Slices counted as one collection each (DevTools timeline names). */
export const GC_EVENT_NAMES = { minor: 'MinorGC', major: 'MajorGC' } as const;

/** One trace event as Chromium reports it (only the fields used here). */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number; // µs, trace clock
  dur?: number; // µs, complete ('X') events
  args?: Record<string, unknown> & { name?: string; data?: { message?: string } };
}

/** One collection on the renderer main thread, on the page clock relative to the window start. */
export interface GcSlice {
  kind: 'minor' | 'major';
  startMs: number;
  durationMs: number;
}

/** What a traced window yields. */
export interface GcTimeline {
  slices: GcSlice[];
  minor: number;
  major: number;
  totalMs: number;
  maxMs: number;
  /** Every GC-looking event name seen on the main thread, with counts (for the report). */
  namesSeen: Record<string, number>;
  /** Trace events received. */
  eventCount: number;
  /** False when the marker or the main thread was not found (then no slices). */
  aligned: boolean;
}

/** Starts tracing on a CDP session; returns a function that stops it and returns all events. */
export async function startTracing(session: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: unknown[] }) => {
    for (const ev of e.value) events.push(ev as TraceEvent);
  };
  session.on('Tracing.dataCollected', onData);
  await session.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: [...TRACE_CATEGORIES], recordMode: 'recordAsMuchAsPossible' },
  });
  return async () => {
    const done = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
    await session.send('Tracing.end');
    await done;
    session.off('Tracing.dataCollected', onData);
    return events;
  };
}

/**
 * Extracts the renderer main thread's GC slices from trace events and puts them on the page clock
 * relative to the marker (`console.timeStamp(marker)`, emitted when the window and the page's
 * profiler restart). O(events).
 */
export function gcTimeline(events: readonly TraceEvent[], marker: string): GcTimeline {
  const result: GcTimeline = {
    slices: [],
    minor: 0,
    major: 0,
    totalMs: 0,
    maxMs: 0,
    namesSeen: {},
    eventCount: events.length,
    aligned: false,
  };
  const stamp = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === marker);
  if (!stamp) return result;
  const mainTid = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === stamp.pid && e.args?.name === 'CrRendererMain',
  )?.tid;
  if (mainTid === undefined) return result;
  result.aligned = true;
  const open = new Map<string, number>(); // B/E pairs by name
  for (const e of events) {
    if (e.pid !== stamp.pid || e.tid !== mainTid) continue;
    if (/gc|scaveng|mark|sweep|compact/i.test(e.name) && e.ph !== 'M') {
      result.namesSeen[e.name] = (result.namesSeen[e.name] ?? 0) + 1;
    }
    const kind = e.name === GC_EVENT_NAMES.minor ? 'minor' : e.name === GC_EVENT_NAMES.major ? 'major' : undefined;
    if (!kind) continue;
    let startUs: number;
    let durUs: number;
    if (e.ph === 'X') {
      startUs = e.ts;
      durUs = e.dur ?? 0;
    } else if (e.ph === 'B') {
      open.set(e.name, e.ts);
      continue;
    } else if (e.ph === 'E' && open.has(e.name)) {
      startUs = open.get(e.name)!;
      durUs = e.ts - startUs;
      open.delete(e.name);
    } else continue;
    const slice: GcSlice = {
      kind,
      startMs: (startUs - stamp.ts) / 1000, // relative to the marker = the window start
      durationMs: durUs / 1000,
    };
    if (slice.startMs < 0) continue; // before the window
    result.slices.push(slice);
    result[kind]++;
    result.totalMs += slice.durationMs;
    result.maxMs = Math.max(result.maxMs, slice.durationMs);
  }
  return result;
}

/**
 * Assigns GC slices to frames: slice i goes to the first frame whose end (`tMs`, ms after the
 * window start) is at or after the slice's start. O(frames + slices).
 *
 * @returns per-frame collection counts and pause sums, aligned with `tMs`.
 */
export function gcPerFrame(slices: readonly GcSlice[], tMs: readonly number[]): { count: number[]; ms: number[] } {
  const count = new Array<number>(tMs.length).fill(0);
  const ms = new Array<number>(tMs.length).fill(0);
  const sorted = [...slices].sort((a, b) => a.startMs - b.startMs);
  let f = 0;
  for (const s of sorted) {
    while (f < tMs.length - 1 && tMs[f] < s.startMs) f++;
    if (tMs.length === 0 || tMs[f] < s.startMs) continue; // after the last frame
    count[f]++;
    ms[f] += s.durationMs;
  }
  return { count, ms };
}
