// "Nhận thông báo khi hồ sơ có tiến triển?" — asked at a meaningful moment (after a submission, on a dossier,
// once on the officials' worklist), never on load. "Để sau" keeps it away for 30 days; a refusal is never asked
// again: the card then says how to allow notifications in the browser settings. iPhone/iPad Safari outside a
// home-screen app cannot receive push: the card says how to add the app to the home screen, without a button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { enablePush, publicKey, pushCardMode, remindLater } from '../lib/push.js';
import { isOfficial, useAppState } from '../lib/store.js';

export function BellIcon({ size = 24, className = '' }) {
  return (
    <svg class={className} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"
      />
    </svg>
  );
}

export function DeniedHelp() {
  return (
    <>
      <p>{t('push.denied')}</p>
      <ul class="list push-card__list">
        <li>{t('push.denied_android')}</li>
        <li>{t('push.denied_ios')}</li>
      </ul>
    </>
  );
}

export function InstallHelp() {
  return (
    <>
      <p>{t('push.ios')}</p>
      <ol class="list push-card__list">
        <li>{t('push.ios_step1')}</li>
        <li>{t('push.ios_step2')}</li>
        <li>{t('push.ios_step3')}</li>
      </ol>
    </>
  );
}

/** audience: 'citizen' (confirmation and dossier pages) or 'official' (worklist). */
export function PushCard({ audience = 'citizen' }) {
  const s = useAppState();
  const [mode, setMode] = useState(undefined); // undefined while checking, then null | 'ask' | 'ios' | 'denied'
  const [phase, setPhase] = useState('idle'); // idle | busy | on | later | error | answered (refused just now)
  const message = useRef(null);
  const official = audience === 'official';
  const right = s.user && isOfficial(s.user) === official;
  const userId = s.user && s.user.id;

  useEffect(() => {
    let live = true;
    if (!right) return undefined;
    pushCardMode().then(
      (m) => {
        if (!live) return;
        setMode(m);
        // the key is fetched before the tap, so the tap goes straight to the browser's question
        if (m === 'ask') publicKey().catch(() => {});
      },
      () => live && setMode(null),
    );
    return () => {
      live = false;
    };
  }, [right, userId]);

  useEffect(() => {
    if (phase !== 'idle' && phase !== 'busy' && message.current) message.current.focus();
  }, [phase, mode]);

  if (!right || (!mode && phase === 'idle')) return null;

  if (phase === 'on' || phase === 'later') {
    return (
      <div class="notice notice--success push-done" role="status" tabIndex={-1} ref={message} data-testid="push-card" data-state={phase}>
        <p>
          {t(phase === 'on' ? 'push.on' : 'push.later_note')} <a href="/thong-bao">{t('push.settings_link')}</a>
        </p>
      </div>
    );
  }

  const enable = async () => {
    setPhase('busy');
    try {
      const answer = await enablePush();
      if (answer === 'granted') setPhase('on');
      else if (answer === 'denied') {
        setMode('denied');
        setPhase('answered'); // moves focus to the explanation
      } else setPhase('idle'); // prompt closed without an answer: ask again only when tapped again
    } catch {
      setPhase('error');
    }
  };
  const later = () => {
    remindLater();
    setPhase('later');
  };

  const title = official ? t('push.off_title') : t('push.title');
  return (
    <section class="push-card" aria-labelledby="push-card-title" data-testid="push-card" data-mode={mode}>
      <h2 class="push-card__title" id="push-card-title">
        <BellIcon className="push-card__icon" />
        {title}
      </h2>
      <div tabIndex={-1} ref={mode === 'denied' || phase === 'error' ? message : null} class="push-card__text">
        {mode === 'ask' && (
          <>
            <p>{official ? t('push.off_lead') : t('push.lead')}</p>
            {!official && (
              <ul class="list push-card__list">
                <li>{t('push.item_received')}</li>
                <li>{t('push.item_supplement')}</li>
                <li>{t('push.item_result')}</li>
                <li>{t('push.item_date')}</li>
              </ul>
            )}
            <p class="push-card__note">{t('push.note')}</p>
          </>
        )}
        {mode === 'ios' && <InstallHelp />}
        {mode === 'denied' && <DeniedHelp />}
        {phase === 'error' && (
          <p class="error-message" role="alert">
            {t('push.failed')}
          </p>
        )}
      </div>
      <div class="push-card__actions">
        {mode === 'ask' && (
          <button type="button" class="button button--small" onClick={enable} disabled={phase === 'busy'} data-testid="push-enable">
            {phase === 'busy' ? t('push.enabling') : t('push.enable')}
          </button>
        )}
        <button type="button" class="button button--secondary button--small" onClick={later} disabled={phase === 'busy'} data-testid="push-later">
          {mode === 'ask' ? t('push.later') : t('push.dismiss')}
        </button>
      </div>
    </section>
  );
}
