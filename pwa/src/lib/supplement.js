// A supplement request names missing papers ({ name, kind, reason }); uploads are filed under one of the
// procedure's documents. Pure: node tests import it.

const norm = (s) => String(s || '').normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** The procedure document a missing item is filed under: its own document_id, a name match, the only one, or ''. */
export function documentFor(item, documents) {
  if (item.document_id && documents.some((d) => d.id === item.document_id)) return item.document_id;
  const hit = documents.find((d) => norm(d.name) === norm(item.name));
  if (hit) return hit.id;
  return documents.length === 1 ? documents[0].id : '';
}

/**
 * Files already sent for this request (uploaded after it, before a reload): each goes to the first item filed
 * under the same document. Returns { [itemKey]: [attachment…] }.
 */
export function uploadedSince(attachments, requestedAt, itemDocs) {
  const out = {};
  const since = Date.parse(requestedAt || '') || 0;
  for (const a of attachments || []) {
    if (!a.created_at || Date.parse(a.created_at) <= since) continue;
    const key = Object.keys(itemDocs).find((k) => itemDocs[k] === a.document_id);
    if (key !== undefined) (out[key] = out[key] || []).push(a);
  }
  return out;
}
