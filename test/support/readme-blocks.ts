/**
 * Test support: the README's TypeScript examples, as the README test (against the sources) and
 * the package test (against the packed and installed package) run them.
 *
 * Every ```ts block is one standalone module: it imports what it uses and defines every name it
 * reads, so a reader can paste any single block and run it. A block right after a
 * `<!-- browser -->` line runs in a browser only (it draws with PixiJS): it is type-checked
 * against the installed package like the others, and not run in Node. A `console.log(...)` line that ends
 * in a `// comment` states what it prints: the comment's text up to its first `:`
 * (`console.log(pool.size); // 3: three live` expects `3`). Other `console.log` lines print
 * something that is not checked.
 */

/** One ```ts block of a Markdown file. */
export interface CodeBlock {
  /** `<section>-<n>`: the enclosing `<!-- section:name -->` marker (or `top`) and the block's number in it, from 1. */
  name: string;
  /** The block's code, as written. */
  code: string;
  /** What each `console.log` line prints, in order (`null`: not checked). */
  expected: (string | null)[];
  /** True for a block marked `<!-- browser -->`: type-checked, not run in Node. */
  browser: boolean;
}

/** The ```ts blocks of `markdown`, in order, named by section. */
export function tsBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const counts = new Map<string, number>();
  let section = 'top';
  const re = /<!-- section:([\w-]+) -->|<!-- \/section:[\w-]+ -->|(<!-- browser -->\s*)?```ts\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(re)) {
    if (m[1]) section = m[1];
    else if (m[3] === undefined) section = 'top';
    else {
      const n = (counts.get(section) ?? 0) + 1;
      counts.set(section, n);
      blocks.push({ name: `${section}-${n}`, code: m[3], expected: expectations(m[3]), browser: m[2] !== undefined });
    }
  }
  return blocks;
}

/** The expected output of each `console.log` line of `code`, in order (`null`: not checked). */
export function expectations(code: string): (string | null)[] {
  return code
    .split('\n')
    .filter((l) => l.includes('console.log('))
    .map((l) => {
      const c = /\)\s*;?\s*(?:\}\s*)?\/\/\s*(.+)$/.exec(l);
      return c ? c[1].split(':')[0].trim() : null;
    });
}
