// "/ho-so/<id>/xac-nhan" — the dossier code, big and clear, the due date, the receipt, and where to follow it;
// when a fee is due, the "Cần thanh toán" box with "Thanh toán trực tuyến".
import { get } from '../lib/api.js';
import { useLoad } from '../lib/data.js';
import { formatDueDate } from '../lib/format.js';
import { t, tx } from '../lib/i18n.js';
import { idbAll } from '../lib/idb.js';
import { setState, state } from '../lib/store.js';
import { LoadError, Loading, Page } from '../components/ui.jsx';
import { PushCard } from '../components/push-card.jsx';
import { PaymentDue } from '../components/payment.jsx';
import { draftPath } from './filing.jsx';

// Online: the server's dossier. Offline right after a queued send: what the outbox kept.
async function loadDossier(id) {
  try {
    return await get(`/dossiers/${encodeURIComponent(id)}`);
  } catch (e) {
    const rec = (await idbAll('drafts').catch(() => [])).find((r) => r.submitted && r.submitted.serverId === id);
    if (!rec) throw e;
    return { id, ...rec.submitted, procedure: rec.procedure };
  }
}

export function Confirmation({ params }) {
  const d = useLoad(() => loadDossier(params.id), [params.id]);
  if (d.loading) return <Loading />;
  if (d.error) {
    return (
      <Page title={t('confirm.title')} back="/ho-so">
        <LoadError error={d.error} onRetry={d.reload} />
      </Page>
    );
  }
  const dossier = d.data;
  return (
    <Page title={t('confirm.title')}>
      <div class="panel" aria-labelledby="code-label">
        <p class="panel__label" id="code-label">
          {t('confirm.code_label')}
        </p>
        <p class="panel__code" data-testid="dossier-code">
          {dossier.code}
        </p>
        {dossier.due_at && (
          <p class="panel__due">
            {t('confirm.due')}:<br />
            <strong>{formatDueDate(dossier.due_at, state.lang)}</strong>
          </p>
        )}
      </div>
      {dossier.payment_due && (
        <PaymentDue
          dossier={dossier}
          onAlreadyPaid={() => {
            setState({ notice: { text: t('pay.already_paid') } });
            d.reload();
          }}
        />
      )}
      <p class="body">{tx(dossier.procedure)}</p>
      <p class="body">{t('confirm.keep')}</p>
      <ul class="action-list">
        {dossier.receipt_url && (
          <li>
            <a class="button button--secondary" href={dossier.receipt_url} download data-testid="receipt-link" type="application/pdf">
              {t('confirm.receipt')}
            </a>
          </li>
        )}
        <li>
          <a class="button" href={draftPath(dossier.id)} data-testid="track-link">
            {t('confirm.track')}
          </a>
        </li>
      </ul>
      <h2 class="heading-m">{t('confirm.next_title')}</h2>
      <p class="body">{t('confirm.next_body')}</p>
      <PushCard />
      <p class="body">
        <a href="/">{t('confirm.home')}</a>
      </p>
    </Page>
  );
}
