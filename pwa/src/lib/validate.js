// Client-side checks mirroring the server's field types, and conversion of what was typed into the JSON the
// API expects. Pure functions: the service worker uses serializeForm() when it sends a queued dossier.

const MOBILE = /^0(3|5|7|8|9)\d{8}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const ID_NUMBER = /^\d{12}$/;
const TAX_CODE = /^\d{10}(-\d{3})?$/;

/** "+84 912.345.678" → "0912345678" (same normalisation as the backend). */
export function normalisePhone(raw) {
  let digits = String(raw || '').replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+84')) digits = '0' + digits.slice(3);
  else if (digits.startsWith('84') && digits.length === 11) digits = '0' + digits.slice(2);
  return digits;
}
export const isMobile = (raw) => MOBILE.test(normalisePhone(raw));

const isEmpty = (v) => v === undefined || v === null || v === '' || v === false;

// "1.500.000" or "1 500 000" → 1500000; null when it is not a whole number.
function parseWhole(v) {
  const s = String(v).trim().replace(/[.\s,]/g, '');
  return /^-?\d+$/.test(s) ? Number(s) : null;
}

function lowerFirst(label) {
  // "Họ và tên" → "họ và tên", but keep "CCCD", "UBND…" as written
  return label.length > 1 && label[1] === label[1].toLowerCase() ? label[0].toLowerCase() + label.slice(1) : label;
}

const MESSAGES = {
  vi: {
    required: (l, f) => (f.type === 'select' ? `Chọn ${lowerFirst(l)}` : f.type === 'checkbox' ? `Đánh dấu vào ô “${l}”` : `Nhập ${lowerFirst(l)}`),
    min_length: (l, f) => `${l} phải có ít nhất ${f.min_length} ký tự`,
    max_length: (l, f) => `${l} không được dài quá ${f.max_length} ký tự`,
    pattern: (l) => `${l} chưa đúng định dạng`,
    phone: () => 'Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912345678',
    email: () => 'Nhập địa chỉ email đúng định dạng, ví dụ ten@example.com',
    id_number: (l) => `${l} phải gồm đúng 12 chữ số`,
    tax_code: (l) => `${l} gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001`,
    integer: (l) => `${l} phải là số nguyên, ví dụ 3`,
    money: (l) => `${l} phải là số tiền bằng đồng, ví dụ 1.500.000`,
    min: (l, f) => `${l} phải từ ${f.min} trở lên`,
    max: (l, f) => `${l} không được lớn hơn ${f.max}`,
    date: (l) => `${l} phải là ngày có thật`,
    not_future: (l) => `${l} không được sau ngày hôm nay`,
    option: (l) => `Chọn ${lowerFirst(l)} trong danh sách`,
  },
  en: {
    required: (l, f) => (f.type === 'select' ? `Select ${l}` : f.type === 'checkbox' ? `Tick “${l}”` : `Enter ${l}`),
    min_length: (l, f) => `${l} must be at least ${f.min_length} characters`,
    max_length: (l, f) => `${l} must be ${f.max_length} characters or fewer`,
    pattern: (l) => `${l} is not in the right format`,
    phone: () => 'Enter a 10-digit mobile number, like 0912345678',
    email: () => 'Enter an email address in the correct format, like name@example.com',
    id_number: (l) => `${l} must be exactly 12 digits`,
    tax_code: (l) => `${l} must be 10 digits, or 13 as in 0123456789-001`,
    integer: (l) => `${l} must be a whole number, like 3`,
    money: (l) => `${l} must be an amount in đồng, like 1,500,000`,
    min: (l, f) => `${l} must be ${f.min} or more`,
    max: (l, f) => `${l} must be ${f.max} or less`,
    date: (l) => `${l} must be a real date`,
    not_future: (l) => `${l} must be today or in the past`,
    option: (l) => `Select ${l} from the list`,
  },
};

export const fieldLabel = (field, lang) => (lang === 'en' && field.label_en) || field.label || field.name;

/** The message for one field's value, or null when it is fine. */
export function validateField(field, value, lang = 'vi', today = null) {
  const m = MESSAGES[lang === 'en' ? 'en' : 'vi'];
  const label = fieldLabel(field, lang);
  const v = typeof value === 'string' ? value.trim() : value;
  if (isEmpty(v)) return field.required ? m.required(label, field) : null;
  switch (field.type) {
    case 'phone':
      if (!isMobile(v)) return m.phone(label, field);
      break;
    case 'email':
      if (!EMAIL.test(v)) return m.email(label, field);
      break;
    case 'id_number':
      if (!ID_NUMBER.test(v)) return m.id_number(label, field);
      break;
    case 'tax_code':
      if (!TAX_CODE.test(v)) return m.tax_code(label, field);
      break;
    case 'integer':
    case 'money': {
      const n = parseWhole(v);
      if (n === null || (field.type === 'money' && n < 0)) return m[field.type](label, field);
      if (field.min !== undefined && field.min !== null && n < field.min) return m.min(label, field);
      if (field.max !== undefined && field.max !== null && n > field.max) return m.max(label, field);
      return null;
    }
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      const d = match && new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
      if (!d || d.getUTCDate() !== +match[3] || d.getUTCMonth() !== +match[2] - 1) return m.date(label, field);
      if (field.not_future && today && v > today) return m.not_future(label, field);
      return null;
    }
    case 'select':
      if (field.options && field.options.length && !field.options.some((o) => String(o.value) === String(v)))
        return m.option(label, field);
      return null;
    case 'checkbox':
      return null;
    default:
      break;
  }
  if (typeof v === 'string') {
    if (field.min_length && v.length < field.min_length) return m.min_length(label, field);
    if (field.max_length && v.length > field.max_length) return m.max_length(label, field);
    if (field.pattern) {
      try {
        if (!new RegExp(`^(?:${field.pattern})$`, 'u').test(v)) return m.pattern(label, field);
      } catch {
        /* a pattern the browser cannot read is the server's to check */
      }
    }
  }
  return null;
}

/** { name: message } for every field of `fields` with a problem. */
export function validateFields(fields, values, lang, today) {
  const errors = {};
  for (const f of fields) {
    const msg = validateField(f, values[f.name], lang, today);
    if (msg) errors[f.name] = msg;
  }
  return errors;
}

/** What was typed → the JSON value the API expects (numbers for integer/money, booleans for checkboxes). */
export function serializeValue(field, value) {
  if (field.type === 'checkbox') return Boolean(value);
  if (value === undefined || value === null) return '';
  const v = typeof value === 'string' ? value.trim() : value;
  if (v === '') return '';
  if (field.type === 'integer' || field.type === 'money') {
    const n = parseWhole(v);
    return n === null ? v : n;
  }
  if (field.type === 'phone') return normalisePhone(v);
  return v;
}

/** The whole form, or only `names`, as JSON values. */
export function serializeForm(fields, values, names = null) {
  const out = {};
  for (const f of fields) {
    if (names && !names.includes(f.name)) continue;
    if (!(f.name in values) && !names) continue;
    out[f.name] = serializeValue(f, values[f.name]);
  }
  return out;
}

/** A value from the server → what the input shows. */
export function deserializeValue(field, value) {
  if (field.type === 'checkbox') return Boolean(value);
  if (value === undefined || value === null) return '';
  return String(value);
}
