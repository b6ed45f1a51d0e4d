// What the filing steps (/ho-so/<id>/...) share: the step list, the draft gate, the save status line.
import { useEffect } from 'preact/hooks';
import { formatDateTime } from '../lib/format.js';
import { t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { LoadError, Loading, Page } from '../components/ui.jsx';
import { groupsOf, groupTitle } from './procedure-text.js';

export const draftPath = (id, rest = '') => `/ho-so/${encodeURIComponent(id)}${rest}`;

/** Ordered steps of a draft: one per form group, then documents, office, check answers. */
export function stepsOf(rec) {
  const groups = groupsOf(rec.procedure.form);
  const steps = groups.map((g, i) => ({ key: `g${i}`, path: draftPath(rec.id, `/thong-tin/${i + 1}`), title: groupTitle(g.key, i, groups.length), group: g }));
  if (rec.procedure.documents && rec.procedure.documents.length) steps.push({ key: 'docs', path: draftPath(rec.id, '/giay-to'), title: t('att.title') });
  steps.push({ key: 'office', path: draftPath(rec.id, '/noi-nop'), title: t('office.title') });
  steps.push({ key: 'check', path: draftPath(rec.id, '/kiem-tra'), title: t('check.title') });
  return steps;
}

export function neighbours(rec, key, from) {
  const steps = stepsOf(rec);
  const i = steps.findIndex((s) => s.key === key);
  const check = steps[steps.length - 1].path;
  return {
    step: steps[i],
    index: i,
    total: steps.length,
    back: from === 'check' ? check : i > 0 ? steps[i - 1].path : `/thu-tuc/${encodeURIComponent(rec.procedure.code)}`,
    next: from === 'check' ? check : steps[Math.min(i + 1, steps.length - 1)].path,
  };
}

/** Renders children(ctrl) once the draft is loaded and still editable; otherwise loading, error or redirect. */
export function DraftGate({ ctrl, children }) {
  const rec = ctrl.rec;
  const redirect = rec && rec.submitted && !ctrl.sending ? draftPath(rec.submitted.serverId) : rec && rec.queued && !ctrl.sending ? draftPath(rec.id) : null;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);
  if (ctrl.loading) return <Loading />;
  if (ctrl.error || !rec) {
    return (
      <Page title={t('dossier.title')} back="/ho-so">
        <LoadError error={ctrl.error} onRetry={() => window.location.reload()} />
      </Page>
    );
  }
  if (redirect) return null;
  return children(ctrl);
}

/** "Bước 2/5 · Thủ tục đăng ký khai sinh" above the heading. */
export function stepCaption(rec, index, total) {
  return `${t('step.of', { n: index + 1, total })} · ${tx(rec.procedure)}`;
}

/** The foot of every filing step: continue, or leave and come back later (the draft is kept). */
export function StepActions() {
  return (
    <div class="button-group">
      <button class="button" type="submit" data-testid="continue">
        {t('continue')}
      </button>
      <a class="link-secondary" href="/ho-so">
        {t('form.save_later')}
      </a>
    </div>
  );
}

export function SaveStatus({ ctrl }) {
  const parts = [];
  if (ctrl.savedLocalAt) parts.push(t('save.local', { time: formatDateTime(ctrl.savedLocalAt.toISOString()).slice(0, 5) }));
  if (ctrl.savedServerAt) parts.push(t('save.server', { time: formatDateTime(ctrl.savedServerAt.toISOString()).slice(0, 5) }));
  else if (ctrl.rec && (ctrl.rec.dirty.length || !ctrl.rec.serverId) && !navigator.onLine) parts.push(t('save.pending'));
  const expired = ctrl.serverError && ctrl.serverError.status === 401;
  if (!parts.length && !expired) return null;
  return (
    <p class="save-status">
      {parts.join(' ')}
      {expired && (
        <>
          {' '}
          {t('save.expired')} <a href={`/dang-nhap?next=${encodeURIComponent(window.location.pathname)}`}>{t('nav.signin')}</a>
        </>
      )}
    </p>
  );
}

/** Server-side messages for a field: from a PATCH 422 or from a refused submission. */
export function serverErrorFor(rec, name) {
  return (rec.serverFieldErrors && rec.serverFieldErrors[name]) || (rec.sendError && rec.sendError.fields && rec.sendError.fields[name]) || '';
}
