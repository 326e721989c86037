// Opens Swagger UI in headless Chromium, runs "Try it out" on GET /api/v1/rankings
// and fails unless the live response is a 200. Used by .ci/run through check.sh.
const { chromium } = require('playwright-core');
const base = process.argv[2] || 'http://127.0.0.1:18500';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  await page.goto(base + '/swagger/index.html');
  await page.waitForSelector('#operations-rankings-getRankings', { timeout: 15000 });
  await page.click('#operations-rankings-getRankings .opblock-summary');
  await page.click('#operations-rankings-getRankings .try-out__btn');
  await page.click('#operations-rankings-getRankings .execute');
  await page.waitForSelector('#operations-rankings-getRankings .live-responses-table .response-col_status', { timeout: 15000 });
  const status = await page.textContent('#operations-rankings-getRankings .live-responses-table tbody .response-col_status');
  console.log('Swagger UI Try it out on GET /api/v1/rankings:', status.trim());
  await browser.close();
  if (status.trim() !== '200') process.exit(1);
})().catch(e => { console.error(e); process.exit(1); });
