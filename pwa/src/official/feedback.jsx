// Officials' feedback (PAKN): "/can-bo/phan-anh" the unit's worklist by answer deadline (to answer / answered),
// "/can-bo/phan-anh/<id>" the item with the citizen's files and the answer sheet (a leader may correct it later).
import { useState } from 'preact/hooks';
import { post, qs } from '../lib/api.js';
import { useLoad, usePages } from '../lib/data.js';
import { formatDateTime, formatDueDate } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { state } from '../lib/store.js';
import { FormGroup, LoadError, Loading, Page, SummaryList } from '../components/ui.jsx';
import { handleAuthError, storedUnit, useOfficial, workGet } from './common.jsx';
import { pickUnit, unitsOf } from './logic.js';
import '../public/text.js';
import '../public/public.css';

export function FeedbackWorklist({ query }) {
  const user = useOfficial();
  const unit = pickUnit(user, query.get('unit'), storedUnit());
  const status = query.get('status') === 'answered' ? 'answered' : 'open';
  const list = usePages((token) => (user && unit ? workGet(`/work/feedback${qs({ unit, status, page_token: token })}`) : null), [user && user.id, unit, status]);
  if (!user) return <Loading />;
  const go = (u, st) => navigate(`/can-bo/phan-anh${qs({ unit: u, status: st })}`, { replace: true });
  const now = new Date().toISOString();
  return (
    <Page title={t('wfb.title')}>
      <FormGroup id="wfb-unit" label={t('wfb.unit')}>
        {(aria) => (
          <select class="select" {...aria} value={unit} onChange={(e) => go(e.currentTarget.value, status)}>
            {unitsOf(user).map((u) => (
              <option value={u.unit_id} key={u.unit_id}>
                {u.unit_name}
              </option>
            ))}
          </select>
        )}
      </FormGroup>
      <div class="tabs" role="group" aria-label={t('wfb.title')}>
        {['open', 'answered'].map((st) => (
          <button type="button" key={st} class={`button ${st === status ? '' : 'button--secondary'} tabs__tab`} aria-pressed={st === status ? 'true' : 'false'} onClick={() => go(unit, st)} data-testid={`wfb-tab-${st}`}>
            {t(`wfb.${st}`)}
          </button>
        ))}
      </div>
      {list.loading && !list.data && <Loading />}
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && !list.items.length && <p class="body">{t('wfb.empty')}</p>}
      {list.data && (
        <ul class="fb-worklist">
          {list.items.map((f) => (
            <li class="work-item" key={f.id} data-testid="wfb-item" data-id={f.id}>
              <a href={`/can-bo/phan-anh/${encodeURIComponent(f.id)}`} class="fb-worklist__link">
                {f.question.slice(0, 140)}
                {f.question.length > 140 ? '…' : ''}
              </a>
              <p class="muted">
                {t('fb.due')}: {formatDueDate(f.due_at, state.lang)}
                {f.status === 'open' && f.due_at < now && <strong class="chip chip--red"> {t('wfb.overdue')}</strong>}
              </p>
            </li>
          ))}
        </ul>
      )}
      {list.moreError && <LoadError error={list.moreError} />}
      {list.next && (
        <button type="button" class="button button--secondary" disabled={list.busy} onClick={list.more} data-testid="wfb-more">
          {t('more')}
        </button>
      )}
    </Page>
  );
}

export function FeedbackSheet({ params }) {
  const user = useOfficial();
  const item = useLoad(() => (user ? workGet(`/work/feedback/${encodeURIComponent(params.id)}`) : null), [params.id, user && user.id]);
  const [text, setText] = useState(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState({ kind: '', text: '' });
  if (!user || (item.loading && !item.data)) return <Loading />;
  if (item.error) return <LoadError error={item.error} onRetry={item.reload} />;
  const f = item.data;
  const editable = f.can_answer || f.can_edit;
  const value = text === null ? f.answer || '' : text;
  const send = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      await post(`/work/feedback/${encodeURIComponent(f.id)}/answer`, { answer: value, version: f.version });
      setMessage({ kind: 'success', text: t('wfb.saved') });
      setText(null);
      item.reload();
    } catch (err) {
      if (!handleAuthError(err)) setMessage({ kind: 'error', text: errorText(err) });
    }
    setBusy(false);
  };
  return (
    <Page title={t('fb.item_title')} caption={t(`fb.status.${f.status}`)} back="/can-bo/phan-anh">
      <div data-testid="wfb-sheet" data-status={f.status}>
        <SummaryList
          rows={[
            [t('fb.asked'), formatDateTime(f.created_at)],
            [t('fb.due'), formatDueDate(f.due_at, state.lang)],
            [t('wfb.sender'), f.sender_name || '—'],
            [t('wfb.phone'), f.sender_phone],
            f.sender_email && [t('wfb.email'), f.sender_email],
            f.dossier_code && [t('fb.dossier'), f.dossier_code],
            f.procedure && [t('fb.procedure'), tx(f.procedure)],
          ]}
        />
        <h2 class="heading-m">{t('fb.question')}</h2>
        <p class="body feedback-text" data-testid="wfb-question">
          {f.question}
        </p>
        {f.attachments.length > 0 && (
          <>
            <h2 class="heading-s">{t('wfb.files')}</h2>
            <ul class="list">
              {f.attachments.map((a) => (
                <li key={a.id}>
                  <a href={a.url} target="_blank" rel="noopener" data-testid="wfb-file">
                    {a.filename}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
        {f.answer && !f.can_edit && (
          <section class="feedback-answer">
            <h2 class="heading-m">{t('fb.answer')}</h2>
            <p class="body feedback-text">{f.answer}</p>
            <p class="muted">
              {f.answered_by_name} · {formatDateTime(f.answered_at)}
            </p>
          </section>
        )}
        {message.text && (
          <div class={`notice notice--${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="wfb-message">
            <p>{message.text}</p>
          </div>
        )}
        {editable && (
          <form onSubmit={send} noValidate>
            <FormGroup id="wfb-answer" label={f.can_edit ? t('wfb.edit') : t('wfb.answer')}>
              {(aria) => <textarea class="textarea" {...aria} rows={8} maxLength={8000} value={value} onInput={(e) => setText(e.currentTarget.value)} data-testid="wfb-answer" />}
            </FormGroup>
            <button class="button" type="submit" disabled={busy} data-testid="wfb-send">
              {f.can_edit ? t('wfb.edit') : t('wfb.send')}
            </button>
          </form>
        )}
      </div>
    </Page>
  );
}
