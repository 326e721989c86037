// <lockscore-verdict slug="…" door-type="…">: lockscore's verdict on one lock,
// for any site. One ES module, no dependencies; it reads the public API of the
// server it was loaded from (CORS) and stays quiet when that is unreachable.
const base = new URL('.', import.meta.url).origin;
const css = `:host{display:block;font:inherit;color:inherit}
.box{border:1px solid #c4c9d1;border-radius:8px;padding:.6em .8em;max-width:32em}
.badge{display:inline-flex;gap:.4em;align-items:center;font-weight:700}
.l{display:inline-block;min-width:1.8em;text-align:center;border-radius:4px;color:#fff;padding:0 .35em;background:#1e3a5f}
.a{background:#14532d}.b{background:#166534}.c{background:#854d0e}.d{background:#9f1239}.e{background:#581c87}
p{margin:.35em 0}a{color:#0b4f9c}.quiet{color:#4a4a4a}`;
let sheet;

class LockscoreVerdict extends HTMLElement {
  static observedAttributes = ['slug', 'door-type'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    // A constructed sheet is not an inline style, so a strict host CSP allows it.
    if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      sheet ??= new CSSStyleSheet();
      sheet.replaceSync(css);
      this.shadowRoot.adoptedStyleSheets = [sheet];
    } else {
      this.shadowRoot.append(el('style', {}, css));
    }
  }

  connectedCallback() { this.schedule(); }

  attributeChangedCallback() { if (this.isConnected) this.schedule(); }

  // Several attributes set at once make one request.
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => { this.pending = false; this.load(); });
  }

  async load() {
    const slug = this.getAttribute('slug') || '';
    const door = this.getAttribute('door-type') || '';
    const q = door ? `?door_type=${encodeURIComponent(door)}` : '';
    const page = `${base}/locks/${encodeURIComponent(slug)}${q}`;
    const run = (this.run = (this.run || 0) + 1);
    let a;
    try {
      const r = await fetch(`${base}/api/v1/locks/${encodeURIComponent(slug)}/assessment${q}`, { headers: { Accept: 'application/json' } });
      if (!r.ok) throw new Error(r.status);
      a = await r.json();
    } catch {
      a = null;
    }
    if (run !== this.run) return;
    const box = el('div', { class: 'box', part: 'box' });
    if (a && a.band) {
      const band = String(a.band).toLowerCase();
      box.append(
        el('p', {}, el('span', { class: 'badge' }, el('span', { class: `l ${band}` }, a.band), ` ${a.label}`)),
        el('p', {}, a.verdict || `${a.label} for a main entrance.`),
        el('p', {}, el('a', { href: page }, 'Why: see the lockscore page'), a.provisional ? ' (provisional)' : ''),
      );
    } else {
      box.append(el('p', { class: 'quiet' }, 'lockscore verdict unavailable right now. ', el('a', { href: page }, 'See it on lockscore')));
    }
    this.shadowRoot.replaceChildren(...this.shadowRoot.querySelectorAll('style'), box);
  }
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids.filter((k) => k !== ''));
  return e;
}

if (!customElements.get('lockscore-verdict')) customElements.define('lockscore-verdict', LockscoreVerdict);
