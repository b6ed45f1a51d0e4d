// One form group in the GOV.UK manner, used by every hand-written form and by FormField: the wrapper
// (`form-group`, `form-group--error` while there is an error), the label bound to the control — or a legend
// when the group is a fieldset of radios / checkboxes —, the "(không bắt buộc)" marker, the hint, the error
// message, and the aria-describedby / aria-invalid the control needs (lib/aria.js).
import { ErrorMessage } from './ui.jsx';
import { t } from '../lib/i18n.js';
import { controlAria } from '../lib/aria.js';

/**
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
