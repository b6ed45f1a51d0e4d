// Dates are shown in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving), money in whole đồng.

const VN_OFFSET_MS = 7 * 3600 * 1000;
const WEEKDAYS = {
  vi: ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const pad = (n) => String(n).padStart(2, '0');

function vnParts(iso) {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t + VN_OFFSET_MS);
  return {
    day: d.getUTCDate(),
    month: d.getUTCMonth() + 1,
    year: d.getUTCFullYear(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** "17:00 thứ Hai, 30/11/2026" (en: "17:00 Monday, 30/11/2026"). */
export function formatDueDate(iso, lang = 'vi') {
  const p = vnParts(iso);
  if (!p) return '';
  return `${pad(p.hour)}:${pad(p.minute)} ${WEEKDAYS[lang === 'en' ? 'en' : 'vi'][p.weekday]}, ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** "30/11/2026" */
export function formatDate(iso) {
  const p = vnParts(iso);
  return p ? `${pad(p.day)}/${pad(p.month)}/${p.year}` : '';
}

/** "14:05 30/11/2026" */
export function formatDateTime(iso) {
  const p = vnParts(iso);
  return p ? `${pad(p.hour)}:${pad(p.minute)} ${pad(p.day)}/${pad(p.month)}/${p.year}` : '';
}

/** A form "date" value (YYYY-MM-DD) shown as DD/MM/YYYY. */
export function formatIsoDay(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value || '';
}

/** Today in Việt Nam as YYYY-MM-DD (for max= on date inputs and "not in the future"). */
export function todayVn() {
  const p = vnParts(new Date().toISOString());
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** 1500000 → "1.500.000" */
export function groupDigits(n) {
  return String(Math.trunc(Number(n) || 0)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

export function formatMoney(amount, lang = 'vi') {
  return lang === 'en' ? `${groupDigits(amount).replace(/\./g, ',')} VND` : `${groupDigits(amount)} đồng`;
}
