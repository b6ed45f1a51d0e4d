// "/ho-so/<id>" — one dossier: queued on this device (with the "will be sent" banner), or the server's
// record with status, due date, receipt and history. A draft goes back to its first step.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { useLoad } from '../lib/data.js';
import { formatDateTime, formatDueDate } from '../lib/format.js';
import { t, tx } from '../lib/i18n.js';
import { idbGet } from '../lib/idb.js';
import { navigate } from '../lib/router.js';
import { state, useAppState } from '../lib/store.js';
import { LoadError, Loading, Page, StatusChip, SummaryList, Timeline, statusLabel } from '../components/ui.jsx';
import { flushNow, onOutboxEvent, unqueue } from '../offline/drafts.js';
import { draftPath } from './filing.jsx';
import { feeText } from './procedure-text.js';

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
  const draft = d.data && d.data.status === 'draft';
  useEffect(() => {
    if (draft) navigate(draftPath(id, '/thong-tin/1'), { replace: true });
  }, [draft]);
  if (d.loading) return <Loading />;
  if (d.error) {
    return (
      <Page title={t('dossier.title')} back="/ho-so">
        <LoadError error={d.error} onRetry={d.reload} />
      </Page>
    );
  }
  if (draft) return null;
  const x = d.data;
  const history = [...(x.history || [])].sort((a, b) => (a.at < b.at ? -1 : 1));
  return (
    <Page title={x.code || tx(x.procedure)} caption={t('dossier.title')} back="/ho-so">
      <p class="status-line">
        <StatusChip status={x.status} label={statusLabel(x)} />
      </p>
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
      {history.length > 0 && (
        <>
          <h2 class="heading-m">{t('dossier.history')}</h2>
          <Timeline items={history} formatAt={formatDateTime} />
        </>
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
