// "/xac-minh" — anyone checks a result PDF (digital signature valid? changed after signing?);
// "/xac-minh/<code>" — where the QR code on a signed result points: the stored result of that dossier.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, request } from '../lib/api.js';
import { formatDueDate } from '../lib/format.js';
import { errorText, t } from '../lib/i18n.js';
import { state } from '../lib/store.js';
import { FormGroup, Loading, Page } from '../components/ui.jsx';
import './text.js';

function Icon({ ok }) {
  return ok ? (
    <svg class="verdict__icon" width="40" height="40" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path d="M6.5 12.5l3.5 3.5 7.5-8" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  ) : (
    <svg class="verdict__icon" width="40" height="40" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path d="M8 8l8 8M16 8l-8 8" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" />
    </svg>
  );
}

/** The verdict, big: valid or not (colour, icon AND words), the reason, the signers, changed after signing. */
export function VerifyResult({ result, filename }) {
  const box = useRef(null);
  useEffect(() => {
    if (box.current) box.current.focus();
  }, [result]);
  const ok = Boolean(result.valid);
  const signers = result.signers || [];
  return (
    <section class={`verdict ${ok ? 'verdict--valid' : 'verdict--invalid'}`} data-testid="verify-result" data-valid={ok ? 'true' : 'false'} tabIndex={-1} ref={box} aria-labelledby="verdict-title">
      <div class="verdict__head">
        <Icon ok={ok} />
        <h2 class="verdict__title" id="verdict-title">
          {ok ? t('ver.valid') : t('ver.invalid')}
        </h2>
      </div>
      {result.reason && <p class="verdict__reason" lang="vi">{result.reason}</p>}
      {filename && <p class="verdict__file">{t('ver.file', { name: filename })}</p>}
      <p class={`verdict__modified${result.modified_after_signing ? ' verdict__modified--yes' : ''}`} data-testid="verify-modified" data-modified={result.modified_after_signing ? 'true' : 'false'}>
        {result.modified_after_signing ? t('ver.modified') : t('ver.not_modified')}
      </p>
      <h3 class="heading-s">{t('ver.signers')}</h3>
      {signers.length ? (
        <ul class="signers">
          {signers.map((s, i) => (
            <li class="signer" key={i} data-testid="verify-signer">
              <p class="signer__name">{s.name}</p>
              <dl class="signer__meta">
                {s.unit && (
                  <div>
                    <dt>{t('ver.unit')}:</dt> <dd>{s.unit}</dd>
                  </div>
                )}
                {s.signed_at && (
                  <div>
                    <dt>{t('ver.signed_at')}:</dt> <dd>{formatDueDate(s.signed_at, state.lang)}</dd>
                  </div>
                )}
              </dl>
            </li>
          ))}
        </ul>
      ) : (
        <p class="body">{t('ver.no_signers')}</p>
      )}
    </section>
  );
}

export function VerifyFile() {
  const [result, setResult] = useState(null);
  const [filename, setFilename] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef(null);

  const check = async (e) => {
    const file = e.currentTarget.files && e.currentTarget.files[0];
    e.currentTarget.value = ''; // the same file can be checked again
    if (!file) return;
    setResult(null);
    setError('');
    if (file.type !== 'application/pdf' && !/\.pdf$/i.test(file.name)) {
      setError(t('ver.not_pdf', { name: file.name }));
      return;
    }
    setFilename(file.name);
    setBusy(true);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      setResult(await request('POST', '/verify', { form }));
    } catch (err) {
      setError((err.fields && err.fields.file) || errorText(err));
    }
    setBusy(false);
  };

  return (
    <Page title={t('ver.title')}>
      <p class="body">{t('ver.lead')}</p>
      <FormGroup id="verify-file" label={t('ver.choose')} labelClass="label label--m" labelledBy hint={t('ver.hint')} error={error}>
        {(aria) => (
          <label class="button button--secondary file-button file-button--wide">
            <input class="file-button__input" type="file" accept="application/pdf,.pdf" ref={input} onChange={check} disabled={busy} {...aria} data-testid="verify-file" />
            <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path fill="currentColor" d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5L13 3.5z" />
            </svg>
            {result ? t('ver.another') : t('ver.choose')}
          </label>
        )}
      </FormGroup>
      <p role="status" aria-live="polite" class="body">
        {busy ? t('ver.checking') : ''}
      </p>
      {result && <VerifyResult result={result} filename={filename} />}
    </Page>
  );
}

export function VerifyCode({ params }) {
  const code = params.code;
  const [st, setSt] = useState({ loading: true, result: null, error: null });
  useEffect(() => {
    get(`/verify/${encodeURIComponent(code)}`).then(
      (result) => setSt({ loading: false, result, error: null }),
      (error) => setSt({ loading: false, result: null, error }),
    );
  }, [code]);
  return (
    <Page title={t('ver.code_title')} caption={t('ver.code_caption', { code })}>
      {st.loading && <Loading />}
      {st.error && (
        <div class="notice notice--error" role="alert" data-testid="verify-not-found">
          <p>{st.error.status === 404 ? t('ver.not_found', { code }) : errorText(st.error)}</p>
        </div>
      )}
      {st.result && <VerifyResult result={st.result} />}
      {st.result && st.result.download_url && (
        <p class="body">
          <a class="button button--secondary" href={st.result.download_url} download data-testid="verify-download">
            {t('ver.download')}
          </a>
        </p>
      )}
      <p class="body">
        <a href="/xac-minh">{t('ver.check_file')}</a>
      </p>
    </Page>
  );
}
