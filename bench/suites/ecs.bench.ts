/**
 * The ECS table (`bench/ecs/`): every noctjs/ecs-benchmark workload (packed_5, simple_iter,
 * frag_iter, entity_cycle, add_remove; one op = one frame) for steadyheap and its peers (piecs,
 * wolf-ecs, goodluck, bitECS 0.4 and 0.3, becsy, miniplex, EliCS, koota), each cell in its own
 * Node process, interleaved, with bytes per frame, GCs and pause per second, the no-op detector
 * and the semantics columns. The whole table (every cell's figures, the controls, the load) is
 * this suite result's `table` field, which `bench/run.ts` writes (`bench/results/ecs.json` with
 * `--save`).
 *
 * Options of its own: `--libs=a,b`, `--workloads=a,b`, `--rounds=N`, `--window-ms=N`,
 * `--scale-rounds=N` narrow a run; `--save` of a narrowed run is refused (the saved table is the
 * whole one). `--quick`: steadyheap and three peers, 1 process per cell and short windows. Method and results:
 * `bench/README.md`, section ECS.
 */
import type { BenchSuite, CaseResult, SuiteResult } from '../lib/harness.ts';
import { TABLE_OPTIONS, formatTable, isFullRun, runTable, tableOptionsFrom, type TableResult } from '../ecs/table.ts';

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
    // The whole table rides along as an extra field: bench/run.ts writes it into the results file,
    // and formatSuite prints only the cases and these short notes.
    const out: SuiteResult & { table: TableResult & { markdown: string } } = {
      suite: 'ecs',
      cases,
      ratios: [],
      notes: {
        unit: 'one op = one frame; samples = processes; ±% = half the min-max spread over them',
        controls: result.controls
          .map((c) => `${c.id} ${c.bytesPerFrame.median.toFixed(1)} B/frame ${c.ok ? 'ok' : 'OFF'}`)
          .join(', '),
        table: 'the whole table is the `table` field of this suite in the results file',
      },
      table: { ...result, markdown: formatTable(result) },
    };
    return out;
  },
};

export default suite;
