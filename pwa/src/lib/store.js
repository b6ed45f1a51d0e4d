// App-wide state (language, signed-in user, public config, connectivity, notices) with a tiny subscribe hook.
import { useEffect, useState } from 'preact/hooks';

const LANG_KEY = 'motcua.lang';
const USER_KEY = 'motcua.user';

function readJson(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

export const state = {
  lang: (() => {
    try {
      return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
    } catch {
      return 'vi';
    }
  })(),
  // undefined = not known yet; null = signed out. Remembered so the app knows who is signed in offline.
  user: readJson(USER_KEY) || undefined,
  config: { dev_mode: false, province: 'Đồng Nai', max_upload_bytes: 10 * 1024 * 1024, direct_uploads: false },
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  updateReady: null, // a function that activates the waiting service worker
  notice: null, // { text, href, linkText }
  unread: null, // unread notifications (the bell); null = signed out or not known yet
};

const listeners = new Set();
let version = 0;

export function setState(patch) {
  Object.assign(state, patch);
  if ('lang' in patch) {
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch {
      /* private mode: the choice lasts for this visit */
    }
    document.documentElement.lang = state.lang;
  }
  if ('user' in patch) {
    try {
      if (state.user) localStorage.setItem(USER_KEY, JSON.stringify(state.user));
      else localStorage.removeItem(USER_KEY);
    } catch {
      /* ignore */
    }
  }
  version++;
  listeners.forEach((fn) => fn());
}

/** Call fn after every state change (outside components); returns the unsubscribe function. */
export function watch(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Officials sign in with a passkey; their session user has kind "official" and unit memberships. */
export const isOfficial = (user) => Boolean(user && user.kind === 'official');

/** An official with the "admin" role in some unit (the header then links to /can-bo/quan-tri). */
export const isAdmin = (user) => isOfficial(user) && (user.memberships || []).some((m) => m.role === 'admin');

/** Re-render the calling component whenever the app state changes. */
export function useAppState() {
  const [, bump] = useState(0);
  const seen = version;
  useEffect(() => {
    const fn = () => bump((n) => n + 1);
    listeners.add(fn);
    if (version !== seen) fn(); // a change landed between render and subscription
    return () => listeners.delete(fn);
  }, []);
  return state;
}
