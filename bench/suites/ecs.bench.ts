/**
 * The ECS table (`bench/ecs/`): every noctjs/ecs-benchmark workload (packed_5, simple_iter,
 * frag_iter, entity_cycle, add_remove; one op = one frame) for steadyheap and its peers (piecs,
 * wolf-ecs, goodluck, bitECS 0.4 and 0.3, becsy, miniplex, EliCS, koota), each cell in its own
 * Node process, interleaved, with bytes per frame, GCs and pause per second, the no-op detector
 * and the semantics columns. The whole table (every process's figures, the controls, the load)
 * goes into this suite's `notes.table`, which `bench/run.ts` writes (`bench/results/ecs.json`
 * with `--save`).
 *
 * Options of its own: `--libs=a,b`, `--workloads=a,b`, `--rounds=N`, `--window-ms=N`,
 * `--scale-rounds=N` narrow a run; `--save` of a narrowed run is refused (the saved table is the
 * whole one). `--quick`: 2 processes per cell and short windows. Method and results:
 * `bench/README.md`, section ECS.
 */
import type { BenchSuite, CaseResult } from '../lib/harness.ts';
import { TABLE_OPTIONS, formatTable, isFullRun, runTable, tableOptionsFrom } from '../ecs/table.ts';

const suite: BenchSuite = {
  name: 'ecs',
  options: TABLE_OPTIONS,
  async run(options) {
    const tableOptions = tableOptionsFrom(process.argv.slice(2), options.quick);
    if (options.save && !isFullRun(tableOptions)) {
      throw new Error('ecs: --save keeps the whole table; drop --libs/--workloads/--rounds below 6, or --save');
    }
    // Under --json, stdout carries the JSON alone: progress and tables go to stderr.
    const say = process.argv.includes('--json') ? console.error : console.log;
    const result = await runTable(tableOptions, say);
    say(`\n${formatTable(result)}`);
    const cases: CaseResult[] = [];
    for (const c of result.cells) {
      if (c.error) continue;
      const caseResult = {
        name: `${c.workload}: ${c.libraryName}`,
        nsPerOp: 1e9 / c.opsPerSec.median,
        opsPerSec: c.opsPerSec.median,
        // Half the min-max spread over the processes, percent of the median (no mean here).
        rmePct: (100 * (c.opsPerSec.max - c.opsPerSec.min)) / 2 / c.opsPerSec.median,
        samples: c.processes,
      };
      cases.push(caseResult);
      options.onCase?.('ecs', caseResult);
    }
    return {
      suite: 'ecs',
      cases,
      ratios: [],
      notes: {
        unit: 'one op = one frame of the workload; samples = processes; rmePct = half the min-max spread',
        table: result,
        markdown: formatTable(result),
      },
    };
  },
};

export default suite;
