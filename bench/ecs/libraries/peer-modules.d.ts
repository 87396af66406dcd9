/**
 * Types for peer entry points that ship none of their own:
 * - `@lastolivegames/becsy/lib/perf.js`, becsy's build without checks (noctjs benchmarks it), has
 *   the API of the main entry.
 */
declare module '@lastolivegames/becsy/lib/perf.js' {
  export * from '@lastolivegames/becsy';
}

/** goodluck 7.0.0 (CommonJS, untyped): the world base class and `instantiate`. */
declare module 'goodluck' {
  export class WorldImpl {
    Signature: number[];
    Graveyard: number[];
    CreateEntity(): number;
    DestroyEntity(entity: number): void;
  }
  export function instantiate<W extends WorldImpl>(world: W, blueprint: ((world: W, entity: number) => void)[]): number;
}
