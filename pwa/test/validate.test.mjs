import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMobile, normalisePhone, serializeForm, validateField } from '../src/lib/validate.js';

const f = (type, extra = {}) => ({ name: 'x', label: 'Họ và tên', label_en: 'Full name', type, required: true, ...extra });

test('a required field left empty asks for it in Vietnamese, lower-casing the label', () => {
  assert.equal(validateField(f('text'), ''), 'Nhập họ và tên');
  assert.equal(validateField(f('select', { label: 'Giới tính' }), ''), 'Chọn giới tính');
  assert.equal(validateField(f('text'), '', 'en'), 'Enter Full name');
});

test('an acronym label keeps its capitals', () => {
  assert.equal(validateField(f('id_number', { label: 'CCCD' }), ''), 'Nhập CCCD');
});

test('optional empty fields are fine', () => {
  assert.equal(validateField(f('email', { required: false }), ''), null);
});

test('mobile numbers are normalised like the backend does', () => {
  assert.equal(normalisePhone('+84 912.345.678'), '0912345678');
  assert.ok(isMobile('0912345678'));
  assert.ok(!isMobile('0212345678'));
  assert.match(validateField(f('phone'), '12345'), /10 chữ số/);
});

test('id number is exactly 12 digits; tax code 10 or 10-3', () => {
  assert.equal(validateField(f('id_number'), '075190001234'), null);
  assert.match(validateField(f('id_number'), '07519000123'), /12 chữ số/);
  assert.equal(validateField(f('tax_code'), '0123456789-001'), null);
  assert.ok(validateField(f('tax_code'), '01234'));
});

test('money accepts grouped digits and is sent as an integer', () => {
  const money = f('money', { name: 'capital' });
  assert.equal(validateField(money, '1.500.000'), null);
  assert.deepEqual(serializeForm([money], { capital: '1.500.000' }), { capital: 1500000 });
});

test('integer bounds and dates', () => {
  assert.match(validateField(f('integer', { min: 1, max: 50 }), '0'), /từ 1 trở lên/);
  assert.match(validateField(f('date', { not_future: true }), '2999-01-01', 'vi', '2026-11-26'), /không được sau ngày hôm nay/);
  assert.match(validateField(f('date'), '2026-02-30'), /ngày có thật/);
});

test('checkbox required means ticked; serialised as boolean', () => {
  const c = f('checkbox', { name: 'ok', label: 'Tôi cam kết' });
  assert.equal(validateField(c, false), 'Đánh dấu vào ô “Tôi cam kết”');
  assert.deepEqual(serializeForm([c], { ok: true }), { ok: true });
});
