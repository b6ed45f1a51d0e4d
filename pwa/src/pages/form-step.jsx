// "/ho-so/<id>/thong-tin/<n>" — one group of form fields per page, rendered from the procedure's schema.
import { useEffect, useState } from 'preact/hooks';
import { todayVn } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { state } from '../lib/store.js';
import { validateField, validateFields } from '../lib/validate.js';
import { ErrorSummary, Page } from '../components/ui.jsx';
import { FormField, fieldId } from '../components/field.jsx';
import { useDraft } from '../offline/drafts.js';
import { DraftGate, SaveStatus, StepActions, neighbours, serverErrorFor, stepCaption } from './filing.jsx';

function Step({ ctrl, n, from }) {
  const rec = ctrl.rec;
  const { step, index, total, back, next } = neighbours(rec, `g${n - 1}`, from);
  const [errors, setErrors] = useState({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!step) navigate(neighbours(rec, 'g0').step.path, { replace: true });
  }, [step]);
  if (!step) return null;
  const fields = step.group.fields;
  const today = todayVn();

  const onChange = (field) => (value) => {
    ctrl.setField(field.name, value);
    // an error, once shown, follows what is typed and goes away only when the value is right
    if (errors[field.name]) {
      const msg = validateField(field, value, state.lang, today);
      setErrors((e) => {
        const copy = { ...e };
        if (msg) copy[field.name] = msg;
        else delete copy[field.name];
        return copy;
      });
    }
  };

  const submit = (e) => {
    e.preventDefault();
    const errs = validateFields(fields, rec.form, state.lang, today);
    setErrors(errs);
    setAttempt((n) => n + 1);
    if (Object.keys(errs).length) return;
    ctrl.saveLocal();
    ctrl.sync();
    navigate(next);
  };

  const shown = (name) => errors[name] || serverErrorFor(rec, name);
  const summary = fields.filter((f) => shown(f.name)).map((f) => ({ href: `#${fieldId(f.name)}`, text: shown(f.name) }));

  return (
    <Page title={step.title} caption={stepCaption(rec, index, total)} back={back}>
      <ErrorSummary errors={summary} attempt={attempt} />
      <form onSubmit={submit} noValidate>
        {fields.map((f) => (
          <FormField key={f.name} field={f} value={rec.form[f.name]} error={shown(f.name)} onChange={onChange(f)} />
        ))}
        <StepActions />
      </form>
      <SaveStatus ctrl={ctrl} />
    </Page>
  );
}

export function FormStep({ params, query }) {
  const ctrl = useDraft(params.id);
  return <DraftGate ctrl={ctrl}>{() => <Step ctrl={ctrl} n={Math.max(1, parseInt(params.step, 10) || 1)} from={query.get('from')} />}</DraftGate>;
}
