// "/hoi-dap" — the 1022 assistant: a question box, the answer with the procedure it comes from, and when the
// assistant is unsure, up to three candidate procedures and the offer to send the question to the hotline
// (the feedback form at /phan-anh?question=…). Answers are plain text from the server: never HTML.
import { useEffect, useRef, useState } from 'preact/hooks';
import { isNetworkError, post } from '../lib/api.js';
import { errorText, t } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { Alert, ErrorSummary, FormGroup, Page } from '../components/ui.jsx';
import './text.js';

const MAX = 500;

function ProcedureLinks({ items }) {
  return (
    <ul class="list" data-testid="assistant-candidates">
      {items.map((p) => (
        <li key={p.code}>
          <a href={p.url}>{state.lang === 'en' ? p.name_en : p.name}</a> ({p.code})
        </li>
      ))}
    </ul>
  );
}

function Answer({ reply }) {
  const box = useRef(null);
  useEffect(() => {
    if (box.current) box.current.focus();
  }, [reply]);
  const text = state.lang === 'en' ? reply.answer_en : reply.answer;
  return (
    <section class="answer" data-testid="assistant-answer" data-unsure={reply.unsure ? 'true' : 'false'} data-code={reply.procedure ? reply.procedure.code : ''} tabIndex={-1} ref={box} aria-labelledby="answer-title">
      <h2 class="heading-m" id="answer-title">
        {reply.unsure ? t('ask.unsure') : `${t('ask.answer')}: ${state.lang === 'en' ? reply.aspect_label_en : reply.aspect_label_vi}`}
      </h2>
      <div class="answer__text">
        {text.split('\n').map((line, i) => (
          <p class="body" key={i}>
            {line}
          </p>
        ))}
      </div>
      {reply.procedure && (
        <p class="body">
          {t('ask.from')}:{' '}
          <a href={reply.procedure.url} data-testid="assistant-procedure">
            {state.lang === 'en' ? reply.procedure.name_en : reply.procedure.name} ({reply.procedure.code})
          </a>
          {' · '}
          <a href={reply.procedure.sample_url} target="_blank" rel="noopener">
            {t('proc.sample')}
          </a>
        </p>
      )}
      {reply.candidates.length > 0 && (
        <>
          <p class="body">{reply.unsure ? t('ask.candidates') : t('ask.others')}</p>
          <ProcedureLinks items={reply.candidates} />
        </>
      )}
      {reply.unsure && reply.feedback_url && (
        <div class="inset">
          <p class="body">
            <a class="button button--secondary" href={reply.feedback_url} data-testid="assistant-hotline">
              {t('ask.hotline')}
            </a>
          </p>
          <p class="hint">{t('ask.hotline_hint')}</p>
        </div>
      )}
    </section>
  );
}

export function AssistantPage({ query }) {
  const [question, setQuestion] = useState(query && query.get('q') ? query.get('q').slice(0, MAX) : '');
  const [error, setError] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState(null);
  const [attempt, setAttempt] = useState(0);

  const check = (q) => (!q.trim() ? t('ask.required') : q.length > MAX ? t('ask.too_long', { n: MAX }) : '');
  const submit = async (ev) => {
    ev.preventDefault();
    const e = check(question);
    setError(e);
    setAttempt((n) => n + 1);
    setFailure('');
    if (e) return;
    setBusy(true);
    try {
      setReply(await post('/assistant', { question: question.trim() }));
    } catch (err) {
      setReply(null);
      setFailure(isNetworkError(err) ? t('ask.offline') : errorText(err));
    }
    setBusy(false);
  };

  return (
    <Page title={t('ask.title')}>
      <ErrorSummary errors={error ? [{ href: '#ask-q', text: error }] : []} attempt={attempt} />
      <p class="body">{t('ask.lead')}</p>
      <form onSubmit={submit} noValidate>
        <FormGroup id="ask-q" label={t('ask.label')} hint={t('ask.hint')} error={error}>
          {(aria) => (
            <textarea
              class={`textarea${error ? ' textarea--error' : ''}`}
              {...aria}
              name="question"
              rows={3}
              maxLength={MAX}
              value={question}
              data-testid="assistant-question"
              onInput={(ev) => {
                setQuestion(ev.currentTarget.value);
                if (error) setError(check(ev.currentTarget.value));
              }}
            />
          )}
        </FormGroup>
        <button class="button" type="submit" disabled={busy} data-testid="assistant-submit">
          {busy ? t('ask.asking') : t('ask.submit')}
        </button>
        <p class="body" role="status" aria-live="polite">
          {busy ? t('ask.asking') : ''}
        </p>
      </form>
      <Alert>{failure}</Alert>
      {reply && <Answer reply={reply} />}
    </Page>
  );
}
