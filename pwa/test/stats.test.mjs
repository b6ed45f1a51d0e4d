// The statistics page without a browser: rates and months as people read them, chart geometry, the query string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnLayout, formatAverage, formatMonth, formatRate, niceMax, rowLayout, shiftMonth, statsQuery } from '../src/stats/charts.js';

test('rates read as percentages in each language, and nothing-to-divide is a dash, not 0 %', () => {
  assert.equal(formatRate(0.75, 'vi').replace(/\s/g, ''), '75,0%');
  assert.equal(formatRate(0.8889, 'en'), '88.9%');
  assert.equal(formatRate(null, 'vi'), '–');
  assert.equal(formatRate(0, 'en'), '0.0%');
});

test('average scores keep one or two decimals in each language, and no ratings is a dash', () => {
  assert.equal(formatAverage(4, 'vi'), '4,0');
  assert.equal(formatAverage(4.256, 'en'), '4.26');
  assert.equal(formatAverage(null, 'vi'), '–');
});

test('months read as 11/2026 in Vietnamese and Nov 2026 in English; ranges step back across years', () => {
  assert.equal(formatMonth('2026-11', 'vi'), '11/2026');
  assert.equal(formatMonth('2026-11', 'en'), 'Nov 2026');
  assert.equal(shiftMonth('2026-11', 11), '2025-12');
  assert.equal(shiftMonth('2026-01', 1), '2025-12');
});

test('the axis tops out at a round number and bars scale to it', () => {
  assert.equal(niceMax(9), 10);
  assert.equal(niceMax(11), 20);
  assert.equal(niceMax(0), 1);
  const { bars, max, baseline } = columnLayout([{ label: 'a', value: 10 }, { label: 'b', value: 5 }, { label: 'c', value: 0 }]);
  assert.equal(max, 10);
  assert.equal(bars[0].y + bars[0].h, baseline);
  assert.equal(bars[1].h * 2, bars[0].h);
  assert.equal(bars[2].h, 0);
  assert.ok(bars[1].x > bars[0].x + bars[0].w);
});

test('rate bars are proportional, clamped, and absent for units without resolved dossiers', () => {
  const { rows, height } = rowLayout([{ label: 'x', value: 0.5 }, { label: 'y', value: null }, { label: 'z', value: 1.7 }], { width: 200 });
  assert.equal(height, 84);
  assert.deepEqual(rows.map((r) => r.w), [100, 0, 200]);
});

test('filters become the API query string without empty values', () => {
  assert.equal(statsQuery({ unit: '', field: 'ho-tich', from: '2026-01', to: '2026-11' }, { group_by: 'month' }), 'field=ho-tich&from=2026-01&to=2026-11&group_by=month');
});

test('words built at run time exist in both languages (criteria, month fields)', async () => {
  const { DICTIONARIES } = await import('../src/lib/i18n.js');
  await import('../src/stats/text.js');
  const keys = [...['time', 'visits', 'attitude', 'guidance', 'clarity', 'cost'].map((c) => `st.crit.${c}`), 'st.from', 'st.to'];
  for (const k of keys) {
    assert.ok(k in DICTIONARIES.vi, k);
    assert.ok(k in DICTIONARIES.en, k);
  }
});
