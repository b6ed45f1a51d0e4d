// "/thanh-toan/<payment id>" (a lazy chunk) — where the gateway sends the citizen back (through the server's
// /payments/vnpay/return, which only redirects). Coming back proves nothing: the page asks the server
// (GET /payments/<id>) every 2 s, every 5 s after 30 s, and stops after 3 minutes with a calm message, until the
// status is final. Only the server's `paid` shows "Đã thanh toán" (with the receipt); failed / expired say why
// and offer "Thử thanh toán lại" (a new payment, as on the dossier page).
import { useEffect, useState } from 'preact/hooks';
import { get, isNetworkError } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { errorText, t } from '../lib/i18n.js';
import { canRetry, findPaymentDossier, isFinal, pollDelay, readPayment, recallPayment } from '../lib/payment.js';
import { navigate } from '../lib/router.js';
import { state } from '../lib/store.js';
import { LoadError, Loading, Page, SummaryList } from '../components/ui.jsx';
import { PayButton, PaymentChip, amountText, purposeText } from '../components/payment.jsx';
import './text.js';
import './payment.css';

/** The server's reason for a failure, when it gives one, in the page's language. */
export function reasonOf(p) {
  if (!p) return '';
  const en = state.lang === 'en';
  for (const k of ['failure_reason', 'reason', 'status_reason']) {
    const v = (en && p[`${k}_en`]) || p[`${k}_vi`] || (typeof p[k] === 'string' ? p[k] : '');
    if (v) return v;
  }
  return '';
}

const transient = (e) => isNetworkError(e) || e.status === 408 || e.status === 429 || e.status >= 500;

/** Ask the server until the status is final or 3 minutes have passed. `round` restarts it ("Kiểm tra lại"). */
function usePaymentStatus(id, round) {
  const [st, setSt] = useState({ payment: null, dossier: { id: null, code: null }, error: null, offline: false });
  const [watching, setWatching] = useState(true);
  useEffect(() => {
    let live = true;
    let timer = null;
    const ctrl = new AbortController();
    const started = Date.now();
    setWatching(true);
    const ask = async () => {
      try {
        const answer = await get(`/payments/${encodeURIComponent(id)}`, { cache: 'no-store', signal: ctrl.signal });
        if (!live) return;
        const { payment, dossier } = readPayment(answer);
        setSt((s) => ({
          payment,
          dossier: { id: dossier.id || s.dossier.id, code: dossier.code || s.dossier.code },
          error: null,
          offline: false,
        }));
        if (payment && isFinal(payment.status)) {
          setWatching(false);
          return;
        }
      } catch (e) {
        if (!live || (e && e.name === 'AbortError')) return;
        if (!transient(e)) {
          setSt((s) => ({ ...s, error: e }));
          setWatching(false);
          return;
        }
        setSt((s) => ({ ...s, offline: true })); // keep asking: the network may come back
      }
      const delay = pollDelay(Date.now() - started);
      if (delay === null) {
        setWatching(false);
        return;
      }
      timer = setTimeout(ask, delay);
    };
    ask();
    return () => {
      live = false;
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [id, round]);
  return { ...st, watching };
}

/**
 * The payment's dossier (id and code): from the answer when the server gives it, else as remembered on this
 * phone at the tap, else looked up among my dossiers; the code is fetched when only the id is known.
 */
function useDossier(paymentId, known, ready) {
  const [found, setFound] = useState(() => recallPayment(paymentId) || { id: null, code: null });
  const id = known.id || found.id;
  const code = known.code || (found.id === id ? found.code : null);
  useEffect(() => {
    if (!ready || (id && code)) return undefined;
    let live = true;
    const look = id
      ? get(`/dossiers/${encodeURIComponent(id)}`).then((d) => ({ id, code: (d && d.code) || null }))
      : findPaymentDossier(paymentId, get);
    look.then(
      (d) => live && d && setFound(d),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [paymentId, id, code, ready]);
  return { id, code };
}

function Spinner() {
  return <span class="spinner" aria-hidden="true" />;
}

function Outcome({ p, watching, offline, onCheck }) {
  const s = p.status;
  if (s === 'paid') {
    return (
      <>
        <p class="pay-result__headline">{t('pp.paid')}</p>
        <p>{t('pp.paid_body', { amount: amountText(p) })}</p>
      </>
    );
  }
  if (s === 'refunded') {
    return (
      <>
        <p class="pay-result__headline">{t('pp.refunded')}</p>
        <p>{t('pp.refunded_body')}</p>
      </>
    );
  }
  if (s === 'failed' || s === 'expired') {
    const reason = reasonOf(p);
    return (
      <>
        <p class="pay-result__headline">{t(s === 'failed' ? 'pp.failed' : 'pp.expired')}</p>
        <p>{t(s === 'failed' ? 'pp.failed_body' : 'pp.expired_body')}</p>
        {reason && <p>{t('pp.reason', { reason })}</p>}
        <p>{t('pp.money_note')}</p>
      </>
    );
  }
  // pending / confirming / anything else the server may say: not paid until it says paid
  if (!watching) {
    return (
      <>
        <p class="pay-result__calm">{t('pp.still_waiting')}</p>
        <button type="button" class="button button--secondary" onClick={onCheck} data-testid="pay-check-again">
          {t('pp.check_again')}
        </button>
      </>
    );
  }
  return (
    <>
      <p class="pay-result__headline">
        <Spinner />
        {t('pp.waiting')}
      </p>
      <p>{offline ? t('pp.reconnecting') : t('pp.waiting_body')}</p>
    </>
  );
}

const TONE = { paid: 'success', failed: 'error', expired: 'error', refunded: 'info' };

export function PaymentPage({ params }) {
  const id = params.id;
  const [round, setRound] = useState(0);
  const { payment: p, dossier: known, error, offline, watching } = usePaymentStatus(id, round);
  const dossier = useDossier(id, known, !!p);
  const code = dossier.code;
  const dossierHref = dossier.id ? `/ho-so/${encodeURIComponent(dossier.id)}` : '/ho-so';

  if (!p && error) {
    return (
      <Page title={t('pp.title')} back="/ho-so">
        {error.status === 401 ? (
          <div class="notice notice--info" role="status">
            <p>{t('pp.signin')}</p>
            <p>
              <a class="button" href={`/dang-nhap?next=${encodeURIComponent(`/thanh-toan/${id}`)}`}>
                {t('nav.signin')}
              </a>
            </p>
          </div>
        ) : error.status === 404 ? (
          <div class="notice notice--error" role="alert">
            <p>{t('pp.not_found')}</p>
            <p>
              <a href="/ho-so">{t('pp.to_mine')}</a>
            </p>
          </div>
        ) : (
          <LoadError error={error} onRetry={() => setRound((r) => r + 1)} />
        )}
      </Page>
    );
  }
  if (!p) {
    return (
      <Page title={t('pp.title')} back="/ho-so">
        {offline ? <LoadError error={{ status: 0 }} /> : <Loading />}
      </Page>
    );
  }
  const rows = [
    [t('pp.amount'), <strong class="pay-amount">{amountText(p)}</strong>],
    code && [t('pp.dossier'), <span class="code">{code}</span>],
    [t('pp.purpose'), purposeText(p.purpose)],
    p.txn_ref && [t('pp.txn'), <span class="code">{p.txn_ref}</span>],
    p.status === 'paid' && p.paid_at && [t('pp.paid_at'), formatDateTime(p.paid_at)],
  ];
  return (
    <Page title={t('pp.title')} back={dossierHref}>
      <div class={`pay-result pay-result--${TONE[p.status] || 'waiting'}`} role="status" aria-live="polite" aria-atomic="true">
        <p class="pay-result__chip">
          <PaymentChip payment={p} big />
        </p>
        <Outcome p={p} watching={watching} offline={offline} onCheck={() => setRound((r) => r + 1)} />
      </div>
      {error && !isFinal(p.status) && <LoadError error={error} onRetry={() => setRound((r) => r + 1)} />}
      <SummaryList rows={rows} />
      <ul class="action-list">
        {p.status === 'paid' && p.receipt_url && (
          <li>
            <a class="button" href={p.receipt_url} download type="application/pdf" data-testid="payment-receipt-link">
              {t('pay.receipt')}
            </a>
          </li>
        )}
        {p.status === 'paid' && !p.receipt_url && (
          <li>
            <p class="body">{t('pp.paid_no_receipt')}</p>
          </li>
        )}
        {canRetry(p.status) && dossier.id && (
          <li>
            <p class="body">{t('pp.retry_lead')}</p>
            <PayButton
              dossierId={dossier.id}
              dossierCode={code}
              purpose={p.purpose || 'fee'}
              label={t('pay.retry')}
              testid="pay-retry"
              onAlreadyPaid={() => navigate(dossierHref)}
            />
          </li>
        )}
        <li>
          <a class={`button ${p.status === 'paid' || canRetry(p.status) ? 'button--secondary' : ''}`} href={dossierHref} data-testid="payment-dossier-link">
            {dossier.id ? (code ? t('pp.to_dossier_code', { code }) : t('pp.to_dossier')) : t('pp.to_mine')}
          </a>
        </li>
      </ul>
    </Page>
  );
}
