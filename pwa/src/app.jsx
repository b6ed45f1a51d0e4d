// The frame every page shares (header, navigation, banners, footer) and the route table.
// Officials' pages and the public verification page are lazy chunks: a citizen never downloads them.
import { useEffect, useState } from 'preact/hooks';
import { post } from './lib/api.js';
import { t } from './lib/i18n.js';
import { match, navigate, useLocation } from './lib/router.js';
import { isAdmin, isOfficial, setState, state, useAppState } from './lib/store.js';
import { Home } from './pages/home.jsx';
import { ProcedurePage } from './pages/procedure.jsx';
import { SignIn, SignInCode } from './pages/sign-in.jsx';
import { FormStep } from './pages/form-step.jsx';
import { Attachments } from './pages/attachments.jsx';
import { OfficeStep } from './pages/office.jsx';
import { CheckAnswers } from './pages/check.jsx';
import { Confirmation } from './pages/confirmation.jsx';
import { DossierPage } from './pages/dossier.jsx';
import { MyDossiers } from './pages/my-dossiers.jsx';
import { Track } from './pages/track.jsx';
import { LoadError, Loading, Page } from './components/ui.jsx';
import { BellIcon } from './components/push-card.jsx';
import { pushSignOut } from './lib/push.js';

/** A page whose code is loaded on first visit (its own chunk). A failed load offers a page reload. */
function lazyPage(load, name) {
  let mod = null;
  let pending = null;
  const get = () =>
    pending ||
    (pending = load().then(
      (m) => (mod = m),
      (e) => {
        pending = null;
        throw e;
      },
    ));
  return function LazyPage(props) {
    const [, setLoaded] = useState(false);
    const [error, setError] = useState(null);
    useEffect(() => {
      if (!mod) get().then(() => setLoaded(true), setError);
    }, []);
    if (mod) {
      const Component = mod[name];
      return <Component {...props} />;
    }
    if (error) {
      return (
        <Page title={t('error.generic')}>
          <p class="body">{t('lazy.failed')}</p>
          <button type="button" class="button" onClick={() => window.location.reload()}>
            {t('lazy.reload')}
          </button>
        </Page>
      );
    }
    return <Loading />;
  };
}

const official = () => import('./official/pages.jsx');
const OfficialLogin = lazyPage(official, 'OfficialLogin');
const Enrol = lazyPage(official, 'Enrol');
const Worklist = lazyPage(official, 'Worklist');
const WorkDossier = lazyPage(official, 'WorkDossier');
const Signing = lazyPage(() => import('./official/signing.jsx'), 'Signing');
const Admin = lazyPage(() => import('./official/admin.jsx'), 'Admin');
const Notifications = lazyPage(() => import('./notifications/notifications.jsx'), 'Notifications');
const Payment = lazyPage(() => import('./payment/payment.jsx'), 'PaymentPage');
const verify = () => import('./verify/verify.jsx');
const feedback = () => import('./public/feedback.jsx');
const FeedbackForm = lazyPage(feedback, 'FeedbackForm');
const FeedbackItem = lazyPage(feedback, 'FeedbackItem');
const PublicFeedback = lazyPage(feedback, 'PublicFeedback');
const Kiosk = lazyPage(() => import('./public/kiosk.jsx'), 'Kiosk');
const officialFeedback = () => import('./official/feedback.jsx');
const FeedbackWorklist = lazyPage(officialFeedback, 'FeedbackWorklist');
const FeedbackSheet = lazyPage(officialFeedback, 'FeedbackSheet');
const VerifyFile = lazyPage(verify, 'VerifyFile');
const VerifyCode = lazyPage(verify, 'VerifyCode');
const AssistantPage = lazyPage(() => import('./assistant/assistant.jsx'), 'AssistantPage');
const StatsPage = lazyPage(() => import('./stats/stats.jsx'), 'StatsPage');
const Dashboard = lazyPage(() => import('./stats/dashboard.jsx'), 'Dashboard');

// Vietnamese slugs, as citizens read them in the address bar.
const ROUTES = [
  ['/', Home],
  ['/thu-tuc/:code', ProcedurePage],
  ['/dang-nhap', SignIn],
  ['/dang-nhap/ma', SignInCode],
  ['/ho-so', MyDossiers],
  ['/ho-so/:id', DossierPage],
  ['/ho-so/:id/thong-tin/:step', FormStep],
  ['/ho-so/:id/giay-to', Attachments],
  ['/ho-so/:id/noi-nop', OfficeStep],
  ['/ho-so/:id/kiem-tra', CheckAnswers],
  ['/ho-so/:id/xac-nhan', Confirmation],
  ['/tra-cuu', Track],
  ['/thanh-toan/:id', Payment],
  ['/thong-bao', Notifications],
  ['/can-bo', OfficialLogin],
  ['/can-bo/dang-ky', Enrol],
  ['/can-bo/ho-so', Worklist],
  ['/can-bo/ho-so/:id', WorkDossier],
  ['/can-bo/ky', Signing],
  ['/can-bo/ky/:id', Signing],
  ['/can-bo/quan-tri', Admin],
  ['/can-bo/tong-quan', Dashboard],
  ['/thong-ke', StatsPage],
  ['/xac-minh', VerifyFile],
  ['/xac-minh/:code', VerifyCode],
  ['/hoi-dap', AssistantPage],
  ['/phan-anh', FeedbackForm],
  ['/phan-anh/cong-khai', PublicFeedback],
  ['/phan-anh/:id', FeedbackItem],
  ['/can-bo/phan-anh', FeedbackWorklist],
  ['/can-bo/phan-anh/:id', FeedbackSheet],
  ['/kiosk', Kiosk],
];

function NotFound() {
  return (
    <Page title={t('notfound.title')}>
      <p class="body">{t('notfound.body')}</p>
      <p class="body">
        <a href="/">{t('notfound.home')}</a>
      </p>
    </Page>
  );
}

function Logo() {
  return (
    <svg class="header__logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
      <rect x="8" y="4" width="16" height="21" rx="1.5" fill="#fff" />
      <rect x="11" y="8.5" width="10" height="1.8" rx=".9" fill="#788aa0" />
      <rect x="11" y="12.5" width="7" height="1.8" rx=".9" fill="#788aa0" />
      <circle cx="20" cy="21" r="5" fill="#00703c" />
      <path d="M17.8 21l1.6 1.7 3-3.2" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
      <rect x="8" y="27.5" width="16" height="1.6" fill="#ffcd00" />
    </svg>
  );
}

async function signOut() {
  const wasOfficial = isOfficial(state.user);
  await pushSignOut(); // DELETE this phone's push subscription while the session still exists
  try {
    await post('/auth/logout', {});
  } catch {
    /* signed out locally either way */
  }
  setState({ user: null });
  navigate(wasOfficial ? '/can-bo' : '/');
}

/** The bell (signed-in users): unread count from GET /notifications, as a number AND in the link's name. */
function Bell({ path }) {
  const s = useAppState();
  if (!s.user) return null;
  const n = s.unread || 0;
  return (
    <a
      class="header__bell"
      href="/thong-bao"
      data-testid="notifications-link"
      data-unread={String(n)}
      aria-current={path === '/thong-bao' ? 'page' : undefined}
      aria-label={n ? t('nav.notifications_n', { n }) : t('nav.notifications')}
    >
      <BellIcon size={26} />
      {n > 0 && (
        <span class="header__count" aria-hidden="true">
          {n > 99 ? '99+' : n}
        </span>
      )}
    </a>
  );
}

function Header({ path }) {
  const s = useAppState();
  const here = (p) => (p === '/' ? path === '/' || path.startsWith('/thu-tuc') : path.startsWith(p)) ? 'page' : undefined;
  const next = encodeURIComponent(path + window.location.search);
  return (
    <header class="header">
      <div class="header__bar container">
        <a class="header__brand" href="/">
          <Logo />
          <span class="header__name">{t('app.name').replace('Đồng Nai', 'Đồng\u00a0Nai')}</span>
        </a>
        <Bell path={path} />
        <button
          type="button"
          class="header__lang"
          data-testid="lang-switch"
          lang={s.lang === 'vi' ? 'en' : 'vi'}
          aria-label={t('lang.switch.label')}
          onClick={() => setState({ lang: s.lang === 'vi' ? 'en' : 'vi' })}
        >
          {t('lang.switch')}
        </button>
      </div>
      {isOfficial(s.user) ? (
        <nav class="nav" aria-label={t('nav.official_label')}>
          <ul class={`nav__list ${isAdmin(s.user) ? 'nav__list--four' : 'nav__list--three'} container`}>
            <li>
              <a class="nav__link" href="/can-bo/ho-so" aria-current={here('/can-bo/ho-so')}>
                {t('nav.work')}
              </a>
            </li>
            <li>
              <a class="nav__link" href="/can-bo/phan-anh" aria-current={here('/can-bo/phan-anh')} data-testid="nav-feedback">
                {t('nav.feedback')}
              </a>
            </li>
            {isAdmin(s.user) && (
              <li>
                <a class="nav__link" href="/can-bo/quan-tri" aria-current={here('/can-bo/quan-tri')}>
                  {t('nav.admin')}
                </a>
              </li>
            )}
            <li>
              <button type="button" class="nav__link nav__button" onClick={signOut}>
                {t('nav.signout')}
              </button>
            </li>
          </ul>
        </nav>
      ) : (
        <nav class="nav" aria-label={t('nav.label')}>
          <ul class="nav__list container">
            <li>
              <a class="nav__link" href="/" aria-current={here('/')}>
                {t('nav.home')}
              </a>
            </li>
            <li>
              <a class="nav__link" href="/tra-cuu" aria-current={here('/tra-cuu')}>
                {t('nav.track')}
              </a>
            </li>
            <li>
              <a class="nav__link" href="/ho-so" aria-current={here('/ho-so')}>
                {t('nav.mine')}
              </a>
            </li>
            <li>
              {s.user ? (
                <button type="button" class="nav__link nav__button" onClick={signOut}>
                  {t('nav.signout')}
                </button>
              ) : (
                <a class="nav__link" href={path.startsWith('/dang-nhap') ? '/dang-nhap' : `/dang-nhap?next=${next}`} aria-current={here('/dang-nhap')}>
                  {t('nav.signin')}
                </a>
              )}
            </li>
          </ul>
        </nav>
      )}
    </header>
  );
}

function Banners({ path }) {
  const s = useAppState();
  // a notice is read on the page where it appeared; it goes when the citizen moves on
  useEffect(() => {
    if (s.notice && s.notice.path && s.notice.path !== path) setState({ notice: null });
    else if (s.notice && !s.notice.path) s.notice.path = path;
  }, [path, s.notice]);
  return (
    <>
      {!s.online && (
        <div class="banner banner--offline" role="status">
          <p class="container">{t('offline.banner')}</p>
        </div>
      )}
      <div aria-live="polite" class="container">
        {s.notice && (
          <div class={`notice ${s.notice.kind === 'error' ? 'notice--error' : 'notice--success'}`}>
            <p>
              {s.notice.text}{' '}
              {s.notice.href && <a href={s.notice.href} onClick={() => setState({ notice: null })}>{s.notice.linkText}</a>}
            </p>
          </div>
        )}
      </div>
    </>
  );
}

function UpdatePrompt() {
  const s = useAppState();
  if (!s.updateReady) return null;
  return (
    <div class="update-prompt" role="status" data-testid="update-prompt">
      <p class="update-prompt__text">{t('update.text')}</p>
      <button type="button" class="button button--inverse" onClick={() => s.updateReady()}>
        {t('update.reload')}
      </button>
    </div>
  );
}

export function App() {
  const { path, query } = useLocation();
  useAppState();
  let view = null;
  for (const [pattern, Component] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      view = <Component key={path} params={params} query={query} />;
      break;
    }
  }
  if (path === '/kiosk') {
    // the counter's tablet: the kiosk alone, no navigation a passer-by could wander off with
    return (
      <main id="main" lang={state.lang}>
        {view}
      </main>
    );
  }
  return (
    <>
      <a class="skip-link" href="#main">
        {t('skip')}
      </a>
      <Header path={path} />
      <Banners path={path} />
      <main id="main" class="main container" tabIndex={-1} lang={state.lang}>
        {view || <NotFound />}
      </main>
      <footer class="footer">
        <div class="container">
          <p class="footer__title">{t('footer.note')}</p>
          <p>{t('footer.hotline')} · 1022@dongnai.gov.vn</p>
          <ul class="footer__links" aria-label={t('footer.links')}>
            <li>
              <a href="/thong-ke" data-testid="footer-stats">{t('footer.stats')}</a>
            </li>
            <li>
              <a href="/xac-minh">{t('footer.verify')}</a>
            </li>
            <li>
              <a href="/phan-anh" data-testid="footer-feedback">{t('footer.feedback')}</a>
            </li>
            <li>
              <a href="/phan-anh/cong-khai" data-testid="footer-feedback-public">{t('footer.feedback_public')}</a>
            </li>
            <li>
              <a href="/can-bo">{t('footer.official')}</a>
            </li>
          </ul>
        </div>
      </footer>
      <UpdatePrompt />
    </>
  );
}
