// Statistics without a DOM: number and rate formatting, month ranges, and the geometry of the inline SVG charts
// (no chart library: a bar chart is a few <rect>s, so the page stays small on a cheap phone).

const locale = (lang) => (lang === 'en' ? 'en-GB' : 'vi-VN');

/** A share 0–1 as "75,0 %" (vi) / "75.0%" (en); null (nothing to divide by) as an en dash, never "0 %". */
export function formatRate(rate, lang = 'vi') {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '–';
  return new Intl.NumberFormat(locale(lang), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate);
}

export function formatCount(n, lang = 'vi') {
  return new Intl.NumberFormat(locale(lang)).format(n || 0);
}

/** An average score out of 5 as "4,25" (vi) / "4.25" (en), at least one decimal; null (no ratings) as an en dash. */
export function formatAverage(average, lang = 'vi') {
  if (average === null || average === undefined) return '–';
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(average);
}

/** "2026-11" → "11/2026" (vi) or "Nov 2026" (en). */
export function formatMonth(month, lang = 'vi') {
  const [y, m] = String(month).split('-').map(Number);
  if (!y || !m) return String(month);
  if (lang === 'en') return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
  return `${String(m).padStart(2, '0')}/${y}`;
}

/** The month `n` months before `month` ("2026-11", 11 → "2025-12"). */
export function shiftMonth(month, n) {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) - n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** A "nice" top of the axis: 1, 2, 5 × 10^k at or above the largest value (at least 1). */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const f of [1, 2, 5, 10]) if (f * p >= max) return f * p;
  return 10 * p;
}

/**
 * Vertical bars for a series [{ label, value }] in a width × height box (SVG user units) with room for labels.
 * Returns { bars: [{ x, y, w, h, label, value }], max, ticks: [{ y, value }], baseline }.
 */
export function columnLayout(series, { width = 320, height = 160, top = 8, bottom = 24, left = 32, gap = 0.25 } = {}) {
  const max = niceMax(Math.max(0, ...series.map((s) => s.value || 0)));
  const plot = height - top - bottom;
  const slot = series.length ? (width - left) / series.length : 0;
  const bars = series.map((s, i) => {
    const h = ((s.value || 0) / max) * plot;
    return { x: left + i * slot + (slot * gap) / 2, y: top + plot - h, w: slot * (1 - gap), h, label: s.label, value: s.value || 0 };
  });
  const ticks = [0, 0.5, 1].map((f) => ({ y: top + plot - f * plot, value: Math.round(max * f) }));
  return { bars, max, ticks, baseline: top + plot };
}

/** Horizontal bars for rates 0–1 [{ label, value }], one row each; a null rate draws no bar. */
export function rowLayout(series, { width = 320, row = 28, labelWidth = 0 } = {}) {
  const plot = width - labelWidth;
  return {
    height: series.length * row,
    rows: series.map((s, i) => ({ y: i * row, w: s.value === null || s.value === undefined ? 0 : Math.max(0, Math.min(1, s.value)) * plot, x: labelWidth, label: s.label, value: s.value })),
  };
}

/** The filters of the page ↔ the API's query string; empty values are left out. */
export function statsQuery({ unit, field, from, to }, extra = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ unit, field, from, to, ...extra })) if (v) q.set(k, v);
  return q.toString();
}
