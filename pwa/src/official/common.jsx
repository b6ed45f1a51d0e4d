// What the officials' pages share: the sign-in gate, passkey challenges fetched ahead of the tap, badges.
import './text.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { errorText, hasText, t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { isOfficial, setState, state, useAppState } from '../lib/store.js';
import { UNIT_KEY } from './logic.js';
import { webauthnErrorKind } from './webauthn.js';

export const loginPath = () => `/can-bo?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;

/** The signed-in official, or null while the session is unknown / when it is not an official (→ sign-in). */
export function useOfficial() {
  const s = useAppState();
  const ok = isOfficial(s.user);
  useEffect(() => {
    if (s.user !== undefined && !ok) navigate(loginPath(), { replace: true });
  }, [s.user, ok]);
  return ok ? s.user : null;
}

/** A 401 from the work API: the session ended — forget the user, go to the sign-in page. */
export function handleAuthError(e) {
  if (e && e.status === 401) {
    setState({ user: null });
    navigate(loginPath(), { replace: true });
    return true;
  }
  return false;
}

/** GET from the work API for a loader: a 401 ends the session (handleAuthError) and the error still rejects. */
export function workGet(path) {
  return get(path).catch((e) => {
    handleAuthError(e);
    throw e;
  });
}

/** The unit the official chose last (the worklists open on it). */
export function storedUnit() {
  try {
    return localStorage.getItem(UNIT_KEY) || '';
  } catch {
    return '';
  }
}

export function rememberUnit(id) {
  try {
    localStorage.setItem(UNIT_KEY, id);
  } catch {
    /* private mode: remembered for this visit only */
  }
}

const CHALLENGE_MAX_AGE_MS = 90 * 1000;

/**
 * Passkey options fetched BEFORE the tap: Safari only lets navigator.credentials run straight from a tap,
 * not after a network wait. take() hands out the prefetched options once (a challenge is single-use) and
 * refresh() fetches the next ones after an attempt.
 */
export function useChallenge(fetcher, deps, enabled = true) {
  const ref = useRef({ promise: null, at: 0 });
  const [info, setInfo] = useState({ data: null, error: null, loading: enabled });
  const refresh = () => {
    const promise = fetcher();
    ref.current = { promise, at: Date.now() };
    setInfo((x) => ({ ...x, loading: !x.data }));
    promise.then(
      (data) => ref.current.promise === promise && setInfo({ data, error: null, loading: false }),
      (error) => {
        if (ref.current.promise !== promise) return;
        ref.current = { promise: null, at: 0 }; // the next take() asks again
        setInfo({ data: null, error, loading: false });
      },
    );
    promise.catch(() => {});
    return promise;
  };
  useEffect(() => {
    if (enabled) refresh();
  }, deps);
  const take = () => {
    const { promise, at } = ref.current;
    const p = promise && Date.now() - at < CHALLENGE_MAX_AGE_MS ? promise : refresh();
    ref.current = { promise: null, at: 0 };
    return p;
  };
  return { ...info, take, refresh };
}

/** A passkey or server failure in words; `cancelledKey` says what "cancelled" means on this page. */
export function passkeyErrorText(e, cancelledKey = 'wa.cancelled') {
  const kind = webauthnErrorKind(e);
  if (kind === 'cancelled') return t(cancelledKey);
  if (kind) return t(`wa.${kind}`);
  return errorText(e);
}

/** "Quá hạn" (red) / "Sắp đến hạn" (amber): colour AND words. */
export function DueBadge({ badge }) {
  if (badge === 'overdue') {
    return (
      <strong class="chip chip--red badge" data-testid="badge-overdue">
        {t('work.overdue')}
      </strong>
    );
  }
  if (badge === 'at_risk') {
    return (
      <strong class="chip chip--amber badge" data-testid="badge-at-risk">
        {t('work.at_risk')}
      </strong>
    );
  }
  return null;
}

/** Role names of the official in a unit: "Chuyên viên, Lãnh đạo". */
export function rolesText(unit) {
  return unit.roles.map(roleText).join(', ');
}

// The server labels stages, statuses and roles in Vietnamese; English ones come from the dictionary.
const english = (key) => (state.lang === 'en' && hasText(key) ? t(key) : '');
export const stageLabel = (x) => (state.lang === 'en' && x.stage_label_en) || english(`stage.${x.stage}`) || x.stage_label_vi || x.stage || '';
export const statusText = (x) => (state.lang === 'en' && x.status_label_en) || english(`status.${x.status}`) || x.status_label_vi || x.status || '';
export const roleText = (m) => (state.lang === 'en' && m.role_label_en) || english(`role.${m.role}`) || m.role_label_vi || m.role;
