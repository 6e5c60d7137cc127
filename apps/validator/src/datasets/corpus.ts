/**
 * Documents for chunking tasks (chunking.md §11.2): the bundled corpus / `--synthetic.corpus_path` (JSONL `{id, text}`),
 * or Wikipedia featured articles (category page 8966941) when online.
 */
import { DatasetError } from '../errors.js';
import { readRows } from './read-rows.js';

/** One document. */
export interface CorpusDocument {
  id: string;
  text: string;
}

/** Where chunking documents come from. */
export interface DocumentSource {
  /** A document chosen with `pick(n)` (an index in [0, n)). */
  next(pick: (n: number) => number): Promise<CorpusDocument>;
}

/** Replaces `\n`/`\t` by spaces and collapses whitespace runs (§11.2). */
export function cleanDocument(text: string): string {
  return text
    .replace(/[\n\t]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Source over a JSONL corpus of `{id, text}` rows.
 * @throws DatasetError when the file holds no non-empty document
 */
export async function corpusFromFile(path: string): Promise<DocumentSource> {
  const docs: CorpusDocument[] = [];
  for (const row of await readRows(path)) {
    if (typeof row.text === 'string' && row.text.trim() !== '') {
      docs.push({ id: String(row.id ?? docs.length), text: cleanDocument(row.text) });
    }
  }
  if (docs.length === 0) throw new DatasetError(`${path}: no document`);
  return { next: async (pick) => docs[pick(docs.length)] as CorpusDocument };
}

/** Options of {@link wikipediaSource}. */
export interface WikipediaOptions {
  /** @defaultValue 'https://en.wikipedia.org/w/api.php' */
  apiUrl?: string;
  fetch?: typeof fetch;
  /** Upper bound on the page-id pool. @defaultValue 20000 */
  maxPool?: number;
}

/**
 * Source over Wikipedia featured articles: the category member list (followed through `cmcontinue`, cached until
 * `refresh()`), then the plain-text extract of a random page.
 */
export function wikipediaSource(opts: WikipediaOptions = {}): DocumentSource & { refresh(): void } {
  const api = opts.apiUrl ?? 'https://en.wikipedia.org/w/api.php';
  const doFetch = opts.fetch ?? globalThis.fetch;
  const maxPool = opts.maxPool ?? 20_000;
  let pool: number[] | null = null;
  const get = async (params: Record<string, string>): Promise<Record<string, unknown>> => {
    const url = new URL(api);
    for (const [k, v] of Object.entries({ ...params, format: 'json' })) url.searchParams.set(k, v);
    const res = await doFetch(url, {
      signal: AbortSignal.timeout(30_000),
      headers: { 'user-agent': 'dojo-ts-validator' },
    });
    if (!res.ok) throw new DatasetError(`wikipedia answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const loadPool = async () => {
    const ids: number[] = [];
    let cont: string | undefined;
    do {
      const body = await get({
        action: 'query',
        list: 'categorymembers',
        cmpageid: '8966941',
        cmprop: 'ids',
        cmlimit: 'max',
        ...(cont ? { cmcontinue: cont } : {}),
      });
      const members = ((body.query as { categorymembers?: Array<{ pageid?: number }> })?.categorymembers ?? []).map(
        (m) => m.pageid,
      );
      for (const id of members) if (typeof id === 'number') ids.push(id);
      cont = (body.continue as { cmcontinue?: string } | undefined)?.cmcontinue;
    } while (cont && ids.length < maxPool);
    if (ids.length === 0) throw new DatasetError('wikipedia: empty featured-article list');
    return ids;
  };
  return {
    refresh: () => {
      pool = null;
    },
    next: async (pick) => {
      pool ??= await loadPool();
      const id = pool[pick(pool.length)] as number;
      const body = await get({
        action: 'query',
        prop: 'extracts',
        explaintext: '1',
        exsectionformat: 'plain',
        pageids: String(id),
      });
      const page = (body.query as { pages?: Record<string, { extract?: string }> })?.pages?.[String(id)];
      if (!page?.extract) throw new DatasetError(`wikipedia: page ${id} has no extract`);
      return { id: String(id), text: cleanDocument(page.extract) };
    },
  };
}
