// Progressive enhancement for the chooser: every page works without it.
const $ = (s, r = document) => r.querySelector(s);
const $$ = (s, r = document) => [...r.querySelectorAll(s)];

// The checklist: "same key ring" only matters when there is another keyed door.
for (const el of $$('[data-depends]')) {
  const ctl = document.getElementById(el.dataset.depends);
  const box = $('input', el);
  const sync = () => {
    el.hidden = !ctl.checked;
    if (!ctl.checked) box.checked = false;
  };
  ctl.addEventListener('change', sync);
  sync();
}

// Results: brand and kind filters apply at once, and the link keeps them.
const filters = $('#filters');
if (filters) {
  const rows = $$('#results > li');
  const shownCount = $('#shown-count');
  const apply = () => {
    const brand = filters.elements.brand.value.toLowerCase();
    const kind = filters.elements.form_factor.value;
    let shown = 0;
    for (const li of rows) {
      const ok = (!brand || li.dataset.brand.toLowerCase() === brand) && (!kind || li.dataset.form === kind);
      li.hidden = !ok;
      if (ok) shown++;
    }
    shownCount.textContent = `${shown} ${shown === 1 ? 'lock' : 'locks'} shown, best first.`;
    const u = new URL(location.href);
    for (const [name, v] of [['brand', brand && filters.elements.brand.value], ['form_factor', kind]]) {
      if (v) u.searchParams.set(name, v); else u.searchParams.delete(name);
    }
    history.replaceState(null, '', u);
  };
  filters.elements.brand.addEventListener('change', apply);
  filters.elements.form_factor.addEventListener('change', apply);
}

// Compare: at most four locks, and say how many are chosen.
const boxes = $$('input[name="slugs"][form="compare"]');
const status = $('#compare-status');
if (boxes.length && status) {
  const sync = () => {
    const n = boxes.filter((b) => b.checked).length;
    for (const b of boxes) b.disabled = !b.checked && n >= 4;
    status.textContent = n === 0 ? 'Tick two to four locks to compare them.'
      : n === 1 ? '1 chosen: tick at least one more.'
      : n >= 4 ? `${n} chosen, the most you can compare.` : `${n} chosen.`;
  };
  for (const b of boxes) b.addEventListener('change', sync);
  sync();
  // Fewer than two: say so here rather than on a page of its own.
  document.getElementById('compare').addEventListener('submit', (ev) => {
    if (boxes.filter((b) => b.checked).length < 2) {
      ev.preventDefault();
      status.textContent = 'Tick at least two locks to compare them.';
    }
  });
}
