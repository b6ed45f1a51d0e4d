// "/" — find a procedure. The server searches (with or without diacritics); offline, the saved list is
// filtered here with the same diacritic-blind matching.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, isNetworkError, qs } from '../lib/api.js';
import { cachedGet, getFields, useLoad } from '../lib/data.js';
import { t, tx } from '../lib/i18n.js';
import { replaceQuery } from '../lib/router.js';
import { state } from '../lib/store.js';
import { FormGroup, LoadError, Loading, Page } from '../components/ui.jsx';
import { feeText, levelLabel, timeText } from './procedure-text.js';

const LEVEL_ORDER = ['province', 'district', 'commune'];

export function fold(s) {
  return String(s || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

async function search({ q, level, field }) {
  try {
    return { items: (await get('/procedures' + qs({ q, level, field }))).items || [], cached: false };
  } catch (e) {
    if (!isNetworkError(e)) throw e;
    const all = (await cachedGet('/procedures')).items || [];
    const words = fold(q).split(/\s+/).filter(Boolean);
    const items = all.filter(
      (p) =>
        (!level || p.level === level) &&
        (!field || (p.field && p.field.id === field)) &&
        words.every((w) => fold(`${p.name} ${p.name_en || ''} ${p.code}`).includes(w)),
    );
    return { items, cached: true };
  }
}

export function ProcedureItem({ p }) {
  return (
    <li class="result" data-testid="procedure-item" data-code={p.code}>
      <a class="result__link" href={`/thu-tuc/${encodeURIComponent(p.code)}`}>
        {tx(p)}
      </a>
      <p class="result__meta">
        <span>{tx(p.field)}</span>
        <span>{levelLabel(p.level)}</span>
      </p>
      <p class="result__meta">
        <span>{timeText(p.processing_time)}</span>
        <span>{feeText(p.fee, { short: true })}</span>
      </p>
    </li>
  );
}

export function Home({ query }) {
  const [form, setForm] = useState({ q: query.get('q') || '', level: query.get('level') || '', field: query.get('field') || '' });
  const [params, setParams] = useState(form);
  const timer = useRef(null);
  const fields = useLoad(() => getFields().catch(() => []), []);
  const base = useLoad(() => cachedGet('/procedures').then((r) => r.items || []).catch(() => []), []);
  const results = useLoad(() => search(params), [params.q, params.level, params.field]);

  useEffect(() => replaceQuery(params), [params]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = (next) => {
    setForm(next);
    clearTimeout(timer.current);
    setParams(next);
  };
  const onType = (e) => {
    const next = { ...form, q: e.currentTarget.value };
    setForm(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setParams(next), 400); // search as you type, without a request per key
  };
  const levels = LEVEL_ORDER.filter((l) => (base.data || []).some((p) => p.level === l));
  const items = results.data ? results.data.items : [];

  return (
    <Page title={t('home.title')}>
      <p class="lead">{t('home.lead')}</p>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <FormGroup id="search-q" label={t('search.label')} labelClass="label label--m" hint={t('search.hint')}>
          {(aria) => (
            <div class="search__row">
              <input class="input search__input" {...aria} name="q" type="search" enterKeyHint="search" autoComplete="off" data-testid="search-input" value={form.q} onInput={onType} />
              <button class="button search__button" type="submit">
                {t('search.button')}
              </button>
            </div>
          )}
        </FormGroup>
        <div class="filters">
          <FormGroup id="filter-level" label={t('filter.level')} class="filters__item">
            {(aria) => (
              <select class="select" {...aria} value={form.level} onChange={(e) => apply({ ...form, level: e.currentTarget.value })}>
                <option value="">{t('filter.all_levels')}</option>
                {levels.map((l) => (
                  <option value={l} key={l}>
                    {levelLabel(l)}
                  </option>
                ))}
              </select>
            )}
          </FormGroup>
          <FormGroup id="filter-field" label={t('filter.field')} class="filters__item">
            {(aria) => (
              <select class="select" {...aria} value={form.field} onChange={(e) => apply({ ...form, field: e.currentTarget.value })}>
                <option value="">{t('filter.all_fields')}</option>
                {(fields.data || []).map((f) => (
                  <option value={f.id} key={f.id}>
                    {tx(f)}
                  </option>
                ))}
              </select>
            )}
          </FormGroup>
        </div>
      </form>

      <div class="results">
        <p class="results__count" role="status" aria-live="polite">
          {results.loading ? t('loading') : results.data ? (items.length ? t('results.count', { n: items.length }) : t('results.none')) : ''}
        </p>
        {results.data && results.data.cached && <p class="hint">{t('results.cached')}</p>}
        {results.error && <LoadError error={results.error} onRetry={results.reload} />}
        {results.loading && !results.data && <Loading />}
        {items.length > 0 && (
          <ul class="results__list" lang={state.lang}>
            {items.map((p) => (
              <ProcedureItem p={p} key={p.code} />
            ))}
          </ul>
        )}
      </div>

      <aside class="related" aria-labelledby="quick-title">
        <h2 class="heading-s" id="quick-title">
          {t('quick.title')}
        </h2>
        <ul class="list">
          <li>
            <a href="/tra-cuu">{t('quick.track')}</a>
          </li>
          <li>
            <a href="/ho-so">{t('quick.mine')}</a>
          </li>
          <li>
            <a href="/hoi-dap" data-testid="assistant-link">
              {t('quick.assistant')}
            </a>
          </li>
        </ul>
      </aside>
    </Page>
  );
}
