// "/can-bo/quan-tri" — the administrator's page (its own lazy chunk): the officials with a button each that
// issues a single-use passkey enrolment link (copy / share it), and the check of every dossier's audit hash
// chain, with one dossier's trail ("?ho-so=<id>") shown entry by entry, the broken one highlighted.
// Every answer of /api/v1/admin/* is personal: the service worker never caches it (lib/sw-rules.js).
import './admin-text.js';
import './admin.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../lib/api.js';
import { formatDateTime, formatDueDate } from '../lib/format.js';
import { errorText, hasText, t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { state } from '../lib/store.js';
import { Alert, FormGroup, LoadError, Loading, Page } from '../components/ui.jsx';
import { handleAuthError, rolesText, useOfficial } from './common.jsx';
import { unitsOf } from './logic.js';
import { actorParts, auditTime, changeLines, dossierIdFromInput, dossierIdOf, isOpaque, problemKey, shorten } from './audit.js';

const PATH = '/can-bo/quan-tri';
const ENROLMENT_HOURS = 72;
const trailHref = (id) => `${PATH}?ho-so=${encodeURIComponent(id)}`;
const isAdminOnly = (e) => e && e.status === 403 && e.code === 'admin_only';

/** The server's problem in the page's language (its English sentence as is when unknown). */
function problemText(problem) {
  const k = problemKey(problem);
  return k && (state.lang === 'vi' || hasText(k.key)) ? t(k.key, k.vars) : problem || '';
}

function actionText(action) {
  for (const key of [`adm.action.${action}`, `step.${action}`]) if (hasText(key)) return t(key);
  return action;
}

function Icon({ ok }) {
  return ok ? (
    <svg class="audit-summary__icon" width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path d="M6.5 12.5l3.5 3.5 7.5-8" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  ) : (
    <svg class="audit-summary__icon" width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 1.5L23 21.5H1z" fill="currentColor" />
      <path d="M12 8.5v6.5" stroke="#fff" stroke-width="2.4" stroke-linecap="round" />
      <circle cx="12" cy="18.3" r="1.4" fill="#fff" />
    </svg>
  );
}

/** Copies the text; without the Clipboard API (or when it refuses) selects it and tries execCommand. */
async function copyText(text, node) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the selection */
  }
  try {
    const range = document.createRange();
    range.selectNodeContents(node);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** The link just issued: the URL as plain text, "Sao chép", "Gửi qua ứng dụng khác", and the rules. */
function EnrolmentLink({ official, link }) {
  const urlRef = useRef(null);
  const titleRef = useRef(null);
  const [copy, setCopy] = useState('');
  useEffect(() => {
    if (titleRef.current) titleRef.current.focus();
    setCopy('');
  }, [link.url]);
  const expires = formatDueDate(new Date(link.at + ENROLMENT_HOURS * 3600 * 1000).toISOString(), state.lang);
  const doCopy = async () => setCopy((await copyText(link.url, urlRef.current)) ? 'ok' : 'failed');
  const canShare = typeof navigator.share === 'function';
  const share = () => navigator.share({ title: t('adm.link_title', { name: official.name }), url: link.url }).catch(() => {});
  return (
    <div class="enrol-link">
      <p class="enrol-link__title" tabIndex={-1} ref={titleRef}>
        {t('adm.link_title', { name: official.name })}
      </p>
      <p class="enrol-link__url" data-testid="enrolment-url" ref={urlRef}>
        {link.url}
      </p>
      <div class="enrol-link__buttons">
        <button type="button" class="button button--small" onClick={doCopy}>
          {t('adm.copy')}
          <span class="visually-hidden"> {t('adm.copy_what', { name: official.name })}</span>
        </button>
        {canShare && (
          <button type="button" class="button button--secondary button--small" onClick={share}>
            {t('adm.share')}
          </button>
        )}
      </div>
      <p class="enrol-link__status" role="status">
        {copy === 'ok' ? t('adm.copied') : copy === 'failed' ? t('adm.copy_failed') : ''}
      </p>
      <p class="enrol-link__rules">{t('adm.link_rules', { time: expires })}</p>
      <p class="enrol-link__rules">
        <strong>{t('adm.link_private')}</strong>
      </p>
    </div>
  );
}

function OfficialItem({ official, onForbidden }) {
  const [st, setSt] = useState({ busy: false, error: null, link: null });
  const units = unitsOf(official);
  const issue = async () => {
    setSt((x) => ({ ...x, busy: true, error: null }));
    try {
      const reply = await post(`/admin/officials/${encodeURIComponent(official.id)}/enrolment`, {});
      setSt({ busy: false, error: null, link: { url: reply.url, at: Date.now() } });
    } catch (e) {
      if (handleAuthError(e)) return;
      if (isAdminOnly(e)) return onForbidden();
      setSt((x) => ({ ...x, busy: false, error: e }));
    }
  };
  return (
    <li class="admin-official" data-testid="admin-official" data-id={official.id}>
      <p class="admin-official__name">{official.name}</p>
      <p class="admin-official__id muted">{official.id}</p>
      {units.length ? (
        <ul class="admin-official__units">
          {units.map((u) => (
            <li key={u.unit_id}>
              {u.unit_name} — <span class="admin-official__role">{rolesText(u)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="admin-official__units muted">{t('adm.no_unit')}</p>
      )}
      <button type="button" class="button button--secondary button--small" data-testid="issue-enrolment" disabled={st.busy} onClick={issue}>
        {st.busy ? t('adm.issuing') : t('adm.issue')}
        <span class="visually-hidden"> {t('adm.issue_for', { name: official.name })}</span>
      </button>
      <Alert>{errorText(st.error)}</Alert>
      {st.link && <EnrolmentLink official={official} link={st.link} />}
    </li>
  );
}

function Officials({ onForbidden }) {
  const [st, setSt] = useState({ items: null, error: null, loading: true });
  const load = async () => {
    setSt((x) => ({ ...x, loading: true, error: null }));
    try {
      const reply = await get('/admin/officials');
      setSt({ items: reply.items || [], error: null, loading: false });
    } catch (e) {
      if (handleAuthError(e)) return;
      if (isAdminOnly(e)) return onForbidden();
      setSt((x) => ({ ...x, error: e, loading: false }));
    }
  };
  useEffect(() => {
    load();
  }, []);
  return (
    <section aria-labelledby="adm-officials-title">
      <h2 class="heading-m" id="adm-officials-title">
        {t('adm.officials')}
      </h2>
      <p class="body">{t('adm.officials_lead')}</p>
      {st.loading && !st.items && <Loading />}
      {st.error && <LoadError error={st.error} onRetry={load} />}
      {st.items && !st.items.length && <p class="body">{t('adm.no_officials')}</p>}
      {st.items && st.items.length > 0 && (
        <ul class="admin-officials">
          {st.items.map((o) => (
            <OfficialItem official={o} key={o.id} onForbidden={onForbidden} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Đã kiểm tra N chuỗi nhật ký — tất cả toàn vẹn" (green), or the broken chains in red, each linked. */
function AuditSummary({ data, at }) {
  const box = useRef(null);
  useEffect(() => {
    if (box.current) box.current.focus();
  }, [at]);
  const broken = data.broken || [];
  const intact = broken.length === 0;
  return (
    <div
      class={`notice audit-summary ${intact ? 'notice--success' : 'notice--error'}`}
      data-testid="audit-result"
      data-intact={intact ? 'true' : 'false'}
      tabIndex={-1}
      ref={box}
    >
      <p class="audit-summary__head">
        <Icon ok={intact} />
        <strong>{intact ? t('adm.all_intact', { n: data.checked }) : t('adm.some_broken', { n: data.checked, m: broken.length })}</strong>
      </p>
      {!intact && (
        <ul class="audit-broken">
          {broken.map((b) => {
            const id = dossierIdOf(b.subject);
            return (
              <li key={b.subject}>
                {id ? (
                  <a href={trailHref(id)} class="audit-broken__link">
                    {t('adm.open_trail', { id })}
                  </a>
                ) : (
                  <span class="audit-broken__link">{t('adm.subject', { subject: b.subject })}</span>
                )}
                <span class="audit-broken__what">{t('adm.broken_at', { seq: b.broken_at, n: b.entries, problem: problemText(b.problem) })}</span>
              </li>
            );
          })}
        </ul>
      )}
      <p class="muted">{t('adm.checked_at', { time: formatDateTime(new Date(at).toISOString()) })}</p>
    </div>
  );
}

function Change({ before, after }) {
  const lines = changeLines(before, after);
  if (!lines.length) return <span class="muted">{t('adm.no_change')}</span>;
  const arrow = (
    <>
      <span aria-hidden="true"> → </span>
      <span class="visually-hidden"> {t('adm.to')} </span>
    </>
  );
  return (
    <ul class="audit-change">
      {lines.map((l, i) => (
        <li key={l.key || i}>
          {l.key && <span class="audit-change__key">{l.key}: </span>}
          {l.from === null ? (
            <>
              <span class="muted">({t('adm.created')})</span> {l.to}
            </>
          ) : (
            <>
              <span class="audit-change__from">{l.from}</span>
              {arrow}
              {l.to === null ? '—' : l.to}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Actor({ actor }) {
  const { kind, id } = actorParts(actor);
  const key = `adm.actor.${kind}`;
  const label = hasText(key) ? t(key) : kind;
  if (!id) return <>{label}</>;
  return (
    <>
      {label}{' '}
      {isOpaque(id) ? (
        <code class="audit-code audit-code--short" title={id}>
          {shorten(id, 8)}
        </code>
      ) : (
        <code class="audit-code">{id}</code>
      )}
    </>
  );
}

function Hash({ hash }) {
  if (!hash) return '—';
  return (
    <details class="audit-hash">
      <summary>
        <code class="audit-code audit-code--short" title={hash}>
          {shorten(hash, 10)}
        </code>
        <span class="visually-hidden"> {t('adm.h.hash')}</span>
      </summary>
      <code class="audit-code audit-hash__full">{hash}</code>
    </details>
  );
}

function Trail({ id, onForbidden }) {
  const [st, setSt] = useState({ data: null, error: null, loading: true });
  const heading = useRef(null);
  const load = async () => {
    setSt({ data: null, error: null, loading: true });
    try {
      setSt({ data: await get(`/admin/audit/${encodeURIComponent(id)}`), error: null, loading: false });
    } catch (e) {
      if (handleAuthError(e)) return;
      if (isAdminOnly(e)) return onForbidden();
      setSt({ data: null, error: e, loading: false });
    }
  };
  useEffect(() => {
    load();
  }, [id]);
  useEffect(() => {
    if (!st.loading && heading.current) {
      heading.current.focus({ preventScroll: true });
      heading.current.scrollIntoView({ block: 'start' });
    }
  }, [st.loading]);
  const data = st.data;
  const check = (data && data.check) || {};
  const entries = (data && data.entries) || [];
  const brokenAt = check.intact === false ? check.broken_at : null;
  const cols = ['seq', 'at', 'actor', 'action', 'device', 'change', 'hash'];
  const label = (c) => t(`adm.h.${c}`);
  return (
    <section aria-labelledby="adm-trail-title" class="audit-trail" id="nhat-ky">
      <h3 class="heading-s" id="adm-trail-title" tabIndex={-1} ref={heading}>
        {t('adm.trail')} <code class="audit-code">{id}</code>
      </h3>
      {st.loading && <Loading />}
      {st.error && <LoadError error={st.error} onRetry={load} />}
      {data && !entries.length && (
        <div class="notice notice--info">
          <p>{t('adm.trail_empty')}</p>
        </div>
      )}
      {data && entries.length > 0 && (
        <div class={`notice ${check.intact ? 'notice--success' : 'notice--error'} audit-summary`}>
          <p class="audit-summary__head">
            <Icon ok={check.intact} />
            <strong>{check.intact ? t('adm.trail_intact', { n: entries.length }) : t('adm.trail_broken', { seq: check.broken_at, problem: problemText(check.problem) })}</strong>
          </p>
        </div>
      )}
      {entries.length > 0 && (
        <table class="control-table audit-table" role="table">
          <thead role="rowgroup">
            <tr role="row">
              {cols.map((c) => (
                <th role="columnheader" scope="col" key={c}>
                  {label(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {entries.map((e) => {
              const broken = brokenAt !== null && e.seq === brokenAt;
              return (
                <tr role="row" key={e.seq} class={broken ? 'audit-row--broken' : undefined} data-testid="audit-entry" data-seq={e.seq} data-broken={broken ? 'true' : 'false'}>
                  <td role="cell" data-label={label('seq')}>
                    <span>
                      <strong>{e.seq}</strong>
                      {broken && (
                        <>
                          {' '}
                          <strong class="chip chip--red">{t('adm.broken_row')}</strong>
                        </>
                      )}
                    </span>
                  </td>
                  <td role="cell" data-label={label('at')}>
                    <time datetime={e.at}>{auditTime(e.at)}</time>
                  </td>
                  <td role="cell" data-label={label('actor')}>
                    <span>
                      <Actor actor={e.actor} />
                    </span>
                  </td>
                  <td role="cell" data-label={label('action')}>
                    <span>
                      {actionText(e.action)}
                      {actionText(e.action) !== e.action && <span class="muted"> ({e.action})</span>}
                    </span>
                  </td>
                  <td role="cell" data-label={label('device')}>
                    <span>{e.device || '—'}</span>
                  </td>
                  <td role="cell" data-label={label('change')}>
                    <Change before={e.before} after={e.after} />
                  </td>
                  <td role="cell" data-label={label('hash')}>
                    <Hash hash={e.hash} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Audit({ trailId, onForbidden }) {
  const [st, setSt] = useState({ data: null, error: null, loading: false, at: 0 });
  const [typed, setTyped] = useState(trailId || '');
  const [fieldError, setFieldError] = useState('');
  useEffect(() => setTyped(trailId || ''), [trailId]);

  const checkAll = async () => {
    setSt((x) => ({ ...x, loading: true, error: null }));
    try {
      const data = await get('/admin/audit');
      setSt({ data, error: null, loading: false, at: Date.now() });
    } catch (e) {
      if (handleAuthError(e)) return;
      if (isAdminOnly(e)) return onForbidden();
      setSt((x) => ({ ...x, error: e, loading: false }));
    }
  };
  const open = (e) => {
    e.preventDefault();
    const id = dossierIdFromInput(typed);
    if (!id) {
      setFieldError(t('adm.one_required'));
      document.getElementById('adm-dossier').focus();
      return;
    }
    setFieldError('');
    navigate(trailHref(id));
  };

  return (
    <section aria-labelledby="adm-audit-title">
      <h2 class="heading-m" id="adm-audit-title">
        {t('adm.audit')}
      </h2>
      <p class="body">{t('adm.audit_lead')}</p>
      <button type="button" class="button" data-testid="audit-check-all" disabled={st.loading} onClick={checkAll}>
        {st.loading ? t('adm.checking') : t('adm.check_all')}
      </button>
      {st.loading && (
        <p class="visually-hidden" role="status">
          {t('adm.checking')}
        </p>
      )}
      {st.error && <LoadError error={st.error} onRetry={checkAll} />}
      {st.data && <AuditSummary data={st.data} at={st.at} />}

      <h3 class="heading-s">{t('adm.one')}</h3>
      <form class="audit-open" onSubmit={open} noValidate>
        <FormGroup id="adm-dossier" label={t('adm.one_label')} hint={t('adm.one_hint')} error={fieldError}>
          {(aria) => (
            <input
              class={`input${fieldError ? ' input--error' : ''}`}
              {...aria}
              name="dossier"
              type="text"
              autocomplete="off"
              autocapitalize="none"
              spellcheck={false}
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          )}
        </FormGroup>
        <button type="submit" class="button button--secondary">
          {t('adm.one_open')}
        </button>
      </form>
      {trailId && <Trail id={trailId} key={trailId} onForbidden={onForbidden} />}
    </section>
  );
}

function AdminView({ query }) {
  const [forbidden, setForbidden] = useState(false);
  const onForbidden = () => setForbidden(true);
  const trailId = dossierIdFromInput(query.get('ho-so') || '');
  if (forbidden) {
    return (
      <Page title={t('adm.title')} caption={t('adm.caption')}>
        <div class="notice notice--error" role="alert" data-testid="admin-forbidden">
          <p>{t('adm.forbidden')}</p>
        </div>
        <p class="body">
          <a href="/can-bo/ho-so">{t('adm.forbidden_go')}</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('adm.title')} caption={t('adm.caption')}>
      <Officials onForbidden={onForbidden} />
      <Audit trailId={trailId} onForbidden={onForbidden} />
    </Page>
  );
}

export function Admin({ query }) {
  const user = useOfficial();
  if (!user) return <Loading />;
  return <AdminView query={query} />;
}
