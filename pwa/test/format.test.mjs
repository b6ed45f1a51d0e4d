import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDueDate, formatMoney, formatDateTime } from '../src/lib/format.js';

test('due dates read in Asia/Ho_Chi_Minh, Vietnamese style', () => {
  assert.equal(formatDueDate('2026-11-30T10:00:00Z'), '17:00 thứ Hai, 30/11/2026');
  assert.equal(formatDueDate('2026-11-30T17:00:00+07:00'), '17:00 thứ Hai, 30/11/2026');
  assert.equal(formatDueDate('2026-11-29T10:00:00Z', 'en'), '17:00 Sunday, 29/11/2026');
});

test('late UTC evening is already the next day in Việt Nam', () => {
  assert.equal(formatDateTime('2026-11-29T18:30:00Z'), '01:30 30/11/2026');
});

test('money in whole đồng', () => {
  assert.equal(formatMoney(1500000), '1.500.000 đồng');
  assert.equal(formatMoney(50000, 'en'), '50,000 VND');
});
