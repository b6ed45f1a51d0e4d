// SHA-256 of the exact bytes a leader is shown (crypto.subtle: secure contexts only — https or localhost).
export async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The server's X-Content-SHA256 and ours agree (hex, any case). */
export function sameHash(header, computed) {
  const norm = (s) => String(s || '').trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(norm(header)) && norm(header) === norm(computed);
}

export const canDigest = () => Boolean(globalThis.crypto && crypto.subtle && typeof crypto.subtle.digest === 'function');
