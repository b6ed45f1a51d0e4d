// "/thong-ke" — the public statistics page: filters, headline figures with a sentence that says them all, charts
// drawn as inline SVG (each with a text description and a table alternative), the QĐ 766 groups, open data.
import { useState } from 'preact/hooks';
import { API, get } from '../lib/api.js';
import { cachedGet, getFields, useLoad } from '../lib/data.js';
import { todayVn } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { replaceQuery } from '../lib/router.js';
import { state } from '../lib/store.js';
import { FormGroup, LoadError, Loading, Page } from '../components/ui.jsx';
import { columnLayout, formatAverage, formatCount, formatMonth, formatRate, rowLayout, shiftMonth, statsQuery } from './charts.js';
import { UnitRateTable } from './unit-table.jsx';
import './text.js';
import './stats.css';

const MONTH = /^20\d\d-(0[1-9]|1[0-2])$/;


function Figure({ id, label, value, note }) {
  return (
    <div class="stat-card" data-testid={`stat-${id}`}>
      <dt class="stat-card__label">{label}</dt>
      <dd class="stat-card__value">{value}</dd>
      {note && <dd class="stat-card__note">{note}</dd>}
    </div>
  );
}

function Headline({ totals: s }) {
  const lang = state.lang;
  return (
    <dl class="stat-cards">
      <Figure id="received" label={t('st.received')} value={formatCount(s.received, lang)} />
      <Figure id="on-time" label={t('st.on_time')} value={formatRate(s.on_time_rate, lang)} note={`${t('st.of_resolved', { n: formatCount(s.resolved, lang) })} · ${t('st.late', { n: formatCount(s.resolved_late, lang) })}`} />
      <Figure id="online" label={t('st.online')} value={formatRate(s.online_share, lang)} note={t('st.of_received', { n: formatCount(s.received, lang) })} />
      <Figure id="payment" label={t('st.payment')} value={formatRate(s.online_payment_share, lang)} note={t('st.of_fee', { n: formatCount(s.fee_bearing, lang) })} />
      <Figure id="apologies" label={t('st.apologies')} value={formatCount(s.apologies, lang)} />
      <Figure id="satisfaction" label={t('st.satisfaction')} value={formatRate(s.satisfaction_rate, lang)} note={t('st.of_ratings', { n: formatCount(s.ratings, lang) })} />
      <Figure id="feedback" label={t('st.feedback')} value={formatRate(s.feedback_on_time_rate, lang)} note={t('st.of_answered', { n: formatCount(s.feedback_answered, lang) })} />
    </dl>
  );
}

function MonthChart({ groups }) {
  const lang = state.lang;
  const series = groups.map((g) => ({ label: formatMonth(g.key, lang), value: g.received }));
  const { bars, ticks, baseline } = columnLayout(series, { width: 320, height: 170 });
  const top = groups.reduce((best, g) => (g.received > (best ? best.received : -1) ? g : best), null);
  const every = Math.max(1, Math.ceil(groups.length / 6)); // at most six month labels fit at 360 px
  return (
    <figure class="chart" data-testid="chart-months">
      <figcaption class="heading-s" id="chart-months-title">
        {t('st.chart_months')}
      </figcaption>
      <p class="chart__desc" id="chart-months-desc">
        {t('st.chart_months_desc', { max: formatCount(top ? top.received : 0, lang), month: top ? formatMonth(top.key, lang) : '–' })}
      </p>
      <svg class="chart__svg" viewBox="0 0 320 170" role="img" aria-labelledby="chart-months-title chart-months-desc" preserveAspectRatio="xMidYMid meet">
        {ticks.map((tk) => (
          <g key={tk.value}>
            <line x1="32" x2="320" y1={tk.y} y2={tk.y} class="chart__grid" />
            <text x="28" y={tk.y + 4} class="chart__tick" text-anchor="end">
              {tk.value}
            </text>
          </g>
        ))}
        {bars.map((b, i) => (
          <g key={i}>
            <rect x={b.x} y={b.y} width={b.w} height={Math.max(b.h, 0)} class="chart__bar">
              <title>{`${b.label}: ${b.value}`}</title>
            </rect>
            {i % every === 0 && (
              <text x={b.x + b.w / 2} y={baseline + 16} class="chart__tick" text-anchor="middle">
                {b.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <details class="details" data-testid="table-months">
        <summary class="details__summary">{t('st.table')}</summary>
        <table class="stat-table">
          <caption class="visually-hidden">{t('st.chart_months')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('st.col_month')}</th>
              <th scope="col">{t('st.col_received')}</th>
              <th scope="col">{t('st.col_online')}</th>
              <th scope="col">{t('st.col_resolved')}</th>
              <th scope="col">{t('st.col_rate')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key} data-month={g.key}>
                <th scope="row">{formatMonth(g.key, lang)}</th>
                <td data-col="received">{formatCount(g.received, lang)}</td>
                <td>{formatCount(g.received_online, lang)}</td>
                <td>{formatCount(g.resolved, lang)}</td>
                <td data-col="rate">{formatRate(g.on_time_rate, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function UnitChart({ groups }) {
  const lang = state.lang;
  const ranked = groups.filter((g) => g.resolved > 0).sort((a, b) => a.on_time_rate - b.on_time_rate);
  if (!ranked.length) return <p class="body">{t('st.no_units')}</p>;
  const { rows, height } = rowLayout(ranked.map((g) => ({ label: g.label, value: g.on_time_rate })), { width: 320, row: 40 });
  const name = (g) => (lang === 'en' ? g.label_en : g.label);
  return (
    <figure class="chart" data-testid="chart-units">
      <figcaption class="heading-s" id="chart-units-title">
        {t('st.chart_units')}
      </figcaption>
      <p class="chart__desc" id="chart-units-desc">
        {t('st.chart_units_desc', { n: ranked.length, lowest: formatRate(ranked[0].on_time_rate, lang), unit: name(ranked[0]) })}
      </p>
      <svg class="chart__svg" viewBox={`0 0 320 ${height}`} role="img" aria-labelledby="chart-units-title chart-units-desc">
        {rows.map((r, i) => (
          <g key={i}>
            <text x="0" y={r.y + 13} class="chart__tick">
              {`${name(ranked[i])} — ${formatRate(r.value, lang)}`}
            </text>
            <rect x="0" y={r.y + 18} width="320" height="14" class="chart__track" />
            <rect x="0" y={r.y + 18} width={r.w} height="14" class={r.value >= 0.95 ? 'chart__bar' : 'chart__bar chart__bar--low'}>
              <title>{`${name(ranked[i])}: ${formatRate(r.value, lang)}`}</title>
            </rect>
          </g>
        ))}
      </svg>
      <details class="details" data-testid="table-units">
        <summary class="details__summary">{t('st.table')}</summary>
        <UnitRateTable groups={ranked} caption={t('st.chart_units')} />
      </details>
    </figure>
  );
}

const CRITERIA = ['time', 'visits', 'attitude', 'guidance', 'clarity', 'cost'];

function Criteria({ totals: s }) {
  const lang = state.lang;
  return (
    <section aria-labelledby="criteria-title">
      <h2 class="heading-m" id="criteria-title">
        {t('st.criteria')}
      </h2>
      <table class="stat-table" data-testid="criteria">
        <thead>
          <tr>
            <th scope="col">{t('st.col_criterion')}</th>
            <th scope="col">{t('st.col_average')}</th>
            <th scope="col">{t('st.col_count')}</th>
          </tr>
        </thead>
        <tbody>
          {CRITERIA.map((c) => (
            <tr key={c} data-criterion={c}>
              <th scope="row">{t(`st.crit.${c}`)}</th>
              <td>{formatAverage(s[`rating_${c}_average`], lang)}</td>
              <td>{formatCount(s[`rating_${c}_count`], lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Indicators({ items }) {
  const lang = state.lang;
  return (
    <section aria-labelledby="indicators-title">
      <h2 class="heading-m" id="indicators-title">
        {t('st.indicators')}
      </h2>
      <ul class="list indicators" data-testid="indicators">
        {items.map((i) => (
          <li key={i.group} data-group={i.group}>
            <strong>{lang === 'en' ? i.name_en : i.name_vi}</strong>
            {': '}
            {i.value !== null ? formatRate(i.value, lang) : <span class="muted">{t('st.not_computed', { reason: i.reason || '' })}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function OpenData({ query }) {
  const q = query ? `?${query}` : '';
  return (
    <section aria-labelledby="open-data-title">
      <h2 class="heading-m" id="open-data-title">
        {t('st.open_data')}
      </h2>
      <p class="body">{t('st.open_data_lead')}</p>
      <ul class="list">
        <li><a href={`${API}/open-data/stats.csv${q}`} download>{t('st.csv_stats')}</a></li>
        <li><a href={`${API}/open-data/stats.json${q}`}>{t('st.json_stats')}</a></li>
        <li><a href={`${API}/open-data/procedures.csv`} download>{t('st.csv_procedures')}</a></li>
        <li><a href={`${API}/open-data/procedures.json`}>{t('st.json_procedures')}</a></li>
      </ul>
    </section>
  );
}

function Filters({ value, onApply, units, fields }) {
  const [draft, setDraft] = useState(value);
  const [bad, setBad] = useState('');
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const submit = (e) => {
    e.preventDefault();
    const wrong = ['from', 'to'].find((k) => draft[k] && !MONTH.test(draft[k]));
    setBad(wrong || '');
    if (!wrong) onApply(draft);
  };
  return (
    <form class="filters-box stat-filters" onSubmit={submit} aria-label={t('st.filters')} data-testid="stats-filters">
      <FormGroup id="st-unit" label={t('st.unit')}>
        {(aria) => (
          <select class="select" {...aria} value={draft.unit} onChange={set('unit')}>
            <option value="">{t('st.all_units')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>{state.lang === 'en' ? u.name_en || u.name : u.name}</option>
            ))}
          </select>
        )}
      </FormGroup>
      <FormGroup id="st-field" label={t('st.field')}>
        {(aria) => (
          <select class="select" {...aria} value={draft.field} onChange={set('field')}>
            <option value="">{t('filter.all_fields')}</option>
            {fields.map((f) => (
              <option key={f.id} value={f.id}>{state.lang === 'en' ? f.name_en : f.name}</option>
            ))}
          </select>
        )}
      </FormGroup>
      <div class="stat-filters__months">
        {['from', 'to'].map((k) => (
          <FormGroup id={`st-${k}`} label={t(`st.${k}`)} hint={t('st.month_hint')} error={bad === k ? t('st.bad_month') : ''} key={k}>
            {(aria) => <input class={`input${bad === k ? ' input--error' : ''}`} {...aria} type="month" inputMode="numeric" value={draft[k]} onInput={set(k)} data-testid={`stats-${k}`} />}
          </FormGroup>
        ))}
      </div>
      <button type="submit" class="button" data-testid="stats-apply">{t('st.apply')}</button>
    </form>
  );
}

export function StatsPage({ query }) {
  const now = todayVn().slice(0, 7); // the months of the statistics are Vietnam's
  const initial = {
    unit: query.get('unit') || '',
    field: query.get('field') || '',
    to: MONTH.test(query.get('to') || '') ? query.get('to') : now,
    from: MONTH.test(query.get('from') || '') ? query.get('from') : shiftMonth(now, 11),
  };
  const [filters, setFilters] = useState(initial);
  const q = statsQuery(filters);
  const lists = useLoad(() => Promise.all([cachedGet('/units').then((r) => r.items || []), getFields()]), []);
  const figures = useLoad(() => Promise.all([get(`/stats?${statsQuery(filters, { group_by: 'month' })}`), get(`/stats?${statsQuery(filters, { group_by: 'unit' })}`)]), [q]);
  const apply = (next) => {
    replaceQuery(next);
    setFilters(next);
  };
  const lang = state.lang;
  let body;
  if (figures.error) body = <LoadError error={figures.error} onRetry={figures.reload} />;
  else if (!figures.data) body = <Loading />;
  else {
    const [byMonth, byUnit] = figures.data;
    const s = byMonth.totals;
    body = (
      <div data-testid="stats-results" aria-busy={figures.loading ? 'true' : 'false'}>
        <p class="lead" data-testid="stats-summary">
          {t('st.summary', {
            from: formatMonth(byMonth.filters.from, lang), to: formatMonth(byMonth.filters.to, lang),
            received: formatCount(s.received, lang), online: formatCount(s.received_online, lang),
            resolved: formatCount(s.resolved, lang), on_time: formatRate(s.on_time_rate, lang),
            apologies: formatCount(s.apologies, lang), satisfaction: formatRate(s.satisfaction_rate, lang),
          })}
        </p>
        <Headline totals={s} />
        <MonthChart groups={byMonth.groups || []} />
        <UnitChart groups={byUnit.groups || []} />
        <Criteria totals={s} />
        <Indicators items={byMonth.indicators || []} />
      </div>
    );
  }
  const [units, fields] = lists.data || [[], []];
  return (
    <Page title={t('st.title')}>
      <p class="body">{t('st.lead')}</p>
      <Filters value={filters} onApply={apply} units={units} fields={fields} key={lists.data ? 'ready' : 'loading'} />
      {body}
      <OpenData query={q} />
    </Page>
  );
}
