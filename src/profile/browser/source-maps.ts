/**
 * Owners of scripts whose URL does not name their package, read from their source maps. Vite's
 * dependency pre-bundling splits shared code into chunks (`/node_modules/.vite/deps/chunk-*.js`,
 * `CanvasPool-<hash>.js`...); each chunk's source map lists the files it was built from
 * (`../../pixi.js/lib/...`), and those paths name the package. Only such chunks are resolved:
 * they hold dependency code alone, while a page's own bundle mixes the game with its packages
 * and stays attributed to the page.
 *
 * @module
 */
import { ownerOf, VITE_CHUNK_OWNER, type ScriptOwner } from './attribution.js';

/** Fetches a URL's text; rejects on failure. */
export type FetchText = (url: string) => Promise<string>;

/** How long one fetch may take, ms. */
export const SOURCE_MAP_FETCH_TIMEOUT_MS = 5000;

const fetchText: FetchText = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(SOURCE_MAP_FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.text();
};

/**
 * The packages a source map's sources come from, most sources first, joined with ` + ` (usually
 * one). Sources outside any package do not count; undefined when none is in a package. O(sources).
 */
export function packagesOfSourceMap(
  map: { sources?: unknown; sourceRoot?: unknown },
  mapUrl: string,
): string | undefined {
  if (!Array.isArray(map.sources)) return undefined;
  const base = new URL(
    typeof map.sourceRoot === 'string' && map.sourceRoot ? `${map.sourceRoot.replace(/\/?$/, '/')}` : '.',
    mapUrl,
  );
  const counts = new Map<string, number>();
  for (const source of map.sources) {
    if (typeof source !== 'string') continue;
    let owner: ScriptOwner;
    try {
      owner = ownerOf(new URL(source, base).href);
    } catch {
      continue;
    }
    if (owner.kind === 'package' && owner.name !== VITE_CHUNK_OWNER)
      counts.set(owner.name, (counts.get(owner.name) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => name)
    .join(' + ');
}

/** The source map URL a script names in its last `sourceMappingURL` comment, resolved against it. */
export function sourceMapUrlOf(scriptText: string, scriptUrl: string): string | undefined {
  // The last comment, searched from the end: an inline (data:) map can be megabytes long.
  const at = scriptText.lastIndexOf('sourceMappingURL=');
  if (at < 3 || !/\/\/[#@]\s*$/.test(scriptText.slice(Math.max(0, at - 8), at))) return undefined;
  const m = /^sourceMappingURL=(\S+)\s*$/.exec(scriptText.slice(at));
  return m ? new URL(m[1], scriptUrl).href : undefined;
}

/**
 * Owners for the Vite shared chunks among `urls`, from their source maps (inline `data:` maps
 * included). A chunk whose map cannot be fetched or names no package is left out (it keeps the
 * `(vite shared chunk)` owner). Fetches run in parallel.
 */
export async function resolveChunkOwners(
  urls: Iterable<string>,
  fetchUrl: FetchText = fetchText,
): Promise<Map<string, ScriptOwner>> {
  const out = new Map<string, ScriptOwner>();
  const chunks = [...new Set(urls)].filter((u) => u !== '' && ownerOf(u).name === VITE_CHUNK_OWNER);
  await Promise.all(
    chunks.map(async (url) => {
      try {
        const mapUrl = sourceMapUrlOf(await fetchUrl(url), url);
        if (!mapUrl) return;
        const text = mapUrl.startsWith('data:')
          ? Buffer.from(
              mapUrl.slice(mapUrl.indexOf(',') + 1),
              mapUrl.includes(';base64,') ? 'base64' : 'utf8',
            ).toString()
          : await fetchUrl(mapUrl);
        // An inline map's sources are relative to the script.
        const base = mapUrl.startsWith('data:') ? url : mapUrl;
        const name = packagesOfSourceMap(JSON.parse(text) as { sources?: unknown }, base);
        if (name) out.set(url, { kind: 'package', name });
      } catch {
        // no map, or not one we can read: the chunk keeps its generic owner
      }
    }),
  );
  return out;
}
