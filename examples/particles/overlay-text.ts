/**
 * Text that changes without making garbage: numbers shown through DOM `Text` nodes whose `data`
 * is set to strings made once, at start-up (`"0"` to `"999"`, `" 000"` to `" 999"`, `".0"` to
 * `".9"`). Formatting a number with `toFixed` or a template literal makes new strings every
 * time; here a field's `set` only picks strings that already exist, and {@link TextPanel.flush}
 * points the text nodes at them (skipping the nodes whose string did not change).
 *
 * `set` may run every frame (it stages the strings; V8 then optimizes it, so even its arithmetic
 * allocates nothing) while `flush`, which touches the DOM, runs a few times a second. The
 * overlay uses it so that even its text refresh allocates nothing in the `zero-garbage` mode.
 * Every setter takes whole numbers (small integers, which V8 passes without boxing).
 * Browser only (DOM).
 *
 * @module
 */

/** Thin space: the thousands separator. */
const THIN = '\u2009';
/** Shown for a value that is not known (NaN, negative where only counts make sense). */
export const UNKNOWN = '–';

/** `"0"` .. `"999"`. */
const UNITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i));
/** `" 000"` .. `" 999"` (thin space, zero-padded). */
const GROUPS: readonly string[] = Array.from({ length: 1000 }, (_, i) => THIN + String(i).padStart(3, '0'));
/** `".0"` .. `".9"`. */
const TENTHS: readonly string[] = Array.from({ length: 10 }, (_, i) => `.${i}`);

/** The text nodes of a panel, each staged from preallocated strings and written on `flush`. */
export class TextPanel {
  private readonly nodes: Text[] = [];
  /** The string each node holds now, and the one staged for it (compared by identity). */
  private readonly shown: string[] = [];
  private readonly staged: string[] = [];

  /** Appends a text node to `parent`; returns its index. Allocates (construction only). */
  node(parent: HTMLElement): number {
    const node = document.createTextNode('');
    parent.append(node);
    this.nodes.push(node);
    this.shown.push('');
    this.staged.push('');
    return this.nodes.length - 1;
  }

  /** Stages `text` (an existing string) for node `i`. O(1), allocation-free. */
  stage(i: number, text: string): void {
    this.staged[i] = text;
  }

  /** Writes every staged string that differs from the shown one. O(nodes); no JS allocation. */
  flush(): void {
    const staged = this.staged;
    const shown = this.shown;
    for (let i = 0; i < staged.length; i++) {
      if (staged[i] !== shown[i]) {
        shown[i] = staged[i];
        this.nodes[i].data = staged[i];
      }
    }
  }
}

/** A run of consecutive text nodes of a {@link TextPanel}. */
class NodeRun {
  private readonly first: number;

  constructor(
    private readonly panel: TextPanel,
    parent: HTMLElement,
    count: number,
  ) {
    this.first = panel.node(parent);
    for (let i = 1; i < count; i++) panel.node(parent);
  }

  /** Stages `text` (an existing string) for node `i` of the run. O(1), allocation-free. */
  set(i: number, text: string): void {
    this.panel.stage(this.first + i, text);
  }
}

/** A whole number below 10^9, with thin-space thousands separators. */
export class IntText {
  private readonly run: NodeRun;

  constructor(panel: TextPanel, parent: HTMLElement) {
    this.run = new NodeRun(panel, parent, 3);
  }

  /** Shows nothing. O(1), allocation-free. */
  clear(): void {
    this.run.set(0, '');
    this.run.set(1, '');
    this.run.set(2, '');
  }

  /** Shows `n` (an integer; negative or at least 10^9 shows `–`). O(1), allocation-free. */
  set(n: number): void {
    const run = this.run;
    if (!(n >= 0 && n < 1_000_000_000)) {
      run.set(0, '');
      run.set(1, '');
      run.set(2, UNKNOWN);
      return;
    }
    if (n < 1000) {
      run.set(0, '');
      run.set(1, '');
      run.set(2, UNITS[n]);
    } else if (n < 1_000_000) {
      run.set(0, '');
      run.set(1, UNITS[Math.floor(n / 1000)]);
      run.set(2, GROUPS[n % 1000]);
    } else {
      run.set(0, UNITS[Math.floor(n / 1_000_000)]);
      run.set(1, GROUPS[Math.floor(n / 1000) % 1000]);
      run.set(2, GROUPS[n % 1000]);
    }
  }
}

/** A number with one decimal, given in tenths (`167` shows `16.7`). */
export class TenthsText {
  private readonly whole: IntText;
  private readonly tenth: NodeRun;

  constructor(panel: TextPanel, parent: HTMLElement) {
    this.whole = new IntText(panel, parent);
    this.tenth = new NodeRun(panel, parent, 1);
  }

  /** Shows nothing. O(1), allocation-free. */
  clear(): void {
    this.whole.clear();
    this.tenth.set(0, '');
  }

  /** Shows `tenths / 10` (an integer; negative shows `–`). O(1), allocation-free. */
  set(tenths: number): void {
    if (!(tenths >= 0)) {
      this.whole.set(-1);
      this.tenth.set(0, '');
      return;
    }
    this.whole.set(Math.floor(tenths / 10));
    this.tenth.set(0, TENTHS[tenths % 10]);
  }
}

/** Bytes in B, KB, MB or GB (binary: 1 KB = 1024 B), one decimal from KB up. */
export class BytesText {
  private readonly value: TenthsText;
  private readonly unit: NodeRun;
  private readonly whole: IntText;

  constructor(panel: TextPanel, parent: HTMLElement) {
    this.whole = new IntText(panel, parent);
    this.value = new TenthsText(panel, parent);
    this.unit = new NodeRun(panel, parent, 1);
  }

  /** Shows `bytes` (an integer; negative shows `–`). O(1), allocation-free. */
  set(bytes: number): void {
    if (!(bytes >= 0)) {
      this.whole.set(-1);
      this.value.clear();
      this.unit.set(0, '');
    } else if (bytes < 1024) {
      this.whole.set(bytes);
      this.value.clear();
      this.unit.set(0, ' B');
    } else if (bytes < 1024 * 1024) {
      this.whole.clear();
      this.value.set(Math.round((bytes * 10) / 1024));
      this.unit.set(0, ' KB');
    } else if (bytes < 1024 * 1024 * 1024) {
      this.whole.clear();
      this.value.set(Math.round((bytes * 10) / (1024 * 1024)));
      this.unit.set(0, ' MB');
    } else {
      this.whole.clear();
      this.value.set(Math.round((bytes * 10) / (1024 * 1024 * 1024)));
      this.unit.set(0, ' GB');
    }
  }
}

/** One of a fixed list of strings. */
export class ChoiceText {
  private readonly run: NodeRun;

  constructor(
    panel: TextPanel,
    parent: HTMLElement,
    private readonly choices: readonly string[],
  ) {
    this.run = new NodeRun(panel, parent, 1);
  }

  /** Shows `choices[i]` (`–` when out of range). O(1), allocation-free. */
  set(i: number): void {
    this.run.set(0, i >= 0 && i < this.choices.length ? this.choices[i] : UNKNOWN);
  }
}

/** Appends fixed text. */
export function staticText(parent: HTMLElement, text: string): void {
  parent.append(document.createTextNode(text));
}
