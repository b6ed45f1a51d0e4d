// "/ho-so" — my dossiers, newest first: the server's list plus what waits on this device (queued, or
// drafts started offline). Status chips carry colour AND text.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../lib/api.js';
import { formatDate, formatDueDate } from '../lib/format.js';
import { t, tx } from '../lib/i18n.js';
import { state, useAppState } from '../lib/store.js';
import { LoadError, Loading, Page, StatusChip, statusLabel } from '../components/ui.jsx';
import { localDrafts } from '../offline/draft-records.js';
import { onOutboxEvent } from '../offline/drafts.js';
import { draftPath } from './filing.jsx';

function Item({ href, title, status, label, code, due, updated, cont, queued }) {
  return (
    <li class="dossier" data-testid="dossier-item">
      <p class="dossier__top">
        <StatusChip status={status} label={label} />
        {code && <span class="code dossier__code">{code}</span>}
      </p>
      <a class="dossier__title" href={href}>
        {title}
      </a>
      {queued && <p class="dossier__note">{t('queued.title')}</p>}
      <dl class="dossier__meta">
        {due && (
          <div>
            <dt>{t('mine.due')}:</dt> <dd>{due}</dd>
          </div>
        )}
        {updated && (
          <div>
            <dt>{t('mine.updated')}:</dt> <dd>{updated}</dd>
          </div>
        )}
      </dl>
      {cont && (
        <a class="button button--secondary button--small" href={cont}>
          {t('mine.continue')}
          <span class="visually-hidden"> {title}</span>
        </a>
      )}
    </li>
  );
}

export function MyDossiers() {
  const s = useAppState();
  const [server, setServer] = useState({ items: [], next: null, loading: true, error: null });
  const [local, setLocal] = useState([]);
  const [version, setVersion] = useState(0);
  const userId = s.user && s.user.id;

  useEffect(() => onOutboxEvent(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    localDrafts(userId).then(setLocal, () => setLocal([]));
  }, [userId, version]);

  const load = async (token, append) => {
    setServer((x) => ({ ...x, loading: true, error: null }));
    try {
      const res = await get('/dossiers' + qs({ page_token: token }));
      setServer((x) => ({ items: append ? [...x.items, ...res.items] : res.items || [], next: res.next_page_token || null, loading: false, error: null }));
    } catch (error) {
      setServer((x) => ({ ...x, loading: false, error }));
    }
  };
  useEffect(() => {
    if (s.user) load(null, false);
    else if (s.user === null) setServer({ items: [], next: null, loading: false, error: null });
    else if (!navigator.onLine) setServer({ items: [], next: null, loading: false, error: { status: 0 } });
  }, [userId, version]);

  if (s.user === null) {
    return (
      <Page title={t('mine.title')}>
        <p class="body">{t('mine.signin')}</p>
        <a class="button" href="/dang-nhap?next=%2Fho-so">
          {t('nav.signin')}
        </a>
      </Page>
    );
  }

  const onServer = new Set(server.items.map((d) => d.id));
  // queued or never-synced drafts first; a local draft the server already lists shows once, as the server's
  const waiting = local
    .filter((r) => r.queued || !r.serverId || !onServer.has(r.serverId))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  const offline = server.error && server.error.status === 0;

  return (
    <Page title={t('mine.title')}>
      {offline && <p class="notice notice--info">{t('mine.offline')}</p>}
      {server.error && !offline && <LoadError error={server.error} onRetry={() => load(null, false)} />}
      {server.loading && !server.items.length && <Loading />}
      {!server.loading && !waiting.length && !server.items.length && !server.error && (
        <>
          <p class="body">{t('mine.empty')}</p>
          <a class="button" href="/">
            {t('mine.find')}
          </a>
        </>
      )}
      <ul class="dossiers">
        {waiting.map((r) => (
          <Item
            key={r.id}
            href={r.queued ? draftPath(r.id) : draftPath(r.id, '/thong-tin/1')}
            title={tx(r.procedure)}
            status={r.queued ? 'queued' : 'draft'}
            label={r.queued ? t('queued.chip') : t('mine.draft_local')}
            updated={formatDate(r.updatedAt)}
            cont={r.queued ? null : draftPath(r.id, '/thong-tin/1')}
            queued={r.queued}
          />
        ))}
        {server.items.map((d) => (
          <Item
            key={d.id}
            href={d.status === 'draft' ? draftPath(d.id, '/thong-tin/1') : draftPath(d.id)}
            title={tx(d.procedure)}
            status={d.status}
            label={statusLabel(d)}
            code={d.code}
            due={d.due_at ? formatDueDate(d.due_at, state.lang) : ''}
            updated={d.status === 'draft' ? formatDate(d.updated_at) : ''}
            cont={d.status === 'draft' ? draftPath(d.id, '/thong-tin/1') : null}
          />
        ))}
      </ul>
      {server.next && (
        <button type="button" class="button button--secondary" disabled={server.loading} onClick={() => load(server.next, true)}>
          {t('more')}
        </button>
      )}
    </Page>
  );
}
