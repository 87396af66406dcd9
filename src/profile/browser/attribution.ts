/**
 * Who owns the code at a script URL: the npm package it came from, or the page's own script.
 *
 * Recognised, in this order:
 * - the profiler's own probe ({@link PROBE_SCRIPT_URL}, or no URL and one of the probe's function
 *   names when the caller gives the function name): owner `(steadyheap probe)`;
 * - no URL (V8 built-ins, the browser's own allocations, `(IDLE)` / `(program)` nodes): `(browser)`;
 * - Vite's dependency pre-bundles, `/node_modules/.vite/deps/<id>.js`, where Vite writes the
 *   import id with `/` as `_` and `.` as `__` (`pixi__js.js` is `pixi.js`,
 *   `three_examples_jsm_controls_OrbitControls__js.js` is in `three`, `@scope_name.js` is
 *   `@scope/name`); shared chunks (`chunk-*.js` and other names Vite gives split code) cannot be
 *   told apart and are `(vite shared chunk)`. A package whose name has an underscore is cut at it;
 * - `node_modules/<name>/` and `node_modules/@scope/name/` (the innermost, for nested installs);
 * - CDN paths: unpkg (`/<name>@<version>/`), jsDelivr (`/npm/<name>@<version>/`, `/gh/<user>/<repo>`),
 *   esm.sh (`/<name>@<version>`, also behind `/v<n>/` and `/stable/`), cdnjs
 *   (`/ajax/libs/<name>/<version>/`), JSPM (`/npm:<name>@<version>/`), Skypack and esm.run;
 * - anything else is the page's own: owner is the script's path (`/js/game.js`), its "file name".
 *
 * All functions are O(length of the URL) and pure.
 *
 * @module
 */
import { PROBE_FUNCTION_NAMES, PROBE_SCRIPT_URL } from './probe.js';

/** Owner of allocations with no script (V8 built-ins, the browser). */
export const BROWSER_OWNER = '(browser)';
/** Owner of the profiler's own probe script. */
export const PROBE_OWNER = '(steadyheap probe)';
/** Owner of Vite's shared dependency chunks, whose package cannot be read from the URL. */
export const VITE_CHUNK_OWNER = '(vite shared chunk)';

/** What kind of owner a script has. */
export type OwnerKind = 'package' | 'page' | 'browser' | 'probe';

/** The owner of a script URL. */
export interface ScriptOwner {
  kind: OwnerKind;
  /** npm package name (kind `package`), the script's path (kind `page`), or one of the owner constants. */
  name: string;
}

/** A package name as npm allows it (scoped or not), for checking what a URL segment holds. */
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

/** Hosts and path patterns of JavaScript CDNs that serve npm packages. Each returns the package or undefined. */
const CDN_RULES: ReadonlyArray<{ host: RegExp; package: (path: string) => string | undefined }> = [
  { host: /(^|\.)unpkg\.com$/, package: (p) => leadingPackage(p) },
  {
    host: /(^|\.)jsdelivr\.net$/,
    package: (p) => {
      if (p.startsWith('/npm/')) return leadingPackage(p.slice(4));
      const gh = /^\/gh\/([^/@]+)\/([^/@]+)/.exec(p);
      return gh ? `github:${gh[1]}/${gh[2]}` : undefined;
    },
  },
  { host: /(^|\.)esm\.sh$/, package: (p) => leadingPackage(p.replace(/^\/(?:v\d+|stable|gh)\//, '/')) },
  { host: /(^|\.)esm\.run$/, package: (p) => leadingPackage(p) },
  { host: /(^|\.)skypack\.dev$/, package: (p) => leadingPackage(p.replace(/^\/(?:-|new|pin)\//, '/')) },
  {
    host: /^cdnjs\.cloudflare\.com$/,
    package: (p) => /^\/ajax\/libs\/([^/]+)\//.exec(p)?.[1],
  },
  { host: /(^|\.)jspm\.io$/, package: (p) => (p.startsWith('/npm:') ? leadingPackage(`/${p.slice(5)}`) : undefined) },
];

/** The package at the start of a CDN path: `/name@1.2.3/...`, `/@scope/name@1/...`, `/name/...`. */
function leadingPackage(path: string): string | undefined {
  const m = /^\/((?:@[^/@]+\/)?[^/@]+)(?:@[^/]*)?(?:\/|$)/.exec(path);
  if (!m) return undefined;
  const name = decodeURIComponent(m[1]);
  return PACKAGE_NAME.test(name) ? name : undefined;
}

/** The package of a Vite pre-bundle file name (without `.js`), or undefined for a shared chunk. */
export function vitePrebundlePackage(id: string): string | undefined {
  // Shared chunks: `chunk-<hash>` or `<Module>-<hash>` (a hash has capitals or digits; npm names do not).
  if (/^chunk-/.test(id) || /-(?=[\w-]*[A-Z0-9])[\w-]{8}$/.test(id)) return undefined;
  // Vite's flattenId: '/' -> '_', '.' -> '__'. Undo '__' first, then the first '_' is the
  // package's end ('@scope_name_rest': the second).
  const dotted = id.replace(/__/g, '.');
  const parts = dotted.split('_');
  const name = dotted.startsWith('@') && parts.length >= 2 ? `${parts[0]}/${parts[1]}` : parts[0];
  return PACKAGE_NAME.test(name) ? name : undefined;
}

/** Splits a URL into host and path (no query or hash); a URL that does not parse is all path. */
function hostAndPath(url: string): { host: string; path: string } {
  try {
    const u = new URL(url);
    return { host: u.hostname, path: decodeURI(u.pathname) };
  } catch {
    return { host: '', path: url.replace(/[?#].*$/, '') };
  }
}

/**
 * The owner of the code at `url` (see the module comment for the rules).
 *
 * @param url - a script URL as a CPU or allocation profile reports it ('' for none).
 * @param functionName - the function at the site, when known (tells the probe's URL-less
 *   functions from the browser's).
 * @throws TypeError when `url` is not a string.
 */
export function ownerOf(url: string, functionName = ''): ScriptOwner {
  if (typeof url !== 'string') throw new TypeError(`url must be a string, got ${typeof url}`);
  if (url === '') {
    return PROBE_FUNCTION_NAMES.test(functionName)
      ? { kind: 'probe', name: PROBE_OWNER }
      : { kind: 'browser', name: BROWSER_OWNER };
  }
  if (url === PROBE_SCRIPT_URL || url.endsWith(`/${PROBE_SCRIPT_URL}`)) return { kind: 'probe', name: PROBE_OWNER };
  const { host, path } = hostAndPath(url);
  const vite = /\/node_modules\/\.vite\/deps(?:_temp_[^/]*)?\/([^/]+)\.m?js$/.exec(path);
  if (vite) {
    const name = vitePrebundlePackage(vite[1]);
    return name ? { kind: 'package', name } : { kind: 'package', name: VITE_CHUNK_OWNER };
  }
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const m = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.slice(nm));
    if (m && PACKAGE_NAME.test(m[1])) return { kind: 'package', name: m[1] };
  }
  for (const rule of CDN_RULES) {
    if (!rule.host.test(host)) continue;
    const name = rule.package(path);
    if (name) return { kind: 'package', name };
  }
  return { kind: 'page', name: path || url };
}

/**
 * A short display form of a script URL: the path (and host when it is not the page's own
 * origin), no query. O(length).
 *
 * @param url - script URL ('' gives `(no script)`).
 * @param pageOrigin - origin of the profiled page (`http://127.0.0.1:5173`), omitted from the result.
 */
export function shortScript(url: string, pageOrigin = ''): string {
  if (url === '') return '(no script)';
  try {
    const u = new URL(url);
    return u.origin === pageOrigin ? u.pathname : `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
