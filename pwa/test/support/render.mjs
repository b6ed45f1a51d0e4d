// Renders Preact components without a browser, for tests: Vite (the build's own JSX transform) loads the .jsx
// modules, and render() expands a vnode tree — calling function components (no hooks) — into plain elements
// { tag, attrs, children } with text as strings. find()/findAll() pick elements out of it.
import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';
import { Fragment } from 'preact';

let server;

/** The module at `path` (relative to pwa/, e.g. 'src/components/field.jsx'), JSX compiled as the build does. */
export async function load(path) {
  server ||= await createServer({
    root: fileURLToPath(new URL('../../', import.meta.url)),
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  return server.ssrLoadModule(`/${path}`);
}

export async function close() {
  if (server) await server.close();
  server = undefined;
}

/** A vnode (or array / text) → plain nodes: an array of elements and strings. */
export function render(node) {
  if (node === null || node === undefined || node === false || node === true || node === '') return [];
  if (Array.isArray(node)) return node.flatMap(render);
  if (typeof node !== 'object') return [String(node)];
  const { type, props } = node;
  if (type === Fragment) return render(props.children);
  if (typeof type === 'function') return render(type(props));
  const attrs = {};
  for (const [k, v] of Object.entries(props)) {
    if (k === 'children' || v === undefined || v === null || v === false || typeof v === 'function') continue;
    attrs[k] = v;
  }
  return [{ tag: type, attrs, children: render(props.children) }];
}

/** Every element under `nodes` (depth first) for which `test(element)` holds. */
export function findAll(nodes, test) {
  const out = [];
  const walk = (list) => {
    for (const n of list) {
      if (typeof n === 'string') continue;
      if (test(n)) out.push(n);
      walk(n.children);
    }
  };
  walk(Array.isArray(nodes) ? nodes : [nodes]);
  return out;
}

export const find = (nodes, test) => findAll(nodes, test)[0];

/** The text of an element, as a screen reader reads it (visually hidden parts included). */
export const text = (node) => (typeof node === 'string' ? node : node.children.map(text).join(''));
