// What the service worker may keep (shared with the tests).

// Public, non-personal reads. /procedures/<code>/due-date is left out: a due date depends on the moment.
export const PUBLIC_API = /^\/api\/v1\/(procedures(\/[^/]+)?|offices|fields|units|config)\/?$/;

// Never cached: personal, official or signed answers — citizen dossiers, sessions, tracking, the officials'
// work API and passkey ceremonies, administration (officials, enrolment links, audit trails), verification,
// push keys and subscriptions, notifications, the user's own settings (/me…), payments (/payments*, the
// gateway's return and IPN included, and /dossiers/<id>/payments), attachments and every PDF (receipts, slips,
// results).
export const NEVER_CACHE = /^\/api\/v1\/(work|officials|admin|verify|dossiers|auth|track|push|notifications|me|payments)(\/|$)|\/payments(\/|$)|\/attachments(\/|$)|\.pdf$/i;

export const mayCache = (pathname) => PUBLIC_API.test(pathname) && !NEVER_CACHE.test(pathname);

// The one PDF that may be kept: a procedure's sample dossier (hồ sơ mẫu) — public, the same for everyone, made
// up data only. Its own cache, so that no rule about other PDFs (receipts, results, declarations) is loosened.
export const SAMPLE_PDF = /^\/api\/v1\/procedures\/\d\.\d{6}\/sample-dossier\.pdf$/;

export const mayCacheSample = (pathname) => SAMPLE_PDF.test(pathname);

// Navigations that get the app shell: everything but the API and the dev pages (so /thanh-toan/<id> opens from
// the shell, while the gateway's return /api/v1/payments/vnpay/return always reaches the server).
export const NAV_DENYLIST = [/^\/api\//, /^\/dev\//];
