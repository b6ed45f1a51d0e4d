// How a form control is described to assistive technology (pure; shared by components/ui.jsx, the kiosk
// and the tests): its hint, then its error, by id.

/**
 * The aria-describedby value of control `id`: the hint's id when there is a hint, then the error's id when there
 * is an error; undefined when neither shows (so no empty attribute is rendered). The ids default to
 * `<id>-hint` and `<id>-error`.
 */
export function describedBy(id, { hint, error, hintId = `${id}-hint`, errorId = `${id}-error` } = {}) {
  return [hint && hintId, error && errorId].filter(Boolean).join(' ') || undefined;
}

/** What the control itself carries: its id, aria-describedby, and aria-invalid="true" while it has an error. */
export function controlAria(id, described = {}) {
  return { id, 'aria-describedby': describedBy(id, described), 'aria-invalid': described.error ? 'true' : undefined };
}
