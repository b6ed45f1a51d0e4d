// Small building blocks in the GOV.UK design-system manner.
import { useEffect, useRef } from 'preact/hooks';
import { errorText, t } from '../lib/i18n.js';
import { hasNavigated } from '../lib/router.js';
import { state } from '../lib/store.js';
import { controlAria } from '../lib/aria.js';

/** Page heading + document title; after an in-app navigation focus moves to the heading (screen readers). */
export function Page({ title, caption, back, children }) {
  const h1 = useRef(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, state.lang]);
  useEffect(() => {
    const hash = window.location.hash.slice(1);
    const target = hash && document.getElementById(decodeURIComponent(hash));
    if (target) {
      target.focus();
      target.scrollIntoView({ block: 'center' });
    } else if (hasNavigated() && h1.current) {
      h1.current.focus({ preventScroll: true });
    }
  }, []);
  return (
    <>
      {back && (
        <a class="back-link" href={back}>
          {t('back')}
        </a>
      )}
      {caption && <span class="caption">{caption}</span>}
      <h1 class="heading-l" tabIndex={-1} ref={h1}>
        {title}
      </h1>
      {children}
    </>
  );
}

/**
 * Error summary at the top of a form: one link per problem. `errors` is [{ href, text }].
 * It takes focus on each submit attempt, so keyboard and screen-reader users land on it.
 */
export function ErrorSummary({ errors, title, attempt = 0 }) {
  const box = useRef(null);
  // focus when it first shows and after each submit (attempt), never while the citizen types a fix
  useEffect(() => {
    if (errors.length && box.current) {
      box.current.focus();
      box.current.scrollIntoView({ block: 'start' });
    }
  }, [attempt]);
  if (!errors.length) return null;
  const onClick = (e) => {
    const href = e.target.getAttribute('href') || '';
    if (!href.startsWith('#')) return;
    const el = document.getElementById(href.slice(1));
    if (!el) return;
    e.preventDefault();
    el.focus();
    (el.closest('.form-group') || el).scrollIntoView({ block: 'start' });
  };
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={box}>
      <h2 class="error-summary__title" id="error-summary-title">
        {title || t('error.title')}
      </h2>
      <ul class="error-summary__list" onClick={onClick}>
        {errors.map((e) => (
          <li key={e.href + e.text}>
            <a href={e.href}>{e.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorMessage({ id, children }) {
  if (!children) return null;
  return (
    <p class="error-message" id={id}>
      <span class="visually-hidden">{t('error.prefix')} </span>
      {children}
    </p>
  );
}

/** A failure said at once (role="alert"): a red notice with one sentence; nothing while there is none. */
export function Alert({ children, testid }) {
  if (!children) return null;
  return (
    <div class="notice notice--error" role="alert" data-testid={testid}>
      <p>{children}</p>
    </div>
  );
}

/**
 * One form group in the GOV.UK manner, used by every hand-written form and by FormField (field.jsx): the wrapper
 * (`form-group`, `form-group--error` while there is an error), the label bound to the control — or a legend when
 * the group is a fieldset of radios / checkboxes —, the "(không bắt buộc)" marker, the hint, the error message,
 * and the aria-describedby / aria-invalid the control needs (lib/aria.js). It lives here, not in a module of its
 * own, so the build keeps the first-load code in one chunk.
 *
 * <FormGroup id="phone" label={…} hint={…} error={…}>{(control) => <input {...control} … />}</FormGroup>
 *
 * - `id`: the control's id; the label's `for`, and the base of `<id>-hint` / `<id>-error` (override with
 *   `hintId` / `errorId`).
 * - `label` (omit it when the control brings its own, e.g. a single checkbox), `labelClass` (default "label"),
 *   `optional` adds "(không bắt buộc)" after it.
 * - `legend`: the group is a `<fieldset class="fieldset">` with `<legend>`; the fieldset is described by the
 *   hint and error (not each radio); `fieldset` adds attributes to it (e.g. an id and tabIndex the error summary
 *   links to).
 * - `labelledBy`: the label is a `<p id="<id>-label">` the control points at with aria-labelledby (a file input
 *   inside a button-like label, which must not get a second label).
 * - `class`: more classes on the wrapper.
 * - children: a function given the control's props ({ id, aria-describedby, aria-invalid, [aria-labelledby]};
 *   in a fieldset only { id }), or plain elements.
 */
export function FormGroup(props) {
  const { id, label, labelClass = 'label', optional, hint, error, hintId = `${id}-hint`, errorId = `${id}-error`, legend, fieldset, labelledBy, children } = props;
  const aria = controlAria(id, { hint, error, hintId, errorId });
  const groupClass = `form-group${props.class ? ` ${props.class}` : ''}${error ? ' form-group--error' : ''}`;
  const text = label ? (
    <>
      {label}
      {optional && <span class="optional"> {t('field.optional')}</span>}
    </>
  ) : null;
  const described = (
    <>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <ErrorMessage id={errorId}>{error}</ErrorMessage>
    </>
  );
  const control = (given) => (typeof children === 'function' ? children(given) : children);

  if (legend) {
    return (
      <div class={groupClass}>
        <fieldset class="fieldset" {...fieldset} aria-describedby={aria['aria-describedby']}>
          <legend class={labelClass}>{text}</legend>
          {described}
          {control({ id })}
        </fieldset>
      </div>
    );
  }
  const labelId = `${id}-label`;
  return (
    <div class={groupClass}>
      {text &&
        (labelledBy ? (
          <p class={labelClass} id={labelId}>
            {text}
          </p>
        ) : (
          <label class={labelClass} for={id}>
            {text}
          </label>
        ))}
      {described}
      {control(labelledBy ? { ...aria, 'aria-labelledby': labelId } : aria)}
    </div>
  );
}

/** A load failure with a retry button. */
export function LoadError({ error, onRetry }) {
  const offline = error && error.status === 0 && !navigator.onLine;
  useEffect(() => {
    if (!onRetry) return undefined;
    window.addEventListener('online', onRetry);
    return () => window.removeEventListener('online', onRetry);
  }, [onRetry]);
  return (
    <div class="notice notice--error" role="alert">
      <p>{offline ? t('error.offline_data') : error && error.status ? errorText(error) : t('error.load')}</p>
      {onRetry && (
        <button type="button" class="button button--secondary" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

const CHIP = {
  draft: 'grey',
  submitted: 'blue',
  received: 'blue',
  in_progress: 'purple',
  supplement_requested: 'orange',
  fee_due: 'yellow',
  refused: 'red',
  withdrawal_requested: 'grey',
  stopped: 'red',
  done: 'green',
  returned: 'green',
  queued: 'yellow',
};

/** Status as a coloured chip that always carries its text (colour is never the only signal). */
export function StatusChip({ status, label }) {
  return (
    <strong class={`chip chip--${CHIP[status] || 'grey'}`} data-testid="status-chip" data-status={status}>
      {label}
    </strong>
  );
}

export function statusLabel(d) {
  if (!d) return '';
  if (d.status === 'draft' && !d.status_label_vi) return t('status.draft');
  return (state.lang === 'en' && d.status_label_en) || d.status_label_vi || d.status;
}

/** GOV.UK summary list: rows of [key, value, optional change link]. */
export function SummaryList({ rows }) {
  return (
    <dl class="summary-list">
      {rows
        .filter(Boolean)
        .map(([key, value, change]) => (
          <div class="summary-list__row" key={key}>
            <dt class="summary-list__key">{key}</dt>
            <dd class="summary-list__value">{value}</dd>
            {change && (
              <dd class="summary-list__actions">
                <a href={change}>
                  {t('check.change')}
                  <span class="visually-hidden"> {key}</span>
                </a>
              </dd>
            )}
          </div>
        ))}
    </dl>
  );
}

/** History timeline, oldest first. */
export function Timeline({ items, formatAt }) {
  if (!items || !items.length) return null;
  return (
    <ol class="timeline">
      {items.map((h, i) => (
        <li class="timeline__item" key={i}>
          <p class="timeline__title">{(state.lang === 'en' && h.action_label_en) || h.action_label_vi || h.action || h.status}</p>
          <p class="timeline__date">{formatAt(h.at)}</p>
          {h.note && <p class="timeline__note">{h.note}</p>}
        </li>
      ))}
    </ol>
  );
}

/**
 * A modal confirmation sheet (native <dialog>: focus stays inside, Esc closes). It slides up from the bottom
 * on a phone so the buttons sit under the thumb. Focus goes to its title, and back to the opener on close.
 */
export function Dialog({ title, onClose, children, id = 'dialog' }) {
  const ref = useRef(null);
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
    const h = d && d.querySelector('.dialog__title');
    if (h) h.focus();
    return () => {
      if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus();
    };
  }, []);
  return (
    <dialog
      class="dialog"
      ref={ref}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog__body">
        <h2 class="heading-m dialog__title" id={`${id}-title`} tabIndex={-1}>
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}
