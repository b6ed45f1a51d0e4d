// The rating panel of a returned dossier (lazy chunk): the form once, then the rating as given.
import { useState } from 'preact/hooks';
import { get, post } from '../lib/api.js';
import { useLoad } from '../lib/data.js';
import { formatDateTime } from '../lib/format.js';
import { errorText, t } from '../lib/i18n.js';
import { Alert, FormGroup, Loading } from '../components/ui.jsx';
import { Scale } from './scale.jsx';
import { CRITERIA } from './text.js';
import './public.css';

function Given({ r, dossierId }) {
  return (
    <div class="rating-given" data-testid="rating-given" data-overall={r.overall}>
      <h2 class="heading-m">{t('rate.given')}</h2>
      <p class="body">
        <strong>{t('rate.stars', { n: r.overall })}</strong> — {t(`score.${r.overall}`)}
      </p>
      <ul class="rating-given__list">
        {CRITERIA.filter((c) => r.criteria[c]).map((c) => (
          <li key={c}>
            {t(`crit.${c}`)}: {t('rate.stars', { n: r.criteria[c] })}
          </li>
        ))}
      </ul>
      {r.comment && <p class="body rating-given__comment">“{r.comment}”</p>}
      <p class="muted">{t('rate.given_on', { date: formatDateTime(r.created_at) })}</p>
      <p class="body">
        <a href={`/phan-anh?dossier=${encodeURIComponent(dossierId)}`}>{t('rate.feedback_link')}</a>
      </p>
    </div>
  );
}

export function RatingPanel({ d }) {
  const info = useLoad(() => get(`/dossiers/${encodeURIComponent(d.id)}/rating`), [d.id]);
  const [overall, setOverall] = useState(0);
  const [criteria, setCriteria] = useState({});
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [given, setGiven] = useState(null);
  if (info.loading && !info.data) return <Loading />;
  const rating = given || (info.data && info.data.rating);
  if (rating) return <Given r={rating} dossierId={d.id} />;
  if (!info.data || !info.data.can_rate) return null;
  const send = async (e) => {
    e.preventDefault();
    if (!overall) {
      setError(t('rate.need_overall'));
      return;
    }
    setBusy(true);
    setFailure('');
    try {
      setGiven(await post(`/dossiers/${encodeURIComponent(d.id)}/rating`, { overall, criteria, comment: comment.trim() || null }));
    } catch (err) {
      if (err.code === 'already_rated') info.reload();
      setFailure(errorText(err));
    }
    setBusy(false);
  };
  return (
    <section class="rating-panel" aria-labelledby="rate-title" data-testid="rating-form">
      <h2 class="heading-m" id="rate-title">
        {t('rate.title')}
      </h2>
      <p class="body">{t('rate.lead')}</p>
      <form onSubmit={send} noValidate>
        <Scale name="overall" legend={t('rate.overall')} value={overall} size="l" error={error} onChange={(n) => (setOverall(n), setError(''))} testid="rate-overall" />
        <details class="rating-panel__criteria">
          <summary>{t('rate.criteria')}</summary>
          {CRITERIA.map((c) => (
            <Scale key={c} name={`crit-${c}`} legend={t(`crit.${c}`)} value={criteria[c] || 0} onChange={(n) => setCriteria({ ...criteria, [c]: n })} testid={`rate-${c}`} />
          ))}
        </details>
        <FormGroup id="rate-comment" label={t('rate.comment')} hint={t('rate.comment_hint')}>
          {(aria) => <textarea class="textarea textarea--short" {...aria} maxLength={500} rows={3} value={comment} onInput={(e) => setComment(e.currentTarget.value)} data-testid="rate-comment" />}
        </FormGroup>
        <Alert>{failure}</Alert>
        <button class="button" type="submit" disabled={busy} data-testid="rate-submit">
          {busy ? t('sending') : t('rate.send')}
        </button>
      </form>
    </section>
  );
}
