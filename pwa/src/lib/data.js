// Loading JSON into components. Public catalogue reads are memoised for the visit (and cached by the SW).
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';

const memo = new Map();

/** GET once per visit; a failure is not remembered. */
export function cachedGet(path) {
  if (!memo.has(path)) {
    memo.set(
      path,
      get(path).catch((e) => {
        memo.delete(path);
        throw e;
      }),
    );
  }
  return memo.get(path);
}

export const getProcedure = (code) => cachedGet(`/procedures/${encodeURIComponent(code)}`);
export const getOffices = () => cachedGet('/offices').then((r) => r.items || []);
export const getFields = () => cachedGet('/fields').then((r) => r.items || []);
export const getCommunes = () => cachedGet('/units?level=commune').then((r) => r.items || []);

/** { data, error, loading, reload } for a promise-returning loader; re-runs when `deps` change. */
export function useLoad(loader, deps) {
  const [st, setSt] = useState({ data: undefined, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setSt((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve()
      .then(loader)
      .then(
        (data) => live && setSt({ data, error: null, loading: false }),
        (error) => live && setSt({ data: undefined, error, loading: false }),
      );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { ...st, reload: () => setN((x) => x + 1) };
}

/**
 * A keyset-paged list: the first page through useLoad (read again when `deps` change), later pages appended by
 * more(). `page(token)` resolves to { items, next_page_token } (token null for the first page). Pages fetched
 * for an earlier first page (other deps, a reload) are dropped, and a late reply for one is ignored.
 * Returns useLoad's { data, error, loading, reload } plus { items, next, more, busy, moreError }.
 */
export function usePages(page, deps) {
  const first = useLoad(() => page(null), deps);
  const base = first.data;
  const [extra, setExtra] = useState({ of: undefined, items: [], next: undefined, busy: false, error: null });
  // while the first page is read again (other deps, a reload) only the old first page shows, and no next page
  // (its token would go with the new deps)
  const own = extra.of === base && !first.loading ? extra : { of: base, items: [], next: undefined, busy: false, error: null };
  const next = first.loading ? null : own.next === undefined ? (base && base.next_page_token) || null : own.next;
  const more = async () => {
    setExtra({ ...own, busy: true, error: null });
    const mine = (change) => setExtra((x) => (x.of === base ? change(x) : x));
    try {
      const got = await page(next);
      mine((x) => ({ of: base, items: [...x.items, ...(got.items || [])], next: got.next_page_token || null, busy: false, error: null }));
    } catch (error) {
      mine((x) => ({ ...x, busy: false, error }));
    }
  };
  return { ...first, items: base ? [...(base.items || []), ...own.items] : [], next, more, busy: own.busy, moreError: own.error };
}
