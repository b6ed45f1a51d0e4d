// "/kiosk" — the tablet at a one-stop counter: anonymous, big buttons, one dossier code, one rating, then it
// resets itself for the next person (and after a minute without a touch). Replies say only thanks / already rated /
// not found or not finished.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../lib/api.js';
import { errorText, t } from '../lib/i18n.js';
import { setState, state } from '../lib/store.js';
import { controlAria } from '../lib/aria.js';
import './text.js';
import './public.css';

const RESET_AFTER_MS = 8000;
const IDLE_MS = 60000;
const FACES = ['😞', '🙁', '😐', '🙂', '😄'];

export function Kiosk() {
  const [step, setStep] = useState('code'); // code → score → done
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState(null); // { kind: thanks|already|not_found|error, text }
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const input = useRef(null);
  const reset = () => {
    setStep('code');
    setCode('');
    setOutcome(null);
    setError('');
  };
  useEffect(() => {
    document.title = `${t('kiosk.title')} – ${t('app.name')}`;
  }, [state.lang]);
  useEffect(() => {
    if (step === 'code' && input.current) input.current.focus();
    const timer = setTimeout(reset, step === 'done' ? RESET_AFTER_MS : IDLE_MS);
    return () => clearTimeout(timer);
  }, [step, code]);
  const next = (e) => {
    e.preventDefault();
    if (!code.trim()) {
      setError(t('kiosk.need_code'));
      return;
    }
    setError('');
    setStep('score');
  };
  const rate = async (overall) => {
    setBusy(true);
    try {
      await post('/kiosk/ratings', { code: code.trim(), overall });
      setOutcome({ kind: 'thanks', text: t('kiosk.thanks') });
    } catch (err) {
      const kind = err.code === 'already_rated' ? 'already' : err.code === 'not_rateable' ? 'not_found' : 'error';
      setOutcome({ kind, text: kind === 'error' ? errorText(err) : t(`kiosk.${kind}`) });
    }
    setBusy(false);
    setStep('done');
  };
  return (
    <div class="kiosk" data-testid="kiosk" data-step={step}>
      <div class="kiosk__top">
        <h1 class="kiosk__title">{t('kiosk.title')}</h1>
        <button type="button" class="kiosk__lang" onClick={() => setState({ lang: state.lang === 'vi' ? 'en' : 'vi' })} lang={state.lang === 'vi' ? 'en' : 'vi'}>
          {t('lang.switch')}
        </button>
      </div>
      {step === 'code' && (
        <form class="kiosk__form" onSubmit={next} noValidate>
          <label class="kiosk__label" for="kiosk-code">
            {t('kiosk.code')}
          </label>
          {error && (
            <p class="error-message" id="kiosk-code-error">
              {error}
            </p>
          )}
          <input ref={input} class="kiosk__input" {...controlAria('kiosk-code', { error })} autoComplete="off" autoCapitalize="characters" spellcheck={false} value={code} onInput={(e) => setCode(e.currentTarget.value)} data-testid="kiosk-code" />
          <button class="kiosk__button" type="submit" data-testid="kiosk-next">
            {t('continue')}
          </button>
        </form>
      )}
      {step === 'score' && (
        <div class="kiosk__score">
          <p class="kiosk__label" id="kiosk-how">
            {t('kiosk.how')}
          </p>
          <div class="kiosk__faces" role="group" aria-labelledby="kiosk-how">
            {[5, 4, 3, 2, 1].map((n) => (
              <button type="button" class={`kiosk__face kiosk__face--${n}`} key={n} disabled={busy} onClick={() => rate(n)} data-testid={`kiosk-score-${n}`}>
                <span class="kiosk__emoji" aria-hidden="true">
                  {FACES[n - 1]}
                </span>
                <span>{t(`score.${n}`)}</span>
              </button>
            ))}
          </div>
          <button type="button" class="kiosk__link" onClick={reset}>
            {t('kiosk.start_over')}
          </button>
        </div>
      )}
      {step === 'done' && outcome && (
        <div class={`kiosk__done kiosk__done--${outcome.kind}`} role="status" data-testid="kiosk-outcome" data-kind={outcome.kind}>
          <p class="kiosk__message">{outcome.text}</p>
          <p class="kiosk__hint">{t('kiosk.resetting')}</p>
          <button type="button" class="kiosk__button" onClick={reset} data-testid="kiosk-reset">
            {t('kiosk.start_over')}
          </button>
        </div>
      )}
    </div>
  );
}
