// Feedback (PAKN): "/phan-anh" the form (prefilled from ?question=, ?dossier=, ?procedure=), "/phan-anh/<id>" the
// citizen's own item with its answer, "/phan-anh/cong-khai" the public answers (no personal data).
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs, request, uuid } from '../lib/api.js';
import { getOffices, useLoad, usePages } from '../lib/data.js';
import { formatDateTime, formatDueDate } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { setState, state, useAppState } from '../lib/store.js';
import { Alert, ErrorSummary, FormGroup, LoadError, Loading, Page, SummaryList } from '../components/ui.jsx';
import './text.js';
import './public.css';

const DRAFT_KEY = 'motcua.feedback-draft';
const KINDS = ['dossier', 'procedure', 'office'];

function loadDraft() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY) || 'null');
  } catch {
    return null;
  }
}

function saveDraft(d) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d));
  } catch {
    /* private mode: kept for this page only */
  }
}

function initial(query) {
  const saved = loadDraft() || {};
  const dossier = query.get('dossier') || saved.dossier_id || '';
  const procedure = query.get('procedure') || saved.procedure_code || '';
  return {
    subject_kind: query.get('dossier') ? 'dossier' : query.get('procedure') ? 'procedure' : saved.subject_kind || (dossier ? 'dossier' : procedure ? 'procedure' : ''),
    dossier_id: dossier,
    procedure_code: procedure,
    unit_id: saved.unit_id || '',
    sender_name: saved.sender_name || '',
    sender_email: saved.sender_email || '',
    question: (query.get('question') || saved.question || '').slice(0, 4000),
  };
}

export function FeedbackForm({ query }) {
  const s = useAppState();
  const [form, setForm] = useState(() => initial(query));
  const [files, setFiles] = useState([]);
  const [errors, setErrors] = useState({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const [key] = useState(uuid); // one per form: a retry after a lost reply is the same feedback, not a second one
  const signedIn = Boolean(s.user && s.user.kind === 'citizen');
  const mine = useLoad(() => (signedIn ? get('/dossiers').then((r) => (r.items || []).filter((d) => d.code)) : []), [signedIn]);
  const offices = useLoad(getOffices, []);
  useEffect(() => saveDraft(form), [form]);
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const check = () => {
    const out = {};
    if (!KINDS.includes(form.subject_kind)) out.subject_kind = t('fb.err.subject');
    const q = form.question.trim();
    if (q.length < 10 || q.length > 4000) out.question = t('fb.err.question');
    return out;
  };
  const submit = async (e) => {
    e.preventDefault();
    const found = check();
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    setFailure('');
    try {
      const body = { subject_kind: form.subject_kind, question: form.question, sender_name: form.sender_name || null, sender_email: form.sender_email.trim() || null };
      if (form.subject_kind === 'dossier') body.dossier_id = form.dossier_id;
      if (form.subject_kind === 'procedure') Object.assign(body, { procedure_code: form.procedure_code, unit_id: form.unit_id || null });
      if (form.subject_kind === 'office') body.unit_id = form.unit_id;
      const created = await post('/feedback', body, { idempotencyKey: key });
      for (const [i, file] of files.slice(0, 5).entries()) {
        const data = new FormData();
        data.append('file', file, file.name);
        await request('POST', `/feedback/${encodeURIComponent(created.id)}/attachments`, { form: data, idempotencyKey: `${key}-file-${i}` });
      }
      sessionStorage.removeItem(DRAFT_KEY);
      setState({ notice: { kind: 'success', text: t('fb.sent', { date: formatDueDate(created.due_at, state.lang) }) } });
      navigate(`/phan-anh/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setErrors(Object.fromEntries(Object.entries(err.fields || {}).map(([k, v]) => [k === 'competent_unit_id' ? 'unit_id' : k, v])));
      setFailure(errorText(err));
      setAttempt((n) => n + 1);
    }
    setBusy(false);
  };
  const summary = Object.entries(errors).map(([k, v]) => ({ href: `#fb-${k}`, text: v }));
  const next = encodeURIComponent('/phan-anh' + window.location.search);
  return (
    <Page title={t('footer.feedback')}>
      <ErrorSummary errors={summary} attempt={attempt} />
      <p class="body">{t('fb.lead')}</p>
      <p class="body">
        <a href="/phan-anh/cong-khai">{t('fb.public_link')}</a>
      </p>
      <form onSubmit={submit} noValidate data-testid="feedback-form">
        <FormGroup id="fb-subject_kind" label={t('fb.about')} legend fieldset={{ id: 'fb-subject_kind', tabIndex: -1 }} error={errors.subject_kind}>
          <div class="radios">
            {KINDS.map((k) => (
              <div class="radio" key={k}>
                <input class="radio__input" type="radio" id={`fb-kind-${k}`} name="subject_kind" value={k} checked={form.subject_kind === k} onChange={set('subject_kind')} data-testid={`fb-kind-${k}`} />
                <label class="radio__label" for={`fb-kind-${k}`}>
                  {t(`fb.kind.${k}`)}
                </label>
              </div>
            ))}
          </div>
        </FormGroup>
        {form.subject_kind === 'dossier' && (
          <FormGroup id="fb-dossier_id" label={t('fb.dossier')} error={errors.dossier_id}>
            {(aria) => (
              <select class="select" {...aria} value={form.dossier_id} onChange={set('dossier_id')} data-testid="fb-dossier">
                <option value="">{t('fb.choose')}</option>
                {(mine.data || []).map((d) => (
                  <option value={d.id} key={d.id}>
                    {d.code} — {tx(d.procedure)}
                  </option>
                ))}
              </select>
            )}
          </FormGroup>
        )}
        {form.subject_kind === 'procedure' && (
          <FormGroup id="fb-procedure_code" label={t('fb.procedure')} error={errors.procedure_code}>
            {(aria) => <input class="input input--w14" {...aria} value={form.procedure_code} onInput={set('procedure_code')} data-testid="fb-procedure" />}
          </FormGroup>
        )}
        {(form.subject_kind === 'office' || form.subject_kind === 'procedure') && (
          <FormGroup id="fb-unit_id" label={t('fb.office')} error={errors.unit_id}>
            {(aria) => (
              <select class="select" {...aria} value={form.unit_id} onChange={set('unit_id')} data-testid="fb-office">
                <option value="">{t('fb.choose')}</option>
                {(offices.data || []).map((o) => (
                  <option value={o.id} key={o.id}>
                    {tx(o)}
                  </option>
                ))}
              </select>
            )}
          </FormGroup>
        )}
        <FormGroup id="fb-sender_name" label={t('fb.name')}>
          {(aria) => <input class="input" {...aria} autoComplete="name" maxLength={100} value={form.sender_name} onInput={set('sender_name')} data-testid="fb-name" />}
        </FormGroup>
        <FormGroup id="fb-sender_email" label={t('fb.email')} hint={t('fb.email_hint')} hintId="fb-email-hint" error={errors.sender_email} errorId="fb-email-error">
          {(aria) => (
            <input class={`input${errors.sender_email ? ' input--error' : ''}`} {...aria} type="email" autoComplete="email" spellcheck={false} maxLength={254} value={form.sender_email} onInput={set('sender_email')} data-testid="fb-email" />
          )}
        </FormGroup>
        <FormGroup id="fb-question" label={t('fb.question')} hint={t('fb.question_hint')} error={errors.question}>
          {(aria) => <textarea class={`textarea${errors.question ? ' input--error' : ''}`} {...aria} rows={6} maxLength={4000} value={form.question} onInput={set('question')} data-testid="fb-question" />}
        </FormGroup>
        <FormGroup id="fb-files" label={t('fb.files')}>
          {(aria) => (
            <input class="file-input" {...aria} type="file" multiple accept="image/jpeg,image/png,application/pdf" onChange={(e) => setFiles([...e.currentTarget.files].slice(0, 5))} data-testid="fb-files" />
          )}
        </FormGroup>
        <Alert>{failure}</Alert>
        {signedIn ? (
          <button class="button" type="submit" disabled={busy} data-testid="fb-submit">
            {busy ? t('sending') : t('fb.send')}
          </button>
        ) : (
          <div class="notice notice--info">
            <p>{t('fb.sign_in')}</p>
            <a class="button" href={`/dang-nhap?next=${next}`} data-testid="fb-sign-in">
              {t('fb.sign_in_button')}
            </a>
          </div>
        )}
      </form>
      {signedIn && <MyFeedback />}
    </Page>
  );
}

function MyFeedback() {
  const list = useLoad(() => get('/feedback/mine'), []);
  if (!list.data || !list.data.items.length) return null;
  return (
    <section aria-labelledby="my-fb-title" data-testid="my-feedback">
      <h2 class="heading-m" id="my-fb-title">
        {t('fb.mine')}
      </h2>
      <ul class="fb-worklist">
        {list.data.items.map((f) => (
          <li class="work-item" key={f.id}>
            <a class="fb-worklist__link" href={`/phan-anh/${encodeURIComponent(f.id)}`}>
              {f.question.slice(0, 100)}
              {f.question.length > 100 ? '…' : ''}
            </a>
            <p class="muted">
              {t(`fb.status.${f.status}`)} · {formatDateTime(f.created_at)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function FeedbackItem({ params }) {
  const item = useLoad(() => get(`/feedback/${encodeURIComponent(params.id)}`), [params.id]);
  if (item.loading && !item.data) return <Loading />;
  if (item.error) return <LoadError error={item.error} onRetry={item.reload} />;
  const f = item.data;
  return (
    <Page title={t('fb.item_title')} caption={t(`fb.status.${f.status}`)} back="/phan-anh">
      <div data-testid="feedback-item" data-status={f.status}>
        <SummaryList
          rows={[
            [t('fb.asked'), formatDateTime(f.created_at)],
            [t('fb.office'), tx(f.unit)],
            f.dossier_code && [t('fb.dossier'), f.dossier_code],
            f.procedure && [t('fb.procedure'), tx(f.procedure)],
            [t('fb.due'), formatDueDate(f.due_at, state.lang)],
          ]}
        />
        <h2 class="heading-m">{t('fb.question')}</h2>
        <p class="body feedback-text">{f.question}</p>
        {f.attachments.length > 0 && (
          <ul class="list">
            {f.attachments.map((a) => (
              <li key={a.id}>
                <a href={a.url} target="_blank" rel="noopener">
                  {a.filename}
                </a>
              </li>
            ))}
          </ul>
        )}
        {f.answer && (
          <section class="feedback-answer" data-testid="feedback-answer">
            <h2 class="heading-m">{t('fb.answer')}</h2>
            <p class="body feedback-text">{f.answer}</p>
            <p class="muted">
              {t('fb.answered_at')}: {formatDateTime(f.answered_at)}
              {f.edited_at && ` · ${t('fb.edited', { date: formatDateTime(f.edited_at) })}`}
            </p>
          </section>
        )}
      </div>
    </Page>
  );
}

function PublicEntry({ f }) {
  return (
    <li class="public-fb" data-testid="public-feedback">
      <p class="caption">
        {tx(f.unit)}
        {f.procedure && ` · ${tx(f.procedure)}`}
      </p>
      <h2 class="heading-s">{t('pub.question')}</h2>
      <p class="body feedback-text" data-testid="public-question">
        {f.question}
      </p>
      <h2 class="heading-s">{t('fb.answer')}</h2>
      <p class="body feedback-text" data-testid="public-answer">
        {f.answer}
      </p>
      <p class="muted">
        {t('fb.answered_at')}: {formatDateTime(f.answered_at)} · {f.on_time ? t('pub.on_time') : t('pub.late')}
      </p>
    </li>
  );
}

export function PublicFeedback() {
  const list = usePages((token) => get(`/feedback/public${qs({ page_token: token })}`), []);
  return (
    <Page title={t('footer.feedback_public')}>
      <p class="body">{t('pub.lead')}</p>
      <p class="body">
        <a class="button button--secondary" href="/phan-anh">
          {t('fb.new')}
        </a>
      </p>
      {list.loading && !list.data && <Loading />}
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.data && !list.items.length && <p class="body">{t('pub.empty')}</p>}
      <ul class="public-fb-list">
        {list.items.map((f) => (
          <PublicEntry f={f} key={f.id} />
        ))}
      </ul>
      {list.moreError && <LoadError error={list.moreError} />}
      {list.next && (
        <button type="button" class="button button--secondary" disabled={list.busy} onClick={list.more} data-testid="public-more">
          {t('more')}
        </button>
      )}
    </Page>
  );
}
