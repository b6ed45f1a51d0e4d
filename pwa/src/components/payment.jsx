// Paying on-line, as the dossier and confirmation pages show it (first-load code, kept small): the "Cần thanh
// toán" box with its button, the payment chips, and the dossier's past payments. The return page after the
// gateway (/thanh-toan/<id>) is a lazy chunk: src/payment/.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { formatDateTime, formatMoney } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { PAYMENT_CHIP, PAYMENT_STATUSES, keyKeeper, rememberPayment, startPayment } from '../lib/payment.js';
import { state } from '../lib/store.js';

/** "100.000 đồng" (the server's words) or "100,000 VND". */
export function amountText(x) {
  if (!x) return '';
  if (state.lang === 'vi' && x.amount_label_vi) return x.amount_label_vi;
  return formatMoney(x.amount_vnd, state.lang);
}

/** The words of a payment status; known statuses always read from the dictionary (so "Đã thanh toán" only ever
 * stands next to `paid`). */
export function paymentStatusLabel(p) {
  if (!p) return '';
  if (PAYMENT_STATUSES.includes(p.status)) return t(`pay.status.${p.status}`);
  return (state.lang === 'en' && p.status_label_en) || p.status_label_vi || p.status || '';
}

export function PaymentChip({ payment, big = false }) {
  return (
    <strong
      class={`chip chip--${PAYMENT_CHIP[payment.status] || 'grey'}${big ? ' chip--big' : ''}`}
      data-testid="payment-status"
      data-status={payment.status}
    >
      {paymentStatusLabel(payment)}
    </strong>
  );
}

export const purposeText = (purpose) => (purpose === 'obligation' ? t('pay.purpose.obligation') : t('pay.purpose.fee'));

/**
 * "Thanh toán trực tuyến": POST the payment (one Idempotency-Key per attempt, reused when the request never
 * reached the server) → the gateway's page. 409 already_paid → onAlreadyPaid().
 */
export function PayButton({ dossierId, dossierCode, purpose, label, testid = 'pay-button', onAlreadyPaid, secondary = false }) {
  const keys = useRef(null);
  if (!keys.current) keys.current = keyKeeper();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const errorRef = useRef(null);
  // back from the gateway with the browser's Back button (page restored from the back/forward cache)
  useEffect(() => {
    const onShow = (e) => {
      if (e.persisted) setBusy(false);
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);
  useEffect(() => {
    if (error && errorRef.current) errorRef.current.focus();
  }, [error]);
  const pay = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const r = await startPayment(dossierId, purpose, keys.current.get());
      keys.current.settle(null);
      if (r.alreadyPaid) {
        setBusy(false);
        if (onAlreadyPaid) onAlreadyPaid();
        return;
      }
      if (r.payment && r.payment.id) rememberPayment(r.payment.id, { id: dossierId, code: dossierCode });
      window.location.assign(r.redirect); // stays busy: the gateway's page is loading
    } catch (e) {
      keys.current.settle(e);
      setBusy(false);
      setError(`${t('pay.start_failed')} ${e && e.code === 'no_redirect' ? t('error.generic') : errorText(e)}`);
    }
  };
  return (
    <>
      {error && (
        <div class="notice notice--error" role="alert" tabIndex={-1} ref={errorRef} data-testid="pay-error">
          <p>{error}</p>
        </div>
      )}
      <button
        type="button"
        class={`button button--start pay-button${secondary ? ' button--secondary' : ''}`}
        onClick={pay}
        disabled={busy}
        aria-busy={busy ? 'true' : undefined}
        data-testid={testid}
      >
        <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M3 5h18a1 1 0 011 1v12a1 1 0 01-1 1H3a1 1 0 01-1-1V6a1 1 0 011-1zm1 2v2h16V7H4zm0 5v5h16v-5H4zm2 2h5v1.5H6V14z" />
        </svg>
        {busy ? t('pay.redirecting') : label || t('pay.button')}
      </button>
    </>
  );
}

/**
 * The box shown while the dossier waits for a payment (`dossier.payment_due`). When `payments` (the dossier's
 * list) already holds a confirmed payment for it, a note says so instead of asking again.
 */
export function PaymentDue({ dossier, payments, onAlreadyPaid }) {
  const due = dossier && dossier.payment_due;
  if (!due) return null;
  const paid = paidFor(payments, due.purpose || 'fee');
  if (paid) {
    return (
      <div class="notice notice--success" data-testid="payment-settling">
        <p>{t('pay.settling', { amount: amountText(paid) })}</p>
      </div>
    );
  }
  // the reason is the server's (Vietnamese) words; in English a fee reads "Fees and charges: <procedure>"
  let reason = tx(due, 'reason');
  let reasonLang;
  if (state.lang === 'en' && !due.reason_en) {
    if ((due.purpose || 'fee') === 'fee' && dossier.procedure && dossier.procedure.name_en) reason = `${t('pay.purpose.fee')}: ${dossier.procedure.name_en}`;
    else reasonLang = 'vi';
  }
  return (
    <section class="pay-due" aria-labelledby="pay-due-title" data-testid="payment-due">
      <h2 class="pay-due__title" id="pay-due-title">
        {t('pay.due')} <span class="pay-due__amount">{amountText(due)}</span>
        {reason && ' — '}
        {reason && <span lang={reasonLang}>{reason}</span>}
      </h2>
      <p class="pay-due__lead">{t('pay.due_lead')}</p>
      <PayButton dossierId={dossier.id} dossierCode={dossier.code} purpose={due.purpose || 'fee'} onAlreadyPaid={onAlreadyPaid} />
      <p class="pay-due__note">{t('pay.due_note')}</p>
    </section>
  );
}

/** GET /dossiers/<id>/payments → {items, error, reload}; `version` reloads it. items null until loaded. */
export function usePayments(dossierId, version = 0) {
  const [st, setSt] = useState({ items: null, error: null });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!dossierId) return undefined;
    let live = true;
    get(`/dossiers/${encodeURIComponent(dossierId)}/payments`, { cache: 'no-store' }).then(
      (r) => live && setSt({ items: (r && r.items) || [], error: null }),
      (error) => live && setSt((s) => ({ items: s.items, error })),
    );
    return () => {
      live = false;
    };
  }, [dossierId, version, n]);
  return { ...st, reload: () => setN((x) => x + 1) };
}

/** A payment of this purpose the server already confirmed (the dossier may take a moment to learn it). */
export const paidFor = (items, purpose) => (items || []).find((p) => p.status === 'paid' && p.purpose === purpose) || null;

/** The dossier's payments (from usePayments), newest first, with chips and receipts. Nothing when there are none. */
export function PaymentHistory({ payments: st }) {
  if (st.error && !st.items) {
    if (st.error.status === 404) return null;
    return (
      <div class="notice notice--error">
        <p>
          {t('pay.history_failed')} {errorText(st.error)}
        </p>
        <button type="button" class="button button--secondary button--small" onClick={st.reload}>
          {t('retry')}
        </button>
      </div>
    );
  }
  const items = [...(st.items || [])].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  if (!items.length) return null;
  return (
    <section aria-labelledby="payments-title">
      <h2 class="heading-m" id="payments-title">
        {t('pay.history')}
      </h2>
      <ul class="pay-list">
        {items.map((p) => (
          <li class="pay-item" key={p.id} data-testid="payment-item" data-id={p.id}>
            <p class="pay-item__head">
              <span class="pay-item__amount">{amountText(p)}</span>
              <PaymentChip payment={p} />
            </p>
            <p class="pay-item__meta">
              {purposeText(p.purpose)}
              {p.created_at && ` · ${t('pay.created')} ${formatDateTime(p.created_at)}`}
            </p>
            {p.paid_at && (
              <p class="pay-item__meta">
                {t('pay.paid_at')} {formatDateTime(p.paid_at)}
              </p>
            )}
            {p.txn_ref && (
              <p class="pay-item__meta">
                {t('pay.txn')}: <span class="code">{p.txn_ref}</span>
              </p>
            )}
            {p.receipt_url && (
              <p class="pay-item__link">
                <a href={p.receipt_url} download type="application/pdf" data-testid="payment-receipt-link">
                  {t('pay.receipt')}
                </a>
              </p>
            )}
            {(p.status === 'pending' || p.status === 'confirming') && (
              <p class="pay-item__link">
                <a href={`/thanh-toan/${encodeURIComponent(p.id)}`}>{t('pay.view')}</a>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
