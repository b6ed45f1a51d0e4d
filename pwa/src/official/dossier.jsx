// "/can-bo/ho-so/<id>" — one dossier for the official: where it stands, the actions allowed now (each with a
// confirmation sheet), the applicant's answers, the attached files, the history and the control sheet.
import { useEffect, useRef, useState } from 'preact/hooks';
import { API, get } from '../lib/api.js';
import { getProcedure, useLoad } from '../lib/data.js';
import { formatDateTime, formatDueDate, formatIsoDay } from '../lib/format.js';
import { t, tx } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { fieldLabel } from '../lib/validate.js';
import { LoadError, Loading, Page, StatusChip, SummaryList, Timeline } from '../components/ui.jsx';
import { displayValue } from '../pages/check.jsx';
import { sizeText } from '../pages/attachments.jsx';
import { groupTitle, groupsOf } from '../pages/procedure-text.js';
import { ActionDialog, actionLabel } from './actions.jsx';
import { DueBadge, handleAuthError, stageLabel, statusText, useOfficial } from './common.jsx';
import { badgeOf, hasRole } from './logic.js';

const blank = (v) => v === undefined || v === null || v === '';
const attachmentUrl = (d, a) => `${API}/work/dossiers/${encodeURIComponent(d.id)}/attachments/${encodeURIComponent(a.id)}`;

function Answers({ d, procedure }) {
  const form = d.form || {};
  const schema = (procedure && procedure.form) || [];
  const groups = groupsOf(schema);
  const known = new Set(schema.map((f) => f.name));
  const others = Object.keys(form).filter((k) => !known.has(k));
  return (
    <section aria-labelledby="answers-title">
      <h2 class="heading-m" id="answers-title">
        {t('wd.answers')}
      </h2>
      {groups.map((g, i) => {
        // optional fields left empty are noise on a phone: only what was answered, and what was required
        const fields = g.fields.filter((f) => f.required || !blank(form[f.name]));
        if (!fields.length) return null;
        return (
          <div key={g.key}>
            {groups.length > 1 && <h3 class="heading-s">{groupTitle(g.key, i, groups.length)}</h3>}
            <SummaryList rows={fields.map((f) => [fieldLabel(f, state.lang), displayValue(f, form[f.name])])} />
          </div>
        );
      })}
      {others.length > 0 && (
        <>
          {schema.length > 0 && <h3 class="heading-s">{t('wd.other_answers')}</h3>}
          <SummaryList rows={others.map((k) => [k, String(form[k] ?? '')])} />
        </>
      )}
    </section>
  );
}

function AttachmentItem({ d, a }) {
  const url = attachmentUrl(d, a);
  const type = a.content_type || '';
  const image = type.startsWith('image/');
  const pdf = type === 'application/pdf' || /\.pdf$/i.test(a.filename || '');
  return (
    <li class="attachment">
      {image && <img class="attachment__img" src={url} alt={t('wd.image_alt', { name: a.filename })} loading="lazy" decoding="async" />}
      <p class="attachment__name">
        {a.filename}
        {a.size ? <span class="muted"> · {sizeText(a.size)}</span> : null}
      </p>
      <a class="attachment__link" href={url} target="_blank" rel="noopener" data-testid="attachment-link">
        {pdf ? t('wd.open_pdf') : image ? t('wd.open_image') : a.filename}
        <span class="visually-hidden">
          {' '}
          {a.filename} {t('wd.new_tab')}
        </span>
      </a>
    </li>
  );
}

function Attachments({ d, procedure }) {
  const list = d.attachments || [];
  const docs = (procedure && procedure.documents) || [];
  const sections = docs.map((doc) => ({ id: doc.id, name: tx(doc), files: list.filter((a) => a.document_id === doc.id) })).filter((s) => s.files.length);
  const rest = list.filter((a) => !docs.some((doc) => doc.id === a.document_id));
  if (rest.length) sections.push({ id: '_other', name: docs.length ? t('wd.other_docs') : '', files: rest });
  return (
    <section aria-labelledby="att-title">
      <h2 class="heading-m" id="att-title">
        {t('wd.attachments')}
      </h2>
      {!list.length && <p class="body">{t('wd.no_attachments')}</p>}
      {sections.map((s) => (
        <div class="att-group" key={s.id}>
          {s.name && <h3 class="heading-s">{s.name}</h3>}
          <ul class="attachments">
            {s.files.map((a) => (
              <AttachmentItem d={d} a={a} key={a.id} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

const OUTCOME_CHIP = { early: 'green', on_time: 'blue', late: 'red' };

function ControlSheet({ d }) {
  const rows = d.handovers || [];
  const person = (unit, who) => [who, unit].filter(Boolean).join(', ');
  return (
    <section aria-labelledby="control-title">
      <h2 class="heading-m" id="control-title">
        {t('wd.control')}
      </h2>
      {!rows.length ? (
        <p class="body">{t('wd.no_handovers')}</p>
      ) : (
        <table class="control-table" role="table">
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">{t('wd.h.step')}</th>
              <th role="columnheader" scope="col">{t('wd.h.from')}</th>
              <th role="columnheader" scope="col">{t('wd.h.to')}</th>
              <th role="columnheader" scope="col">{t('wd.h.at')}</th>
              <th role="columnheader" scope="col">{t('wd.h.outcome')}</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {rows.map((h, i) => (
              <tr role="row" key={i}>
                <td role="cell" data-label={t('wd.h.step')}>{h.step_label_vi}</td>
                <td role="cell" data-label={t('wd.h.from')}>{person(h.from_unit, h.from_person) || '—'}</td>
                <td role="cell" data-label={t('wd.h.to')}>{person(h.to_unit, h.to_person) || '—'}</td>
                <td role="cell" data-label={t('wd.h.at')}>{formatDateTime(h.at)}</td>
                <td role="cell" data-label={t('wd.h.outcome')}>
                  {h.outcome ? <strong class={`chip chip--${OUTCOME_CHIP[h.outcome] || 'grey'}`}>{h.outcome_label_vi || h.outcome}</strong> : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.control_sheet_url && (
        <p class="body">
          <a href={d.control_sheet_url} target="_blank" rel="noopener" data-testid="control-sheet-link">
            {t('wd.control_pdf')}
            <span class="visually-hidden"> {t('wd.new_tab')}</span>
          </a>
        </p>
      )}
    </section>
  );
}

function Notices({ d }) {
  const sr = d.supplement_request;
  const apologies = d.apologies || [];
  return (
    <>
      {sr && (
        <div class="notice notice--queued">
          <h2 class="notice__title">{t('wd.supplement')}</h2>
          <ul class="list">
            {(sr.missing || []).map((m, i) => (
              <li key={i}>
                <strong>{m.name}</strong> ({t(`kind.${m.kind}`)}){m.reason ? ` — ${m.reason}` : ''}
              </li>
            ))}
          </ul>
          {sr.note && <p>{sr.note}</p>}
          {sr.requested_at && <p class="muted">{t('sup.requested', { date: formatDateTime(sr.requested_at) })}</p>}
          {sr.slip_url && (
            <p>
              <a href={sr.slip_url} target="_blank" rel="noopener">
                {t('wd.slip')}
              </a>
            </p>
          )}
        </div>
      )}
      {apologies.length > 0 && (
        <div class="notice notice--info">
          <h2 class="notice__title">{t('wd.apologies')}</h2>
          {apologies.map((a, i) => (
            <p key={i}>
              {a.reason} — {t('apology.new_date', { date: formatIsoDay(a.new_due_date) })}
              {a.slip_url && (
                <>
                  {' · '}
                  <a href={a.slip_url} target="_blank" rel="noopener">
                    {t('wd.slip')}
                  </a>
                </>
              )}
            </p>
          ))}
        </div>
      )}
    </>
  );
}

function Result({ d, user }) {
  const r = d.result;
  const canSign = d.can_sign !== undefined ? Boolean(d.can_sign) : d.stage === 'approval' && hasRole(user, 'leader');
  if (!r && !canSign) return null;
  return (
    <section aria-labelledby="result-title">
      <h2 class="heading-m" id="result-title">
        {t('wd.result')}
      </h2>
      {r && r.signed && r.signed_url ? (
        <p class="body">
          <a href={r.signed_url} target="_blank" rel="noopener">
            {t('wd.result_signed')}
          </a>
        </p>
      ) : (
        r && <p class="body">{t('wd.result_unsigned')}</p>
      )}
      {r && r.preview_url && !r.signed && (
        <p class="body">
          <a href={r.preview_url} target="_blank" rel="noopener">
            {t('wd.result_preview')}
            <span class="visually-hidden"> {t('wd.new_tab')}</span>
          </a>
        </p>
      )}
      {canSign && (
        <a class="button" href={`/can-bo/ky/${encodeURIComponent(d.id)}`} data-testid="go-sign">
          {t('wd.go_sign')}
        </a>
      )}
    </section>
  );
}

function DossierView({ id, user }) {
  const [st, setSt] = useState({ d: null, error: null, loading: true });
  const [notice, setNotice] = useState(null);
  const [open, setOpen] = useState(null);
  const noticeRef = useRef(null);
  const d = st.d;
  const procedure = useLoad(() => (d ? getProcedure(d.procedure.code).catch(() => null) : null), [d && d.procedure.code]);

  const load = async () => {
    setSt((x) => ({ ...x, loading: true, error: null }));
    try {
      setSt({ d: await get(`/work/dossiers/${encodeURIComponent(id)}`), error: null, loading: false });
    } catch (e) {
      if (!handleAuthError(e)) setSt((x) => ({ ...x, error: e, loading: false }));
    }
  };
  useEffect(() => {
    load();
  }, [id]);
  useEffect(() => {
    if (notice && noticeRef.current) {
      noticeRef.current.focus();
      noticeRef.current.scrollIntoView({ block: 'center' });
    }
  }, [notice]);

  if (!d && st.loading) return <Loading />;
  if (!d) {
    return (
      <Page title={t('wd.caption')} back="/can-bo/ho-so">
        <LoadError error={st.error} onRetry={load} />
      </Page>
    );
  }

  const badge = badgeOf(d);
  const history = [...(d.history || [])].sort((a, b) => (a.at < b.at ? -1 : 1));
  const actions = d.allowed_actions || [];
  const docs = (procedure.data && procedure.data.documents) || [];

  return (
    <Page title={d.code || tx(d.procedure)} caption={t('wd.caption')} back="/can-bo/ho-so">
      {notice && (
        <div class={`notice ${notice.kind === 'error' ? 'notice--error' : 'notice--success'}`} role={notice.kind === 'error' ? 'alert' : 'status'} tabIndex={-1} ref={noticeRef} data-testid="action-notice">
          <p>{notice.text}</p>
        </div>
      )}
      <p class="status-line">
        <StatusChip status={d.status} label={statusText(d)} /> <span class="stage" data-testid="stage" data-stage={d.stage}>{stageLabel(d)}</span> <DueBadge badge={badge} />
      </p>
      <SummaryList
        rows={[
          [t('dossier.procedure'), tx(d.procedure)],
          d.form && d.form.applicant_name && [t('wd.applicant'), d.form.applicant_name],
          d.due_at && [t('dossier.due'), <span class={badge ? `due due--${badge}` : 'due'}>{formatDueDate(d.due_at, state.lang)}</span>],
          d.submitted_at && [t('dossier.submitted'), formatDateTime(d.submitted_at)],
          d.receiving_office && [t('dossier.receiving'), tx(d.receiving_office)],
          d.competent_unit && [t('dossier.competent'), tx(d.competent_unit)],
          [t('wd.assignee'), d.assignee ? d.assignee.name : <span class="muted">{t('wd.unassigned')}</span>],
        ]}
      />
      <Notices d={d} />
      <section aria-labelledby="actions-title">
        <h2 class="heading-m" id="actions-title">
          {t('wd.actions')}
        </h2>
        {actions.length ? (
          <ul class="action-list">
            {actions.map((a, i) => (
              <li key={a.action}>
                <button
                  type="button"
                  class={`button${i > 0 ? ' button--secondary' : ''}${/^(refuse|stop)$/.test(a.action) ? ' button--warning-outline' : ''}`}
                  data-testid={`action-${a.action}`}
                  onClick={() => {
                    setNotice(null);
                    setOpen(a);
                  }}
                >
                  {actionLabel(a)}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="body">{t('wd.no_actions')}</p>
        )}
      </section>
      <Result d={d} user={user} />
      <Answers d={d} procedure={procedure.data} />
      <Attachments d={d} procedure={procedure.data} />
      {history.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 class="heading-m" id="history-title">
            {t('wd.history')}
          </h2>
          <Timeline items={history} formatAt={formatDateTime} />
        </section>
      )}
      <ControlSheet d={d} />
      <p class="body">
        <a href="/can-bo/ho-so">{t('wd.back')}</a>
      </p>
      {open && (
        <ActionDialog
          dossier={d}
          action={open}
          documents={docs}
          onClose={() => setOpen(null)}
          onDone={(next) => {
            setOpen(null);
            setSt({ d: next, error: null, loading: false });
            setNotice({ kind: 'success', text: t('wd.done', { action: actionLabel(open) }) });
          }}
          onStale={() => {
            setOpen(null);
            setNotice({ kind: 'error', text: t('wd.stale') });
            load();
          }}
        />
      )}
    </Page>
  );
}

export function WorkDossier({ params }) {
  const user = useOfficial();
  if (!user) return <Loading />;
  return <DossierView id={params.id} user={user} key={params.id} />;
}
