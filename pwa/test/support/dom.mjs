// Just enough of a DOM for Preact to render and run hooks in Node (no layout, no events): elements with
// children and attributes, text nodes, and textContent. Importing it sets globalThis.document.
class Node {
  constructor(nodeType, name) {
    Object.assign(this, { nodeType, nodeName: name, localName: name && name.toLowerCase(), childNodes: [], parentNode: null, attributes: {}, style: {} });
  }
  get firstChild() {
    return this.childNodes[0] || null;
  }
  get nextSibling() {
    const siblings = this.parentNode ? this.parentNode.childNodes : [];
    return siblings[siblings.indexOf(this) + 1] || null;
  }
  appendChild(n) {
    return this.insertBefore(n, null);
  }
  insertBefore(n, ref) {
    if (n.parentNode) n.parentNode.removeChild(n);
    const i = ref ? this.childNodes.indexOf(ref) : -1;
    if (i < 0) this.childNodes.push(n);
    else this.childNodes.splice(i, 0, n);
    n.parentNode = this;
    return n;
  }
  removeChild(n) {
    this.childNodes.splice(this.childNodes.indexOf(n), 1);
    n.parentNode = null;
    return n;
  }
  remove() {
    if (this.parentNode) this.parentNode.removeChild(this);
  }
  setAttribute(k, v) {
    this.attributes[k] = String(v);
  }
  removeAttribute(k) {
    delete this.attributes[k];
  }
  addEventListener() {}
  removeEventListener() {}
  get textContent() {
    return this.nodeType === 3 ? this.data : this.childNodes.map((c) => c.textContent).join('');
  }
}

globalThis.document = {
  createElement: (tag) => new Node(1, tag.toUpperCase()),
  createElementNS: (ns, tag) => new Node(1, tag),
  createTextNode: (data) => Object.assign(new Node(3, '#text'), { data: String(data) }),
};

export const container = () => document.createElement('div');

/** Effects run after a frame; without requestAnimationFrame Preact waits up to 100 ms. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
