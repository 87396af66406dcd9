/**
 * The benchmark runner's terminal output: targets and figures as people write them, not as raw
 * doubles (`<= 0.0033333333333333335`), and results of unsaved runs kept out of git's sight.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNs, formatRatio, formatTable, formatTarget, formatVerdict } from '../../bench/lib/format.ts';
import { LOCAL_RESULTS_DIR, SAVED_RESULTS_DIR } from '../../bench/lib/results.ts';

describe('bench output', () => {
  it('prints speed targets as "at least Nx" and time targets as "at most Nx"', () => {
    expect(formatTarget({ targetMax: 1 / 300, shownAs: 'speed' })).toBe('>= 300x');
    expect(formatTarget({ targetMax: 1 / 0.9, shownAs: 'speed' })).toBe('>= 0.9x');
    expect(formatTarget({ targetMax: 2 })).toBe('<= 2x');
    expect(formatTarget({ targetMax: 1 / 3 })).toBe('<= 0.333x');
    expect(formatTarget({})).toBe('');
    expect(formatRatio({ value: 235 / 83_600, shownAs: 'speed' })).toBe('356x');
    expect(formatRatio({ value: 9.31 / 4.14 })).toBe('2.25x');
    expect(formatVerdict({ meetsTarget: false })).toBe('MISSED');
    expect(formatVerdict({ meetsTarget: null })).toBe('');
  });

  it('prints durations in the largest unit under 1000, with 3 significant digits', () => {
    expect(formatNs(9.3125)).toBe('9.31 ns');
    expect(formatNs(83_612)).toBe('83.6 µs');
    expect(formatNs(1_010_636)).toBe('1.01 ms');
    expect(formatNs(2.5e9)).toBe('2.5 s');
  });

  it('aligns table columns, numbers to the right', () => {
    const t = formatTable(
      ['case', 'ns'],
      [
        ['a', '1.5'],
        ['longer', '12'],
      ],
      [false, true],
    );
    expect(t.split('\n')).toEqual(['case     ns', '------  ---', 'a       1.5', 'longer   12']);
  });

  it('keeps unsaved results in a folder git ignores, and saved ones in one it tracks', () => {
    const root = join(import.meta.dirname, '..', '..');
    const ignored = (path: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', path], { cwd: root });
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored(join(LOCAL_RESULTS_DIR, 'latest.json'))).toBe(true);
    expect(ignored(join(SAVED_RESULTS_DIR, 'latest.json'))).toBe(false);
  });
});
