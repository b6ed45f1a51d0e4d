// "/ho-so/<id>/kiem-tra" — check your answers, then send. Sending goes through the outbox, so a lost
// connection leaves the dossier queued ("Đã lưu, sẽ tự gửi khi có mạng") instead of losing it.
import { useState } from 'preact/hooks';
import { getCommunes, getOffices, useLoad } from '../lib/data.js';
import { formatIsoDay, formatMoney, todayVn } from '../lib/format.js';
import { errorText, t, tx } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { state } from '../lib/store.js';
import { fieldLabel, validateFields } from '../lib/validate.js';
import { Alert, ErrorSummary, Page, SummaryList } from '../components/ui.jsx';
import { fieldId } from '../components/field.jsx';
import { useDraft } from '../offline/drafts.js';
import { DraftGate, draftPath, stepsOf, stepCaption } from './filing.jsx';
import { docSectionId } from './attachments.jsx';
import { needsCommune } from './office.jsx';
import { feeText } from './procedure-text.js';

export function displayValue(field, value) {
  if (field.type === 'checkbox') return value ? t('field.yes') : t('field.no');
  if (value === undefined || value === null || value === '') return <span class="muted">{t('check.empty')}</span>;
  if (field.type === 'select') {
    const o = (field.options || []).find((x) => String(x.value) === String(value));
    return o ? (state.lang === 'en' && o.label_en) || o.label : String(value);
  }
  if (field.type === 'date') return formatIsoDay(value);
  if (field.type === 'money') {
    const n = Number(String(value).replace(/[.\s,]/g, ''));
    return Number.isFinite(n) ? formatMoney(n, state.lang) : String(value);
  }
  return String(value);
}

/** Where a problem named by the server (or the client) is fixed. */
function hrefFor(rec, key) {
  const steps = stepsOf(rec);
  if (key.startsWith('documents.')) return `${draftPath(rec.id, '/giay-to')}?from=check#${docSectionId(key.slice(10))}`;
  if (key === 'receiving_office_id') return `${draftPath(rec.id, '/noi-nop')}?from=check#receiving-office`;
  if (key === 'competent_unit_id') return `${draftPath(rec.id, '/noi-nop')}?from=check#competent-unit`;
  const name = key.startsWith('form.') ? key.slice(5) : key;
  const step = steps.find((s) => s.group && s.group.fields.some((f) => f.name === name));
  return step ? `${step.path}?from=check#${fieldId(name)}` : '#main';
}

function problemsOf(rec) {
  const lang = state.lang;
  const form = rec.procedure.form;
  const out = [];
  const errs = validateFields(form, rec.form, lang, todayVn());
  for (const f of form) if (errs[f.name]) out.push({ href: hrefFor(rec, f.name), text: errs[f.name] });
  for (const d of rec.procedure.documents) {
    if (d.upload_required && !rec.attachments.some((a) => a.document_id === d.id)) out.push({ href: hrefFor(rec, `documents.${d.id}`), text: t('att.missing', { name: tx(d) }) });
  }
  if (!rec.receiving_office_id) out.push({ href: hrefFor(rec, 'receiving_office_id'), text: t('office.choose_receiving') });
  if (needsCommune(rec.procedure) && !rec.competent_unit_id) out.push({ href: hrefFor(rec, 'competent_unit_id'), text: t('office.choose_competent') });
  return out;
}

function Step({ ctrl }) {
  const rec = ctrl.rec;
  const steps = stepsOf(rec);
  const index = steps.length - 1;
  const [problems, setProblems] = useState([]);
  const [sending, setSending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const names = useLoad(() => Promise.all([getOffices().catch(() => []), needsCommune(rec.procedure) ? getCommunes().catch(() => []) : []]), []);
  const [offices, communes] = names.data || [[], []];
  const nameOf = (list, id) => {
    const u = list.find((x) => x.id === id);
    return u ? tx(u) : id;
  };

  const serverProblems = rec.sendError && rec.sendError.fields ? Object.entries(rec.sendError.fields).map(([k, v]) => ({ href: hrefFor(rec, k), text: v })) : [];
  const uploading = rec.attachments.some((a) => a.state === 'uploading' || a.state === 'processing');

  const submit = async (e) => {
    e.preventDefault();
    const found = problemsOf(rec);
    setProblems(found);
    setAttempt((n) => n + 1);
    if (found.length) return;
    setSending(true);
    const after = await ctrl.submit();
    if (after.submitted) navigate(draftPath(after.submitted.serverId, '/xac-nhan'));
    else if (after.queued) navigate(draftPath(after.id));
    else {
      setSending(false); // refused: the reasons are in rec.sendError
      setAttempt((n) => n + 1);
    }
  };

  const shownProblems = problems.length ? problems : serverProblems;
  const sendError = rec.sendError && !serverProblems.length && rec.sendError.status ? errorText(rec.sendError) : '';

  return (
    <Page title={t('check.title')} caption={stepCaption(rec, index, steps.length)} back={steps[index - 1].path}>
      <ErrorSummary errors={shownProblems} attempt={attempt} title={serverProblems.length && !problems.length ? t('check.not_sent') : undefined} />
      <Alert>{sendError}</Alert>
      <p class="lead">{t('check.lead')}</p>
      {steps
        .filter((s) => s.group)
        .map((s) => (
          <section key={s.key}>
            <h2 class="heading-m">{s.title}</h2>
            <SummaryList rows={s.group.fields.map((f) => [fieldLabel(f, state.lang), displayValue(f, rec.form[f.name]), `${s.path}?from=check#${fieldId(f.name)}`])} />
          </section>
        ))}
      {rec.procedure.documents.length > 0 && (
        <section>
          <h2 class="heading-m">{t('check.documents')}</h2>
          <SummaryList
            rows={rec.procedure.documents.map((d) => {
              const files = rec.attachments.filter((a) => a.document_id === d.id);
              return [
                tx(d),
                files.length ? (
                  <ul class="list list--plain">
                    {files.map((a) => (
                      <li key={a.id}>{a.filename}</li>
                    ))}
                  </ul>
                ) : (
                  <span class="muted">{t('check.no_files')}</span>
                ),
                `${draftPath(rec.id, '/giay-to')}?from=check#${docSectionId(d.id)}`,
              ];
            })}
          />
        </section>
      )}
      <section>
        <h2 class="heading-m">{t('check.office')}</h2>
        <SummaryList
          rows={[
            [t('office.receiving'), rec.receiving_office_id ? nameOf(offices, rec.receiving_office_id) : <span class="muted">{t('check.empty')}</span>, `${draftPath(rec.id, '/noi-nop')}?from=check#receiving-office`],
            needsCommune(rec.procedure)
              ? [t('office.competent'), rec.competent_unit_id ? nameOf(communes, rec.competent_unit_id) : <span class="muted">{t('check.empty')}</span>, `${draftPath(rec.id, '/noi-nop')}?from=check#competent-unit`]
              : rec.procedure.authority && rec.procedure.authority.unit && [t('dossier.competent'), tx(rec.procedure.authority.unit)],
            rec.procedure.fee && [t('check.fee'), feeText(rec.procedure.fee)],
          ]}
        />
      </section>

      {rec.serverId && (
        <section>
          <p class="body">
            <a class="button button--secondary" href={`/api/v1/dossiers/${encodeURIComponent(rec.serverId)}/declaration.pdf`} target="_blank" rel="noopener" data-testid="print-declaration">
              {t('check.print')}
            </a>
          </p>
          <p class="hint">{t('check.print_hint')}</p>
        </section>
      )}

      <h2 class="heading-m">{t('check.send_title')}</h2>
      <p class="body">{t('check.declaration')}</p>
      <form onSubmit={submit} noValidate>
        <button class="button" type="submit" data-testid="submit-dossier" disabled={sending || uploading}>
          {sending ? t('check.sending') : t('check.submit')}
        </button>
        <p class="body" role="status" aria-live="polite">
          {sending ? t('check.sending') : uploading ? t('att.uploading_wait') : ''}
        </p>
      </form>
    </Page>
  );
}

export function CheckAnswers({ params }) {
  const ctrl = useDraft(params.id);
  return <DraftGate ctrl={ctrl}>{() => <Step ctrl={ctrl} />}</DraftGate>;
}
