/**
 * The demo's argument checks, in the library's error style: `TypeError` for a wrong type,
 * `RangeError` naming the argument, the value and the allowed range. The demo keeps its own
 * (a few lines) rather than reaching into the library's private modules.
 *
 * @module
 */

/** A short, safe description of any value for an error message (strings quoted and cut). */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}

/**
 * Checks that `value` is a number and an integer in `[min, max]`.
 *
 * @returns `value`, typed as a number.
 * @throws TypeError when `value` is not of type `number`.
 * @throws RangeError when `value` is NaN, infinite, fractional, or outside `[min, max]`.
 */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
  }
  return value;
}
