// A 1–5 satisfaction scale as a group of radio buttons (keyboard, screen readers), each with words, not only a number.
import { t } from '../lib/i18n.js';
import { describedBy } from '../lib/aria.js';

export function Scale({ name, legend, value, onChange, size = 'm', error, testid }) {
  return (
    <fieldset class={`scale scale--${size}${error ? ' form-group--error' : ''}`} aria-describedby={describedBy(name, { error })} data-testid={testid || `scale-${name}`}>
      <legend class="scale__legend">{legend}</legend>
      {error && (
        <p class="error-message" id={`${name}-error`}>
          {error}
        </p>
      )}
      <div class="scale__options">
        {[1, 2, 3, 4, 5].map((n) => (
          <label class={`scale__option${value === n ? ' scale__option--on' : ''}`} key={n}>
            <input class="scale__input" type="radio" name={name} value={n} checked={value === n} onChange={() => onChange(n)} data-testid={`${testid || `scale-${name}`}-${n}`} />
            <span class="scale__n" aria-hidden="true">
              {n}
            </span>
            <span class="scale__word">{t(`score.${n}`)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
