// How procedure facts read in the page's language.
import { formatMoney } from '../lib/format.js';
import { hasText, t } from '../lib/i18n.js';
import { state } from '../lib/store.js';

export function levelLabel(level) {
  return level ? t(`level.${level}`) : '';
}

export function timeText(pt) {
  if (!pt) return '';
  return (state.lang === 'en' ? pt.label_en : pt.label_vi) || pt.label_vi || `${pt.amount}`;
}

/** "Miễn phí", "50.000 đồng", or "50.000 đồng; nộp trực tuyến: 25.000 đồng". */
export function feeText(fee, { short = false } = {}) {
  if (!fee) return '';
  const amount = fee.amount_vnd;
  const online = fee.online_amount_vnd;
  if (!amount && !online && (!fee.label_vi || state.lang === 'en')) return t('fee.free');
  const main = state.lang === 'vi' && fee.label_vi ? fee.label_vi : amount ? formatMoney(amount, state.lang) : t('fee.free');
  if (short || online === null || online === undefined || online === amount) return main;
  return `${main}; ${t('fee.online', { amount: online ? formatMoney(online, state.lang) : t('fee.free') })}`;
}

// online_level may come as the 2022 names or as the old 1–4 scale
export function onlineText(level) {
  if (level === null || level === undefined || level === '') return '';
  const s = String(level).toLowerCase();
  if (['full', 'toan_trinh', 'toàn trình', '4'].includes(s)) return t('online.full');
  if (['partial', 'mot_phan', 'một phần', '3'].includes(s)) return t('online.partial');
  if (['1', '2', 'info', 'none'].includes(s)) return t('online.info');
  return /^\d+$/.test(s) ? t('online.level', { n: s }) : String(level);
}

export function groupsOf(form) {
  const groups = [];
  for (const f of form || []) {
    const g = f.group || 'applicant';
    let entry = groups.find((x) => x.key === g);
    if (!entry) groups.push((entry = { key: g, fields: [] }));
    entry.fields.push(f);
  }
  return groups;
}

/** Title of a form group: known keys are translated, human titles are shown as they are. */
export function groupTitle(key, index, total = 2) {
  if (hasText(`group.${key}`)) return t(`group.${key}`);
  if (/\s/.test(key) || /[^\x00-\x7f]/.test(key)) return key;
  if (index === 0) return t('group.applicant');
  return total > 2 ? t('group.part', { n: index + 1 }) : t('group.default');
}
