// The chooser's journeys (issue 14) in headless Chromium against a live
// server: each page is checked with axe-core at WCAG 2.2 AA, laid out at
// 360 px and 1280 px (screenshots of both go to the artifacts folder), and
// must leave no console error, failed request or 4xx/5xx response.
// Usage: node journeys.js BASE_URL OTHER_ORIGIN_PORT ARTIFACTS_DIR
const { chromium } = require('playwright-core');
const fs = require('fs');
const http = require('http');
const path = require('path');

const base = process.argv[2] || 'http://127.0.0.1:18081';
const otherPort = Number(process.argv[3] || 18091);
const out = process.argv[4] || path.join(__dirname, 'artifacts');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const seedLabel = 'uPVC or composite door with a multipoint lock';

const problems = [];
const fail = (journey, msg) => problems.push(`${journey}: ${msg}`);
function expect(journey, ok, msg) {
  if (!ok) fail(journey, msg);
  return ok;
}

// watch records everything a page does wrong; ignore(url) excuses the
// requests a journey breaks on purpose.
function watch(page, journey, ignore = () => false) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignore(m.location().url || '')) fail(journey, `console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(journey, `page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!ignore(r.url())) fail(journey, `request failed: ${r.url()} (${r.failure() && r.failure().errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !ignore(r.url())) fail(journey, `${r.status()} for ${r.url()}`);
  });
}

// look runs axe and takes the screenshots of one page at both widths. A
// page without JavaScript cannot run axe, so probe (a page with JavaScript)
// opens the same URL for it.
async function look(page, journey, step, probe = page) {
  if (probe !== page) await probe.goto(page.url());
  for (const [width, height] of [[360, 740], [1280, 900]]) {
    await page.setViewportSize({ width, height });
    await probe.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(out, `${journey}-${step}-${width}.png`), fullPage: true });
    const overflow = await probe.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(journey, overflow <= 0, `${step} at ${width} px scrolls sideways by ${overflow} px`);
    if (!(await probe.evaluate(() => Boolean(window.axe)))) await probe.evaluate(axeSource);
    const res = await probe.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), wcag);
    for (const v of res.violations) {
      fail(journey, `${step} at ${width} px: axe ${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  console.log(`  ${journey}/${step}: checked at 360 and 1280 px`);
}

async function rows(page) {
  return page.$$eval('#results > li:not([hidden])', (lis) => lis.map((li) => ({
    slug: li.dataset.slug, key: li.dataset.key, text: li.innerText,
  })));
}

async function chooseDoor(page, journey, { keyboard = false, otherDoor = false, livesAlone = false, checkForm = false } = {}) {
  await page.goto(base + '/');
  await page.waitForSelector('form.checklist');
  if (checkForm) await look(page, journey, 'checklist');
  if (keyboard) {
    // Keyboard only: the first Tab reaches the skip link, and focus shows.
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { text: el.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(journey, /Skip to the main content/.test(focus.text), `the first Tab stop is ${JSON.stringify(focus.text)}, not the skip link`);
    expect(journey, focus.outline !== 'none' && focus.width >= 2, 'keyboard focus is not visible');
    await page.getByLabel(seedLabel).focus();
    await page.keyboard.press('Space');
    if (otherDoor) {
      await page.getByLabel(/opens from outside with a key/).focus();
      await page.keyboard.press('Space');
    }
    if (livesAlone) {
      await page.getByLabel('Someone lives alone').focus();
      await page.keyboard.press('Space');
    }
    await page.getByRole('button', { name: 'Show locks that fit' }).focus();
    await Promise.all([page.waitForURL(/\/results\?/), page.keyboard.press('Enter')]);
  } else {
    await page.getByLabel(seedLabel).check();
    if (otherDoor) await page.getByLabel(/opens from outside with a key/).check();
    if (livesAlone) await page.getByLabel('Someone lives alone').check();
    await Promise.all([page.waitForURL(/\/results\?/), page.getByRole('button', { name: 'Show locks that fit' }).click()]);
  }
  expect(journey, await page.getByLabel(seedLabel).count() === 0, 'the results page still shows the door question');
}

const journeys = {
  // A composite door, a keyed patio door on another ring, someone living alone.
  async 'seed-case'(ctx, j) {
    const page = await ctx.newPage();
    watch(page, j);
    await chooseDoor(page, j, { keyboard: true, otherDoor: true, livesAlone: true, checkForm: true });
    const url = new URL(page.url());
    expect(j, url.searchParams.get('door_type') === 'uk_multipoint' && url.searchParams.get('other_keyed_door') === 'true'
      && url.searchParams.get('occupants') === 'lives_alone', `the answers are not in the URL: ${url.search}`);
    await look(page, j, 'results');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(out, 'results-readme.png') });
    const list = await rows(page);
    expect(j, list.length > 0, 'no locks shown');
    const at = list.findIndex((r) => r.slug === 'yale-conexis-l2');
    if (at >= 0) {
      const above = list.slice(at + 1).filter((r) => r.key === 'yes').map((r) => r.slug);
      expect(j, above.length === 0, `locks with a key rank below the Conexis L2: ${above.join(', ')}`);
      expect(j, /key/i.test(list[at].text) && /(Why:|no way in|no .*key)/i.test(list[at].text), `the Conexis L2 row gives no reason: ${list[at].text}`);
      await Promise.all([page.waitForURL(/\/locks\/yale-conexis-l2/), page.click('li[data-slug="yale-conexis-l2"] h2 a')]);
    } else {
      await page.goto(base + '/locks/yale-conexis-l2' + url.search);
    }
    await look(page, j, 'conexis-l2');
    const when = await page.locator('.failure', { hasText: 'the electronics stop responding' }).innerText();
    expect(j, /No way in through this door/.test(when), `the electronics failure says: ${when}`);
    const verdict = await page.locator('.verdict').innerText();
    expect(j, /Not recommended|Unsuitable|Conditional/.test(verdict), `the verdict says: ${verdict}`);
    // Back returns to the ranking with the same answers.
    await page.goBack();
    expect(j, page.url().includes('/results?') && page.url().includes('door_type=uk_multipoint'), `back went to ${page.url()}`);
    await page.close();
  },

  // A retrofit lock on a composite door whose cylinder nobody knows.
  async 'retrofit-unknown-cylinder'(ctx, j) {
    const page = await ctx.newPage();
    watch(page, j);
    await chooseDoor(page, j);
    const url = new URL(page.url());
    expect(j, !url.searchParams.get('cylinder_rating'), `"I don't know" sent a cylinder rating: ${url.search}`);
    await look(page, j, 'results');
    const slug = 'nuki-smart-lock-4th-gen';
    const row = (await rows(page)).find((r) => r.slug === slug);
    if (!expect(j, row, `${slug} is not among the results`)) return;
    expect(j, /Provisional/.test(row.text), `${slug} is not shown as provisional: ${row.text}`);
    await Promise.all([page.waitForURL(new RegExp(`/locks/${slug}`)), page.click(`li[data-slug="${slug}"] h2 a`)]);
    await look(page, j, 'lock');
    const advice = (await page.locator('.advice').count()) ? await page.locator('.advice').innerText() : '';
    expect(j, /TS 007 3-star/.test(advice) && /emergency function/i.test(advice), `the advice does not say to fit a TS 007 3-star cylinder with the emergency function: ${JSON.stringify(advice)}`);
    expect(j, /Provisional/.test(await page.locator('.verdict').innerText()), 'the lock page is not marked provisional');
    await page.close();
  },

  async 'compare-three'(ctx, j) {
    const page = await ctx.newPage();
    watch(page, j);
    await chooseDoor(page, j, { otherDoor: true });
    const boxes = page.locator('#results > li:not([hidden]) input[name="slugs"]');
    expect(j, await boxes.count() >= 3, 'fewer than three locks to compare');
    await page.getByRole('button', { name: 'Compare the chosen locks' }).click();
    expect(j, page.url().includes('/results?') && /at least two/.test(await page.locator('#compare-status').innerText()),
      'comparing nothing did not ask for two locks');
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    expect(j, /3 chosen/.test(await page.locator('#compare-status').innerText()), 'the compare count does not say 3');
    await Promise.all([page.waitForURL(/\/compare\?/), page.getByRole('button', { name: 'Compare the chosen locks' }).click()]);
    await look(page, j, 'compare');
    const cols = await page.locator('table.matrix thead th').count();
    expect(j, cols === 3, `the matrix has ${cols} locks, not 3`);
    const failures = await page.locator('table.matrix tbody th', { hasText: /^When / }).count();
    expect(j, failures === 8, `the matrix has ${failures} failures, not 8`);
    await page.close();
  },

  async 'what-if-keyless-keypad'(ctx, j) {
    const page = await ctx.newPage();
    watch(page, j);
    await page.goto(base + '/check');
    await look(page, j, 'form');
    await page.getByLabel('Your front door').selectOption('uk_multipoint');
    await page.getByLabel('Can a key open it from outside without the electronics?').selectOption('none');
    await page.getByLabel('Has a keypad built in').selectOption('true');
    await page.getByLabel('How do you open it from inside?').selectOption('mechanical');
    await Promise.all([page.waitForURL(/\/check\?/), page.getByRole('button', { name: 'Check this lock' }).click()]);
    await look(page, j, 'result');
    const verdict = await page.locator('.verdict').innerText();
    expect(j, /Not recommended|Unsuitable/.test(verdict), `a keyless keypad lock is not "Not recommended" or "Unsuitable": ${verdict}`);
    const when = await page.locator('.failure', { hasText: 'the batteries go flat' }).innerText();
    expect(j, /No way in/.test(when), `flat batteries on a keyless lock say: ${when}`);
    expect(j, await page.getByLabel('Has a keypad built in').inputValue() === 'true', 'the form forgot the answers');
    await page.close();
  },

  // The widget on a page of another origin, with a strict policy of its own.
  async widget(ctx, j) {
    const host = `http://127.0.0.1:${otherPort}`;
    const html = (slug) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A review site</title>
<link rel="icon" href="data:,"></head><body><main><h1>Our review of the Yale Conexis L2</h1>
<p>We liked the look of it. Here is what lockscore says about getting in when it fails:</p>
<lockscore-verdict slug="${slug}" door-type="uk_multipoint"></lockscore-verdict>
<script type="module" src="${base}/widget.js"></script></main></body></html>`;
    const server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', `default-src 'none'; script-src ${base}; connect-src ${base}; img-src data:`);
      res.end(html('yale-conexis-l2'));
    });
    await new Promise((ok) => server.listen(otherPort, '127.0.0.1', ok));
    try {
      const page = await ctx.newPage();
      watch(page, j);
      await page.goto(host + '/');
      const badge = page.locator('lockscore-verdict .badge');
      await badge.waitFor({ timeout: 10000 });
      expect(j, /[A-E]\s*(Recommended|Conditional|Not recommended|Unsuitable)/.test(await badge.innerText()), `the badge says ${await badge.innerText()}`);
      const link = await page.locator('lockscore-verdict a').getAttribute('href');
      expect(j, link === `${base}/locks/yale-conexis-l2?door_type=uk_multipoint`, `the widget links to ${link}`);
      await look(page, j, 'host-page');
      await page.close();
      // The API unreachable: a quiet fallback, still a link.
      const down = await ctx.newPage();
      watch(down, j, (u) => u.includes('/api/v1/'));
      await down.route('**/api/v1/**', (r) => r.abort());
      await down.goto(host + '/');
      const quiet = down.locator('lockscore-verdict .quiet');
      await quiet.waitFor({ timeout: 10000 });
      expect(j, /unavailable/.test(await quiet.innerText()), 'no quiet fallback when the API is down');
      await down.screenshot({ path: path.join(out, `${j}-fallback-1280.png`) });
      await down.close();
    } finally {
      server.close();
    }
  },

  // JavaScript off: the form alone returns the ranking.
  async 'no-javascript'(withJS, j, browser) {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    watch(page, j);
    const probe = await withJS.newPage();
    watch(probe, j);
    await chooseDoor(page, j, { otherDoor: true, livesAlone: true });
    const list = await rows(page);
    expect(j, list.length > 0, 'no ranking without JavaScript');
    expect(j, /^1\./.test(list[0].text.trim()), `the first row is not rank 1: ${list[0] && list[0].text}`);
    await look(page, j, 'results', probe);
    // The brand filter works by submitting the form.
    const brand = await page.locator('#brand option').nth(1).getAttribute('value');
    await page.locator('#brand').selectOption(brand);
    await Promise.all([page.waitForURL(/brand=/), page.getByRole('button', { name: 'Show', exact: true }).click()]);
    const filtered = await rows(page);
    expect(j, filtered.length > 0 && filtered.every((r) => r.text.includes(brand)), `the brand filter did not apply without JavaScript`);
    await ctx.close();
  },
};

(async () => {
  setTimeout(() => { console.error('the journeys took over 5 minutes'); process.exit(1); }, 300000).unref();
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    for (const [name, run] of Object.entries(journeys)) {
      const started = Date.now();
      const ctx = await browser.newContext();
      try {
        await run(ctx, name, browser);
      } catch (e) {
        fail(name, `stopped: ${e.message.split('\n')[0]}`);
      }
      await ctx.close();
      console.log(`${name}: ${Date.now() - started} ms`);
    }
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.error(`\n${problems.length} problem(s):\n` + problems.map((p) => '  - ' + p).join('\n'));
    process.exit(1);
  }
  console.log(`all ${Object.keys(journeys).length} journeys passed; screenshots in ${out}`);
})().catch((e) => { console.error(e); process.exit(1); });
