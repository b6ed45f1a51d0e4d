// "/ho-so/<id>" — one dossier: queued on this device (with the "will be sent" banner), or the server's
// record with status, due date, receipt and history — and what the citizen can do next: send the papers
// asked for (supplement), pay what is due on-line (payment_due) and see past payments, download the signed result
// and verify it, withdraw, read an apology.
// A draft goes back to its first step.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../lib/api.js';
import { getProcedure, useLoad } from '../lib/data.js';
import { formatDateTime, formatDueDate, formatIsoDay } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { idbGet } from '../lib/idb.js';
import { navigate } from '../lib/router.js';
import { state, useAppState } from '../lib/store.js';
import { Alert, Dialog, FormGroup, LoadError, Loading, Page, StatusChip, SummaryList, Timeline, statusLabel } from '../components/ui.jsx';
import { flushNow, onOutboxEvent, unqueue } from '../offline/drafts.js';
import { draftPath } from './filing.jsx';
import { feeText } from './procedure-text.js';
import { SupplementPanel } from './supplement.jsx';
import { PushCard } from '../components/push-card.jsx';
import { PaymentDue, PaymentHistory, usePayments } from '../components/payment.jsx';

const WITHDRAWABLE = ['submitted', 'received', 'in_progress'];

/** The rating panel of a returned dossier, loaded on demand (its own chunk, with the kiosk's scale). */
function RatingSlot({ d }) {
  const [mod, setMod] = useState(null);
  useEffect(() => {
    import('../public/rating.jsx').then(setMod, () => setMod(null));
  }, []);
  return mod ? <mod.RatingPanel d={d} /> : null;
}
const slipUrl = (d, kind) => `/api/v1/dossiers/${encodeURIComponent(d.id)}/documents/${kind}.pdf`;

function ResultPanel({ d }) {
  return (
    <section class="result-panel" aria-labelledby="result-title">
      <h2 class="heading-m result-panel__title" id="result-title">
        {t('result.title')}
      </h2>
      <a class="button button--start" href={d.result_url} download data-testid="result-link">
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M11 3h2v9.2l3.3-3.3 1.4 1.4L12 16 6.3 10.3l1.4-1.4L11 12.2V3zM5 18h14v2H5z" />
        </svg>
        {t('result.download')}
      </a>
      {d.code && (
        <p class="body">
          <a href={`/xac-minh/${encodeURIComponent(d.code)}`} data-testid="verify-link">
            {t('result.verify')}
          </a>
        </p>
      )}
    </section>
  );
}

function Apologies({ d }) {
  return (
    <div class="notice notice--info" data-testid="apologies">
      <h2 class="notice__title">{t('apology.title')}</h2>
      {d.apologies.map((a, i) => (
        <div class="apology" key={i}>
          <p>{a.reason}</p>
          <p>
            <strong>{t('apology.new_date', { date: formatIsoDay(a.new_due_date) })}</strong>
          </p>
          {a.issued_at && <p class="muted">{t('apology.issued', { date: formatDateTime(a.issued_at) })}</p>}
          <p>
            <a href={a.slip_url || slipUrl(d, 'apology')} download>
              {t('apology.slip')}
            </a>
          </p>
        </div>
      ))}
    </div>
  );
}

function Withdraw({ d, onUpdated }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const field = useRef(null);
  const close = () => {
    setOpen(false);
    setError('');
    setFailure('');
  };
  const confirm = async (e) => {
    e.preventDefault();
    setFailure('');
    if (!reason.trim()) {
      setError(t('withdraw.reason_required'));
      if (field.current) field.current.focus();
      return;
    }
    setError('');
    setBusy(true);
    try {
      const next = await post(`/dossiers/${encodeURIComponent(d.id)}/withdraw`, { reason: reason.trim() });
      setOpen(false);
      onUpdated(next, t('withdraw.done'));
    } catch (err) {
      if (err.fields && err.fields.reason) setError(err.fields.reason);
      else setFailure(errorText(err));
    }
    setBusy(false);
  };
  return (
    <>
      <button type="button" class="button button--warning-outline" onClick={() => setOpen(true)} data-testid="withdraw-button">
        {t('withdraw.button')}
      </button>
      {open && (
        <Dialog title={t('withdraw.title')} onClose={close} id="withdraw">
          <form onSubmit={confirm} noValidate>
            <Alert>{failure}</Alert>
            <p class="body">{t('withdraw.lead')}</p>
            <FormGroup id="withdraw-reason" label={t('withdraw.reason')} error={error}>
              {(aria) => (
                <textarea
                  class={`textarea textarea--short${error ? ' input--error' : ''}`}
                  {...aria}
                  rows={3}
                  ref={field}
                  value={reason}
                  data-testid="action-reason"
                  onInput={(e) => setReason(e.currentTarget.value)}
                />
              )}
            </FormGroup>
            <div class="dialog__actions">
              <button type="submit" class="button button--warning" disabled={busy} data-testid="confirm-action">
                {busy ? t('sending') : t('withdraw.confirm')}
              </button>
              <button type="button" class="button button--secondary" onClick={close} disabled={busy}>
                {t('withdraw.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}

export function QueuedBanner({ rec }) {
  const err = rec.sendError;
  const extra = err && err.status === 401 ? t('queued.signin') : err && (err.status === 429 || err.status >= 500) ? t('queued.busy') : '';
  return (
    <div class="notice notice--queued" data-testid="queued-banner" role="status">
      <h2 class="notice__title">{t('queued.title')}</h2>
      <p>{t('queued.body')}</p>
      {extra && <p>{extra}</p>}
      {err && err.status === 401 && (
        <p>
          <a href={`/dang-nhap?next=${encodeURIComponent(draftPath(rec.id))}`}>{t('nav.signin')}</a>
        </p>
      )}
    </div>
  );
}

function QueuedView({ rec }) {
  const s = useAppState();
  const [busy, setBusy] = useState(false);
  return (
    <Page title={tx(rec.procedure)} caption={t('dossier.title')} back="/ho-so">
      <QueuedBanner rec={rec} />
      <SummaryList
        rows={[
          [t('dossier.status'), <StatusChip status="queued" label={t('queued.chip')} />],
          [t('dossier.procedure'), tx(rec.procedure)],
          [t('check.documents'), String(rec.attachments.length)],
        ]}
      />
      <div class="button-group">
        {s.online && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await flushNow();
              setBusy(false);
            }}
          >
            {t('queued.send_now')}
          </button>
        )}
        <button
          type="button"
          class="button button--secondary"
          onClick={async () => {
            await unqueue(rec.id);
            navigate(draftPath(rec.id, '/kiem-tra'));
          }}
        >
          {t('queued.edit')}
        </button>
      </div>
    </Page>
  );
}

function ServerView({ id }) {
  const d = useLoad(() => get(`/dossiers/${encodeURIComponent(id)}`), [id]);
  const [fresh, setFresh] = useState(null); // the dossier as a withdraw / resubmit answered it
  const [notice, setNotice] = useState('');
  const [paymentsVersion, setPaymentsVersion] = useState(0); // bumped to reload the payments list
  const noticeRef = useRef(null);
  const x = fresh || d.data;
  const draft = x && x.status === 'draft';
  const supplement = x && x.status === 'supplement_requested' && x.supplement_request;
  const payments = usePayments(x && x.code ? x.id : null, paymentsVersion);
  const procedure = useLoad(() => (supplement ? getProcedure(x.procedure.code) : null), [supplement ? x.procedure.code : '']);
  useEffect(() => {
    if (draft) navigate(draftPath(id, '/thong-tin/1'), { replace: true });
  }, [draft]);
  useEffect(() => {
    if (notice && noticeRef.current) {
      noticeRef.current.focus();
      noticeRef.current.scrollIntoView({ block: 'center' });
    }
  }, [notice]);
  if (d.loading && !x) return <Loading />;
  if (d.error && !x) {
    return (
      <Page title={t('dossier.title')} back="/ho-so">
        <LoadError error={d.error} onRetry={d.reload} />
      </Page>
    );
  }
  if (draft) return null;
  const updated = (next, text) => {
    setFresh(next);
    setNotice(text);
  };
  // 409 already_paid: someone (another tab, the gateway's late confirmation) paid it — show the server's view
  const alreadyPaid = () => {
    setFresh(null);
    d.reload();
    setPaymentsVersion((n) => n + 1);
    setNotice(t('pay.already_paid'));
  };
  const history = [...(x.history || [])].sort((a, b) => (a.at < b.at ? -1 : 1));
  const hasResult = (x.status === 'done' || x.status === 'returned') && x.result_url;
  return (
    <Page title={x.code || tx(x.procedure)} caption={t('dossier.title')} back="/ho-so">
      {notice && (
        <div class="notice notice--success" role="status" tabIndex={-1} ref={noticeRef} data-testid="dossier-notice">
          <p>{notice}</p>
        </div>
      )}
      <p class="status-line">
        <StatusChip status={x.status} label={statusLabel(x)} />
      </p>
      {x.payment_due && <PaymentDue dossier={x} payments={payments.items} onAlreadyPaid={alreadyPaid} />}
      {hasResult && <ResultPanel d={x} />}
      {x.status === 'returned' && <RatingSlot d={x} />}
      {supplement &&
        (procedure.loading ? (
          <Loading />
        ) : (
          <SupplementPanel d={x} documents={(procedure.data && procedure.data.documents) || []} onUpdated={updated} />
        ))}
      {x.apologies && x.apologies.length > 0 && <Apologies d={x} />}
      <SummaryList
        rows={[
          [t('dossier.procedure'), tx(x.procedure)],
          x.code && [t('mine.code'), <span class="code">{x.code}</span>],
          x.receiving_office && [t('dossier.receiving'), tx(x.receiving_office)],
          x.competent_unit && [t('dossier.competent'), tx(x.competent_unit)],
          x.submitted_at && [t('dossier.submitted'), formatDateTime(x.submitted_at)],
          x.due_at && [t('dossier.due'), formatDueDate(x.due_at, state.lang)],
          x.fee && (x.fee.label_vi || x.fee.amount_vnd !== undefined) && [t('dossier.fee'), feeText(x.fee)],
        ]}
      />
      {x.receipt_url && (
        <p class="body">
          <a class="button button--secondary" href={x.receipt_url} download data-testid="receipt-link">
            {t('confirm.receipt')}
          </a>
        </p>
      )}
      {x.status === 'refused' && (
        <p class="body">
          <a class="button button--secondary" href={slipUrl(x, 'refusal')} download data-testid="refusal-link">
            {t('refusal.slip')}
          </a>
        </p>
      )}
      {x.code && <PaymentHistory payments={payments} />}
      {history.length > 0 && (
        <>
          <h2 class="heading-m">{t('dossier.history')}</h2>
          <Timeline items={history} formatAt={formatDateTime} />
        </>
      )}
      {!['done', 'returned', 'refused', 'stopped'].includes(x.status) && <PushCard />}
      {WITHDRAWABLE.includes(x.status) && <Withdraw d={x} onUpdated={updated} />}
      {x.code && x.status !== 'returned' && (
        <p class="body">
          <a href={`/phan-anh?dossier=${encodeURIComponent(x.id)}`} data-testid="dossier-feedback-link">
            {t('dossier.feedback')}
          </a>
        </p>
      )}
    </Page>
  );
}

export function DossierPage({ params }) {
  const id = params.id;
  const [version, setVersion] = useState(0);
  useEffect(
    () =>
      onOutboxEvent((e) => {
        if (e.id !== id) return;
        if (e.type === 'sent' && e.dossier) navigate(draftPath(e.dossier.id, '/xac-nhan'), { replace: true });
        else setVersion((v) => v + 1);
      }),
    [id],
  );
  const local = useLoad(() => idbGet('drafts', id).catch(() => null), [id, version]);
  const rec = local.data;
  const target = rec && rec.submitted && rec.submitted.serverId !== id ? draftPath(rec.submitted.serverId) : rec && !rec.queued && !rec.submitted ? draftPath(id, '/thong-tin/1') : null;
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);
  if (local.loading && !rec) return <Loading />;
  if (target) return null;
  if (rec && rec.queued) return <QueuedView rec={rec} />;
  if (id.startsWith('local-') && !rec) {
    return (
      <Page title={t('dossier.title')} back="/ho-so">
        <p class="body">{t('notfound.body')}</p>
      </Page>
    );
  }
  return <ServerView id={id} />;
}
