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
