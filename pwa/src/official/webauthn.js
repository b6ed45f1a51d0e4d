// Passkeys (WebAuthn) with the JSON forms the server speaks: PublicKeyCredential.parse*OptionsFromJSON and
// credential.toJSON() where the browser has them, the same conversions by hand where it does not
// (older Safari / Android WebView). No DOM here apart from navigator.credentials, so node tests can import it.

export function base64urlToBytes(s) {
  const b64 = String(s).replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64url(buf) {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const descriptors = (list) => (list || []).map((c) => ({ ...c, id: base64urlToBytes(c.id) }));

/** PublicKeyCredentialCreationOptionsJSON → options for navigator.credentials.create. */
export function creationOptions(json, PKC = globalThis.PublicKeyCredential) {
  if (PKC && typeof PKC.parseCreationOptionsFromJSON === 'function') return PKC.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: base64urlToBytes(json.challenge),
    user: { ...json.user, id: base64urlToBytes(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

/** PublicKeyCredentialRequestOptionsJSON → options for navigator.credentials.get. */
export function requestOptions(json, PKC = globalThis.PublicKeyCredential) {
  if (PKC && typeof PKC.parseRequestOptionsFromJSON === 'function') return PKC.parseRequestOptionsFromJSON(json);
  const out = { ...json, challenge: base64urlToBytes(json.challenge) };
  if (json.allowCredentials) out.allowCredentials = descriptors(json.allowCredentials);
  return out;
}

const b64 = (buf) => (buf ? bytesToBase64url(buf) : undefined);

/** The credential as RegistrationResponseJSON / AuthenticationResponseJSON. */
export function credentialToJSON(cred) {
  if (typeof cred.toJSON === 'function') {
    try {
      return cred.toJSON();
    } catch {
      /* fall through to the hand-made form */
    }
  }
  const r = cred.response;
  const response = { clientDataJSON: b64(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = b64(r.attestationObject);
    if (typeof r.getTransports === 'function') response.transports = r.getTransports();
    if (typeof r.getAuthenticatorData === 'function') response.authenticatorData = b64(r.getAuthenticatorData());
    if (typeof r.getPublicKey === 'function') {
      const pk = r.getPublicKey();
      if (pk) response.publicKey = b64(pk);
    }
    if (typeof r.getPublicKeyAlgorithm === 'function') response.publicKeyAlgorithm = r.getPublicKeyAlgorithm();
  } else {
    response.authenticatorData = b64(r.authenticatorData);
    response.signature = b64(r.signature);
    if (r.userHandle && r.userHandle.byteLength) response.userHandle = b64(r.userHandle);
  }
  return {
    id: cred.id,
    rawId: b64(cred.rawId),
    type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment || undefined,
    clientExtensionResults: typeof cred.getClientExtensionResults === 'function' ? cred.getClientExtensionResults() : {},
    response,
  };
}

export function passkeysSupported() {
  return typeof window !== 'undefined' && Boolean(window.PublicKeyCredential && navigator.credentials && navigator.credentials.get);
}

/** navigator.credentials.create from the server's JSON options; resolves to the JSON the server verifies. */
export async function createPasskey(optionsJSON) {
  const cred = await navigator.credentials.create({ publicKey: creationOptions(optionsJSON) });
  return credentialToJSON(cred);
}

/** navigator.credentials.get from the server's JSON options; resolves to the JSON the server verifies. */
export async function usePasskey(optionsJSON) {
  const cred = await navigator.credentials.get({ publicKey: requestOptions(optionsJSON) });
  return credentialToJSON(cred);
}

/**
 * What went wrong, as a key the pages turn into words:
 *   cancelled (the person said no, or time ran out — for sign-in this is also "no passkey on this phone":
 *   browsers do not say which, on purpose), exists (create: already a passkey for this account here),
 *   unsupported, insecure (not https / wrong domain), failed (anything else the browser refused), or null
 *   when it is not a WebAuthn error (a server or network error, for errorText()).
 */
export function webauthnErrorKind(e) {
  if (!e || typeof e.name !== 'string' || e.status !== undefined) return null;
  switch (e.name) {
    case 'NotAllowedError':
    case 'AbortError':
      return 'cancelled';
    case 'InvalidStateError':
      return 'exists';
    case 'NotSupportedError':
      return 'unsupported';
    case 'SecurityError':
      return 'insecure';
    case 'TypeError':
    case 'UnknownError':
    case 'ConstraintError':
    case 'NotReadableError':
      return 'failed';
    default:
      return null;
  }
}
