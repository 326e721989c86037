// Opens Swagger UI in headless Chromium, checks that it shows the OpenAPI 3
// document without broken text, runs "Try it out" on GET /api/v1/rankings
// and fails unless the live response is a 200. Used by .ci/run through check.sh.
const { chromium } = require('playwright-core');
const base = process.argv[2] || 'http://127.0.0.1:18500';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  await page.goto(base + '/swagger/index.html');
  await page.waitForSelector('#operations-rankings-getRankings', { timeout: 15000 });
  // The OpenAPI 3 document, rendered without broken text: no swallowed
  // <key> ("Bearer )."), no section signs of a document users cannot see.
  const info = await page.textContent('.information-container');
  const problems = [];
  const stamp = (await page.textContent('.info .version-stamp')) || '';
  if (!/OAS ?3/.test(stamp)) problems.push('the page shows ' + stamp + ', not the OpenAPI 3 document');
  if (!info.includes('Bearer YOUR_KEY')) problems.push('the description lost "Bearer YOUR_KEY"');
  const text = await page.textContent('body');
  if (text.includes('§')) problems.push('a description cites a § of a document users cannot see');
  if (/Bearer \)/.test(text)) problems.push('"Bearer <key>" was swallowed as a tag');
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
  console.log('Swagger UI shows the OpenAPI 3.0 document, without broken text');
  await page.click('#operations-rankings-getRankings .opblock-summary');
  await page.click('#operations-rankings-getRankings .try-out__btn');
  await page.click('#operations-rankings-getRankings .execute');
  await page.waitForSelector('#operations-rankings-getRankings .live-responses-table .response-col_status', { timeout: 15000 });
  const status = await page.textContent('#operations-rankings-getRankings .live-responses-table tbody .response-col_status');
  console.log('Swagger UI Try it out on GET /api/v1/rankings:', status.trim());
  await browser.close();
  if (status.trim() !== '200') process.exit(1);
})().catch(e => { console.error(e); process.exit(1); });
