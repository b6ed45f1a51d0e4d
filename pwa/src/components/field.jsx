// One form field rendered from the procedure's field schema, inside a FormGroup (ui.jsx): labels are
// bound to inputs; hint and error are announced through aria-describedby; the error stays next to the field
// until it is fixed.
import { FormGroup } from './ui.jsx';
import { t } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { todayVn } from '../lib/format.js';
import { fieldLabel } from '../lib/validate.js';

export const fieldId = (name) => `f-${name}`;

// Browsers fill these from the phone's saved details.
const AUTOCOMPLETE = {
  applicant_name: 'name',
  applicant_phone: 'tel',
  applicant_email: 'email',
  applicant_address: 'street-address',
};

// The keyboard, autofill and spelling of each input type (the sign-in and tracking pages' phone fields too).
export const INPUT_PROPS = {
  text: { type: 'text' },
  phone: { type: 'tel', inputMode: 'tel', autoComplete: 'tel', spellcheck: false },
  email: { type: 'email', inputMode: 'email', autoComplete: 'email', spellcheck: false, autoCapitalize: 'none' },
  id_number: { type: 'text', inputMode: 'numeric', maxLength: 12, spellcheck: false, autoComplete: 'off' },
  tax_code: { type: 'text', inputMode: 'numeric', maxLength: 14, spellcheck: false },
  integer: { type: 'text', inputMode: 'numeric', spellcheck: false },
  money: { type: 'text', inputMode: 'numeric', spellcheck: false },
  date: { type: 'date' },
};

const WIDTH = { id_number: 'input--w14', tax_code: 'input--w14', integer: 'input--w6', money: 'input--w12', phone: 'input--w14', date: 'input--w12' };

function optionLabel(o) {
  return (state.lang === 'en' && o.label_en) || o.label || String(o.value);
}

export function FormField({ field, value, error, onChange }) {
  const id = fieldId(field.name);
  const label = fieldLabel(field, state.lang);
  const help = (state.lang === 'en' && field.help_en) || field.help;
  const group = { id, hint: help, error, optional: !field.required && field.type !== 'checkbox' };

  if (field.type === 'checkbox') {
    // the box's own label follows it; hint and error stand above
    return (
      <FormGroup {...group}>
        {(aria) => (
          <div class="checkbox">
            <input class="checkbox__input" {...aria} name={field.name} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />
            <label class="checkbox__label" for={id}>
              {label}
            </label>
          </div>
        )}
      </FormGroup>
    );
  }

  const options = field.options || [];
  if (field.type === 'select' && options.length && options.length <= 5) {
    // few choices: radios are easier to tap and read than a dropdown
    return (
      <FormGroup {...group} label={label} legend>
        <div class="radios">
          {options.map((o, i) => {
            const oid = i === 0 ? id : `${id}-${i}`;
            return (
              <div class="radio" key={o.value}>
                <input
                  class="radio__input"
                  id={oid}
                  name={field.name}
                  type="radio"
                  value={o.value}
                  checked={String(value) === String(o.value)}
                  onChange={() => onChange(String(o.value))}
                />
                <label class="radio__label" for={oid}>
                  {optionLabel(o)}
                </label>
              </div>
            );
          })}
        </div>
      </FormGroup>
    );
  }

  return (
    <FormGroup {...group} label={label}>
      {(aria) => {
        const common = {
          ...aria,
          name: field.name,
          'aria-required': field.required ? 'true' : undefined,
          onInput: (e) => onChange(e.currentTarget.value),
        };
        if (field.type === 'select') {
          return (
            <select class={`select${error ? ' select--error' : ''}`} {...common} value={value || ''} onChange={common.onInput}>
              <option value="">{t('field.choose')}</option>
              {options.map((o) => (
                <option value={o.value} key={o.value}>
                  {optionLabel(o)}
                </option>
              ))}
            </select>
          );
        }
        if (field.type === 'textarea') {
          return <textarea class={`textarea${error ? ' input--error' : ''}`} rows={4} maxLength={field.max_length || undefined} {...common} value={value || ''} />;
        }
        const props = INPUT_PROPS[field.type] || INPUT_PROPS.text;
        const extra = {};
        if (field.type === 'date' && field.not_future) extra.max = todayVn();
        if (field.type === 'text' && field.max_length) extra.maxLength = field.max_length;
        const auto = AUTOCOMPLETE[field.name];
        const input = (
          <input
            class={`input ${WIDTH[field.type] || ''}${error ? ' input--error' : ''}`}
            {...props}
            {...extra}
            autoComplete={auto || props.autoComplete}
            {...common}
            value={value || ''}
          />
        );
        if (field.type !== 'money') return input;
        return (
          <div class="input-suffix">
            {input}
            <span class="input-suffix__text" aria-hidden="true">
              {t('field.currency')}
            </span>
          </div>
        );
      }}
    </FormGroup>
  );
}
