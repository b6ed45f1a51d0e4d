// "/thu-tuc/<code>" — what a procedure needs, how long it takes, what it costs; start an online dossier.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../lib/api.js';
import { getProcedure, useLoad } from '../lib/data.js';
import { formatDueDate } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { state, useAppState } from '../lib/store.js';
import { Alert, LoadError, Loading, Page, SummaryList } from '../components/ui.jsx';
import { createDraft } from '../offline/draft-records.js';
import { feeText, levelLabel, onlineText, timeText } from './procedure-text.js';

function DueToday({ code }) {
  const due = useLoad(
    () => get(`/procedures/${encodeURIComponent(code)}/due-date` + qs({ received_at: new Date().toISOString() })),
    [code],
  );
  if (due.loading) return null;
  return (
    <div class="inset" aria-live="polite">
      {due.data ? (
        <p>
          {t('proc.due_today', { date: '' })}
          <strong class="nowrap-date">{formatDueDate(due.data.due_at_local || due.data.due_at, state.lang)}</strong>
        </p>
      ) : (
        <p>{t('proc.due_unavailable')}</p>
      )}
    </div>
  );
}

/** The sample dossier (hồ sơ mẫu): a public PDF. Viewing the procedure asks for it in the background, so the
 * service worker keeps it and the link opens offline later (the request is a 304 when nothing changed). */
export function sampleUrl(code) {
  return `/api/v1/procedures/${encodeURIComponent(code)}/sample-dossier.pdf`;
}

function SampleDossier({ code }) {
  useEffect(() => {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
    fetch(sampleUrl(code), { credentials: 'same-origin' }).catch(() => {});
  }, [code]);
  return (
    <div class="sample">
      <p class="body">
        <a class="button button--secondary" href={sampleUrl(code)} target="_blank" rel="noopener" data-testid="sample-dossier">
          {t('proc.sample')}
        </a>
      </p>
      <p class="hint">{t('proc.sample_hint')}</p>
    </div>
  );
}

function Documents({ documents }) {
  if (!documents || !documents.length) return null;
  return (
    <>
      <h2 class="heading-m">{t('proc.documents')}</h2>
      <ol class="doc-list">
        {documents.map((d) => (
          <li class="doc-list__item" key={d.id}>
            <p class="doc-list__name">{tx(d)}</p>
            <p class="doc-list__meta">
              <span>{(state.lang === 'en' && d.kind_label_en) || d.kind_label_vi || d.kind}</span>
              <span>{t('proc.doc_count', { n: d.count || 1 })}</span>
              <span class={d.required ? 'tag-required' : 'tag-optional'}>{d.required ? t('proc.required') : t('proc.optional')}</span>
            </p>
            {d.note && <p class="doc-list__note">{d.note}</p>}
          </li>
        ))}
      </ol>
    </>
  );
}

export function ProcedurePage({ params }) {
  const s = useAppState();
  const proc = useLoad(() => getProcedure(params.code), [params.code]);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState(null);
  const p = proc.data;

  if (proc.loading) return <Loading />;
  if (proc.error || !p) {
    return (
      <Page title={t('proc.caption')} back="/">
        <LoadError error={proc.error} onRetry={proc.reload} />
      </Page>
    );
  }

  const start = async () => {
    if (!s.user) {
      navigate(`/dang-nhap?next=${encodeURIComponent(`/thu-tuc/${p.code}`)}`);
      return;
    }
    setStarting(true);
    setStartError(null);
    try {
      const rec = await createDraft(p, s.user);
      navigate(`/ho-so/${encodeURIComponent(rec.id)}/thong-tin/1`);
    } catch (e) {
      if (e.status === 401) {
        navigate(`/dang-nhap?next=${encodeURIComponent(`/thu-tuc/${p.code}`)}`);
        return;
      }
      setStartError(e);
      setStarting(false);
    }
  };

  const unit = p.authority && p.authority.unit ? tx(p.authority.unit) : p.authority && p.authority.level === 'commune' ? t('proc.unit_commune') : '';
  const fee = feeText(p.fee);
  return (
    <Page title={tx(p)} caption={t('proc.caption')} back="/">
      {p.official_name && p.official_name !== p.name && state.lang === 'vi' && <p class="lead">{p.official_name}</p>}
      <SummaryList
        rows={[
          [t('proc.code'), p.code],
          p.field && [t('proc.field'), tx(p.field)],
          p.level && [t('proc.level'), levelLabel(p.level)],
          unit && [t('proc.unit'), unit],
          [t('proc.time'), timeText(p.processing_time)],
          fee && [
            t('proc.fee'),
            <>
              {fee}
              {p.fee && p.fee.is_example && <span class="hint hint--inline">{t('fee.example')}</span>}
            </>,
          ],
          p.online_level !== undefined && p.online_level !== null && [t('proc.online'), onlineText(p.online_level)],
          p.result && [t('proc.result'), typeof p.result === 'string' ? p.result : tx(p.result)],
        ]}
      />
      <DueToday code={p.code} />
      <Documents documents={p.documents} />
      <SampleDossier code={p.code} />

      <div class="start">
        {!s.user && <p class="body">{t('proc.signin_first')}</p>}
        <Alert>{errorText(startError)}</Alert>
        <button type="button" class="button button--start" onClick={start} disabled={starting} aria-disabled={starting ? 'true' : undefined}>
          {starting ? t('proc.starting') : t('proc.start')}
          <svg class="button__arrow" width="17" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </button>
      </div>

      <p class="body">
        <a href="/hoi-dap">{t('proc.ask')}</a>
        {' · '}
        <a href={`/phan-anh?procedure=${encodeURIComponent(p.code)}`} data-testid="procedure-feedback">
          {t('proc.feedback')}
        </a>
      </p>

      {p.legal_basis && p.legal_basis.length > 0 && (
        <details class="details">
          <summary class="details__summary">{t('proc.legal')}</summary>
          <ul class="list details__text">
            {p.legal_basis.map((l, i) => (
              <li key={i}>{typeof l === 'string' ? l : l.title || l.name || l.number}</li>
            ))}
          </ul>
        </details>
      )}
    </Page>
  );
}
