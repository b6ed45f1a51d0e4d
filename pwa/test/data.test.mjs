// usePages (lib/data.js), the "Xem thêm" lists: rendered with Preact into a minimal DOM (test/support/dom.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { container, settle } from './support/dom.mjs';
import { h, render } from 'preact';
import { usePages } from '../src/lib/data.js';

/** Mounts a list whose pages come from `page(token, deps)`; returns the hook's latest value and the shown text. */
function mount(page) {
  const seen = { list: null, asked: [] };
  function List({ unit }) {
    seen.list = usePages((token) => (seen.asked.push([unit, token]), page(token, unit)), [unit]);
    return h('ul', null, seen.list.items.map((x) => h('li', { key: x }, x)));
  }
  const root = container();
  const show = (unit) => render(h(List, { unit }), root);
  return { seen, show, text: () => root.childNodes[0].childNodes.map((li) => li.textContent) };
}

const threePages = (token, unit) => Promise.resolve(
  token === null ? { items: [`${unit}1`], next_page_token: 'p2' } : token === 'p2' ? { items: [`${unit}2`], next_page_token: 'p3' } : { items: [`${unit}3`], next_page_token: null },
);

test('the first page, then each "Xem thêm" appends the next; after the last page there is no next', async () => {
  const { seen, show, text } = mount(threePages);
  show('A');
  await settle();
  assert.deepEqual(text(), ['A1']);
  assert.equal(seen.list.next, 'p2');
  seen.list.more();
  await settle();
  seen.list.more();
  await settle();
  assert.deepEqual(text(), ['A1', 'A2', 'A3']);
  assert.equal(seen.list.next, null);
  assert.deepEqual(seen.asked, [['A', null], ['A', 'p2'], ['A', 'p3']]);
});

test('another unit starts again from its first page, and a late page of the old unit is not added to it', async () => {
  const pending = {};
  const { seen, show, text } = mount((token, unit) => (token ? new Promise((resolve) => (pending[unit] = () => resolve({ items: [`${unit}2`], next_page_token: null }))) : threePages(null, unit)));
  show('A');
  await settle();
  seen.list.more();
  await settle();
  assert.equal(seen.list.busy, true);
  show('B');
  await settle();
  assert.deepEqual(text(), ['B1']);
  assert.equal(seen.list.busy, false);
  seen.list.more();
  pending.A(); // A's page arrives while B's is on its way
  await settle();
  assert.equal(seen.list.busy, true);
  pending.B();
  await settle();
  assert.deepEqual(text(), ['B1', 'B2']);
  assert.equal(seen.list.next, null);
});

test('a failed "Xem thêm" keeps the pages shown, says why, and offers the same page again', async () => {
  let fail = true;
  const { seen, show, text } = mount((token, unit) => (token && fail ? Promise.reject(Object.assign(new Error('lost'), { status: 0 })) : threePages(token, unit)));
  show('A');
  await settle();
  seen.list.more();
  await settle();
  assert.deepEqual(text(), ['A1']);
  assert.equal(seen.list.moreError.status, 0);
  assert.equal(seen.list.next, 'p2');
  fail = false;
  seen.list.more();
  await settle();
  assert.deepEqual(text(), ['A1', 'A2']);
  assert.equal(seen.list.moreError, null);
});
