// The shared form group (FormGroup in components/ui.jsx) and the catalog's FormField built on it, rendered without a
// browser: what a screen reader is told about each control (label, hint, error) and how an error shows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { controlAria, describedBy } from '../src/lib/aria.js';
import { close, find, findAll, load, render, text } from './support/render.mjs';

let FormGroup;
let FormField;
before(async () => {
  ({ FormGroup } = await load('src/components/ui.jsx'));
  ({ FormField } = await load('src/components/field.jsx'));
});
after(close);

const byTag = (tag) => (n) => n.tag === tag;
const byClass = (cls) => (n) => (n.attrs.class || '').split(' ').includes(cls);
const input = (aria) => h('input', { class: 'input', ...aria, 'data-testid': 'phone-input' });

test('a control is described by its hint, then its error, and by nothing when neither shows', () => {
  assert.equal(describedBy('phone', { hint: 'Số di động', error: 'Nhập số điện thoại' }), 'phone-hint phone-error');
  assert.equal(describedBy('phone', { hint: 'Số di động' }), 'phone-hint');
  assert.equal(describedBy('phone', { error: 'Nhập số điện thoại' }), 'phone-error');
  assert.equal(describedBy('phone', { hint: '', error: '' }), undefined);
  assert.equal(describedBy('phone'), undefined);
  assert.equal(describedBy('fb-sender_email', { hint: 'h', error: 'e', hintId: 'fb-email-hint', errorId: 'fb-email-error' }), 'fb-email-hint fb-email-error');
  assert.deepEqual(controlAria('otp', { hint: 'h', error: 'Mã gồm 6 chữ số' }), { id: 'otp', 'aria-describedby': 'otp-hint otp-error', 'aria-invalid': 'true' });
  assert.deepEqual(controlAria('otp', { hint: 'h', error: '' }), { id: 'otp', 'aria-describedby': 'otp-hint', 'aria-invalid': undefined });
});

test('with an error: red group, the error under the hint with its hidden "Lỗi:", the control described by both and invalid', () => {
  const tree = render(h(FormGroup, { id: 'phone', label: 'Số điện thoại', labelClass: 'label label--m', hint: 'Số di động 10 chữ số', error: 'Nhập số điện thoại' }, input));
  const group = tree[0];
  assert.equal(group.attrs.class, 'form-group form-group--error');
  assert.deepEqual(group.children.map((n) => n.tag), ['label', 'p', 'p', 'input']);
  const label = find(tree, byTag('label'));
  assert.deepEqual(label.attrs, { class: 'label label--m', for: 'phone' });
  assert.equal(text(label), 'Số điện thoại');
  assert.deepEqual(find(tree, byClass('hint')).attrs, { class: 'hint', id: 'phone-hint' });
  const error = find(tree, byClass('error-message'));
  assert.equal(error.attrs.id, 'phone-error');
  assert.equal(text(error), 'Lỗi: Nhập số điện thoại');
  const control = find(tree, byTag('input'));
  assert.equal(control.attrs.id, 'phone');
  assert.equal(control.attrs['aria-describedby'], 'phone-hint phone-error');
  assert.equal(control.attrs['aria-invalid'], 'true');
  assert.equal(control.attrs['data-testid'], 'phone-input');
});

test('without an error: no red, no error message, no aria-invalid; without a hint either, no aria-describedby', () => {
  const tree = render(h(FormGroup, { id: 'track-phone', label: 'Số điện thoại', error: '', class: 'filters__item' }, input));
  assert.equal(tree[0].attrs.class, 'form-group filters__item');
  assert.equal(findAll(tree, byClass('error-message')).length, 0);
  assert.equal(findAll(tree, byClass('hint')).length, 0);
  const control = find(tree, byTag('input'));
  assert.equal('aria-describedby' in control.attrs, false);
  assert.equal('aria-invalid' in control.attrs, false);
  const hinted = find(render(h(FormGroup, { id: 'search-q', label: 'Tìm', hint: 'Tên thủ tục' }, input)), byTag('input'));
  assert.equal(hinted.attrs['aria-describedby'], 'search-q-hint');
});

test('a radio group is a fieldset described by its hint and error, with the label as legend', () => {
  const radios = ({ id }) => [h('input', { type: 'radio', id, name: 'm' }), h('input', { type: 'radio', id: `${id}-1`, name: 'm' })];
  const tree = render(h(FormGroup, { id: 'act-method', legend: true, label: 'Cách trả', optional: true, hint: 'Chọn một', error: 'Chọn cách trả', fieldset: { id: 'act-method-group', tabIndex: -1 } }, radios));
  assert.equal(tree[0].attrs.class, 'form-group form-group--error');
  const fieldset = find(tree, byTag('fieldset'));
  assert.deepEqual(fieldset.attrs, { class: 'fieldset', id: 'act-method-group', tabIndex: -1, 'aria-describedby': 'act-method-hint act-method-error' });
  assert.equal(text(find(tree, byTag('legend'))), 'Cách trả (không bắt buộc)');
  assert.equal(findAll(tree, byTag('label')).length, 0);
  const [first, second] = findAll(tree, byTag('input'));
  assert.equal(first.attrs.id, 'act-method');
  assert.equal(second.attrs.id, 'act-method-1');
  assert.equal('aria-describedby' in first.attrs, false, 'the fieldset, not each radio, carries the description');
});

test('a file input inside a button-like label is named by the caption, not given a second label', () => {
  const tree = render(h(FormGroup, { id: 'verify-file', label: 'Chọn tệp PDF', labelClass: 'label label--m', labelledBy: true, hint: 'Tệp PDF', error: 'Không đọc được' }, (aria) => h('label', { class: 'button' }, h('input', { type: 'file', ...aria }))));
  const caption = tree[0].children[0];
  assert.deepEqual([caption.tag, caption.attrs], ['p', { class: 'label label--m', id: 'verify-file-label' }]);
  const control = find(tree, byTag('input'));
  assert.equal(control.attrs['aria-labelledby'], 'verify-file-label');
  assert.equal(control.attrs['aria-describedby'], 'verify-file-hint verify-file-error');
});

test('a catalog field: label with "(không bắt buộc)" when optional, f-<name> ids, described and invalid on error', () => {
  const field = { name: 'applicant_email', type: 'email', required: false, label: 'Thư điện tử', help: 'Để nhận thông báo' };
  const tree = render(h(FormField, { field, value: '', error: 'Thư điện tử không hợp lệ', onChange() {} }));
  assert.equal(tree[0].attrs.class, 'form-group form-group--error');
  assert.equal(text(find(tree, byTag('label'))), 'Thư điện tử (không bắt buộc)');
  const control = find(tree, byTag('input'));
  assert.equal(control.attrs.id, 'f-applicant_email');
  assert.equal(control.attrs.type, 'email');
  assert.equal(control.attrs['aria-describedby'], 'f-applicant_email-hint f-applicant_email-error');
  assert.equal(control.attrs['aria-invalid'], 'true');
  assert.equal(find(tree, byClass('hint')).attrs.id, 'f-applicant_email-hint');
  assert.equal(find(tree, byClass('error-message')).attrs.id, 'f-applicant_email-error');

  const required = render(h(FormField, { field: { ...field, required: true, help: '' }, value: 'a@b.vn', error: '', onChange() {} }));
  assert.equal(text(find(required, byTag('label'))), 'Thư điện tử');
  const ok = find(required, byTag('input'));
  assert.equal('aria-describedby' in ok.attrs, false);
  assert.equal(ok.attrs['aria-required'], 'true');
});

test('a catalog checkbox keeps its own label after the box and never says "(không bắt buộc)"', () => {
  const field = { name: 'agree', type: 'checkbox', required: false, label: 'Tôi cam đoan', help: 'Bắt buộc khi nộp' };
  const tree = render(h(FormField, { field, value: true, error: 'Cần cam đoan', onChange() {} }));
  assert.deepEqual(tree[0].children.map((n) => n.attrs.class), ['hint', 'error-message', 'checkbox']);
  const box = find(tree, byTag('input'));
  assert.equal(box.attrs['aria-describedby'], 'f-agree-hint f-agree-error');
  assert.equal(text(find(tree, byTag('label'))), 'Tôi cam đoan');
});

test('a catalog select with few options becomes radios in a described fieldset; with many, a described dropdown', () => {
  const options = (n) => Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `Lựa chọn ${i}` }));
  const few = render(h(FormField, { field: { name: 'gender', type: 'select', required: true, label: 'Giới tính', options: options(3) }, value: '', error: 'Chọn giới tính', onChange() {} }));
  assert.equal(find(few, byTag('fieldset')).attrs['aria-describedby'], 'f-gender-error');
  assert.deepEqual(findAll(few, byTag('input')).map((n) => n.attrs.id), ['f-gender', 'f-gender-1', 'f-gender-2']);
  const many = render(h(FormField, { field: { name: 'ethnic', type: 'select', required: true, label: 'Dân tộc', options: options(8) }, value: '', error: '', onChange() {} }));
  const select = find(many, byTag('select'));
  assert.equal(select.attrs.id, 'f-ethnic');
  assert.equal(find(many, byTag('label')).attrs.for, 'f-ethnic');
  assert.equal(findAll(select.children, byTag('option')).length, 9);
});

test("a rating scale (public/scale.jsx) is a fieldset described by its error while it shows, and by nothing otherwise", async () => {
  const { Scale } = await load('src/public/scale.jsx');
  const wrong = render(h(Scale, { name: 'overall', legend: 'Nhìn chung', value: 0, error: 'Chọn mức độ hài lòng chung.', onChange() {} }));
  const set = find(wrong, byTag('fieldset'));
  assert.equal(set.attrs['aria-describedby'], 'overall-error');
  assert.equal(text(find(wrong, (n) => n.attrs.id === 'overall-error')), 'Chọn mức độ hài lòng chung.');
  assert.equal(findAll(wrong, byTag('input')).length, 5);
  const fine = render(h(Scale, { name: 'overall', legend: 'Nhìn chung', value: 4, onChange() {} }));
  assert.equal(find(fine, byTag('fieldset')).attrs['aria-describedby'], undefined);
});

test('a failure notice (Alert) is said at once with its sentence, and is not there without one', async () => {
  const { Alert } = await load('src/components/ui.jsx');
  const shown = render(h(Alert, { testid: 'sign-error' }, 'Không gửi được. Thử lại.'));
  assert.equal(shown.length, 1);
  assert.equal(shown[0].attrs.role, 'alert');
  assert.equal(shown[0].attrs['data-testid'], 'sign-error');
  assert.equal(text(shown[0]), 'Không gửi được. Thử lại.');
  assert.deepEqual(render(h(Alert, {}, '')), []);
  assert.deepEqual(render(h(Alert, {}, null)), []);
});
