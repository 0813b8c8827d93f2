// sandbox.mjs: drives the /api/doc sandbox in Debian's headless chromium
// (tests/sandbox.bats). Opens the page, expands a resource, fills in the
// credentials, presses Try! for a list GET (twice: a fresh nonce each time)
// and a POST, writes a screenshot and prints what it saw as one JSON object.
// Any JavaScript error or console error on the page is reported in `errors`.
//
// Environment: DOC_URL (the page), API_USER, API_KEY, RESOURCE (a type with
// list and create), SHOT (the screenshot's path), CHROMIUM (the browser),
// MAP_HOST (a host name chromium resolves to 127.0.0.1: plain HTTP on a name
// other than localhost is no secure context, so the page has no
// crypto.subtle, as on a real server).
import puppeteer from 'puppeteer-core';

const env = (name, dflt) => {
  const v = process.env[name] ?? dflt;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const url = env('DOC_URL');
const type = env('RESOURCE', 'contacts');
const errors = [];
const result = { errors };

const browser = await puppeteer.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  // As root (CI) chromium refuses to start without --no-sandbox.
  args: [...(process.getuid() === 0 ? ['--no-sandbox'] : []), '--disable-gpu',
    '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check',
    ...(process.env.MAP_HOST ? [`--host-resolver-rules=MAP ${process.env.MAP_HOST} 127.0.0.1`] : [])],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  result.pageStatus = res.status();
  result.secureContext = await page.evaluate(() => window.isSecureContext);
  result.subtle = await page.evaluate(() => typeof (window.crypto && window.crypto.subtle));

  // Expand the resource, then type the credentials in.
  const sel = `details#res-${type}`;
  await page.click(`${sel} > summary`);
  await page.type('#cred-user', env('API_USER'));
  await page.type('#cred-key', env('API_KEY'));

  // Presses Try! in an action (opening it first) and waits for the answer.
  async function tryAction(act, n) {
    const det = `${sel} details.act[data-kind="${act}"]`;
    if (!(await page.$eval(det, (d) => d.open))) await page.click(`${det} > summary`);
    await page.click(`${det} button.tryb`);
    await page.waitForSelector(`${det} .out[data-done="${n}"]`, { timeout: 15000 });
    return page.$eval(det, (d) => ({
      status: Number(d.querySelector('.out').getAttribute('data-status')),
      url: d.querySelector('.o-url').textContent,
      headers: d.querySelector('.o-head').textContent,
      body: d.querySelector('.o-body').textContent,
      curl: d.querySelector('.o-curl').textContent,
      error: d.querySelector('.err').textContent,
    }));
  }
  result.get = await tryAction('0', 1);
  result.get2 = await tryAction('0', 2);
  result.post = await tryAction('1', 1);

  // The POST's answer in view for the screenshot.
  await page.$eval(`${sel} details.act[data-kind="1"]`,
    (d) => window.scrollTo(0, d.getBoundingClientRect().top + window.scrollY - 100));
  await page.screenshot({ path: env('SHOT'), fullPage: false });
} catch (e) {
  errors.push(`driver: ${e.message}`);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
