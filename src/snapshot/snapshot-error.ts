/**
 * The error every snapshot load throws when its input cannot be applied, with a machine-readable
 * reason. A load that throws it has changed nothing: every check runs before the first byte is
 * written.
 *
 * @module
 */

/**
 * Why a snapshot, state record or delta was refused:
 * - `'not-a-snapshot'`: the bytes do not start with the expected magic number (not ours, or
 *   misplaced `at`);
 * - `'version'`: written by a format version this build does not read;
 * - `'kind'`: the state of another kind of structure (a `SlabArena`'s state given to a
 *   `BuddyArena`), or a snapshot of a different list of structures;
 * - `'options'`: the same kind of structure created with other options or another schema (the
 *   options hash differs);
 * - `'truncated'`: the input ends before the size its header declares;
 * - `'checksum'`: the bytes were changed after they were written (the checksum differs);
 * - `'corrupt'`: a header field is impossible (a negative size, counters out of range, section
 *   sizes that do not fit the structure);
 * - `'byte-order'`: this host stores numbers big-endian; the formats are little-endian and the
 *   structures' typed arrays are copied as they are, so snapshots are refused there (see
 *   `src/snapshot/state-record.ts`);
 * - `'base'`: a delta applied to a base other than the one it was computed from;
 * - `'world'`: the state around the structure does not allow the load. For the bitECS bridge:
 *   entities with bitECS components, or a world reset since the registry was made
 *   (`src/snapshot/registry-state.ts`); a `PoolComponent` with `'bitecs'` membership, or a member
 *   no longer alive (`component-state.ts`); an `EntityPool` whose set of entities changed since
 *   the save, or a load from inside its spawn or despawn (`entity-pool-state.ts`).
 */
export type SnapshotErrorReason =
  | 'not-a-snapshot'
  | 'version'
  | 'kind'
  | 'options'
  | 'truncated'
  | 'checksum'
  | 'corrupt'
  | 'byte-order'
  | 'base'
  | 'world';

/**
 * Thrown by `loadState`, `loadSnapshot`, `SnapshotRing.restore` and `applyDelta` when the input
 * cannot be applied; the structures are unchanged. Constructed on the failure path only.
 */
export class SnapshotError extends Error {
  /** Why: see {@link SnapshotErrorReason}. */
  readonly reason: SnapshotErrorReason;

  /**
   * @param reason - why the input was refused.
   * @param message - human-readable detail (what was expected, what was found).
   */
  constructor(reason: SnapshotErrorReason, message: string) {
    super(message);
    this.name = 'SnapshotError';
    this.reason = reason;
  }
}
