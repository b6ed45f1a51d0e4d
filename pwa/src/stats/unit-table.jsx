// The table of units with their resolved, late and early-or-on-time figures: the statistics page's table
// alternative of the unit chart, and the leaders' "lowest on-time rates".
import { t } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { formatCount, formatRate } from './charts.js';

export function UnitRateTable({ groups, caption, testid }) {
  const lang = state.lang;
  return (
    <table class="stat-table" data-testid={testid}>
      {caption && <caption class="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('st.col_unit')}</th>
          <th scope="col">{t('st.col_resolved')}</th>
          <th scope="col">{t('st.col_late')}</th>
          <th scope="col">{t('st.col_rate')}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.key} data-unit={g.key}>
            <th scope="row">{lang === 'en' ? g.label_en : g.label}</th>
            <td>{formatCount(g.resolved, lang)}</td>
            <td>{formatCount(g.resolved_late, lang)}</td>
            <td data-col="rate">{formatRate(g.on_time_rate, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
