// Drives the wallet page in Debian's Chromium, as a holder would: opens the URL the wallet printed (its secret
// becomes a cookie the page's script cannot read, and leaves the address bar) on an empty inbox and prints "page
// open"; the test then sends a request, which must appear on the open page, pushed, approves it with the default
// scope, then finds the grant and, without reloading, the delivery in the activity view. The page must not poll: it
// reads /api/state only when the wallet pushes a change, so a quiet spell at the end sees no read. A screenshot of
// each view goes to the directory given. Last, on the Issuers view, it allows the issuer's consent request waiting
// there and sees the write grant appear. Usage: node wallet-e2e.mjs <printed url> <screenshot dir>
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [url, shots] = process.argv.slice(2);
const origin = new URL(url).origin;
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const outside = [];
// When the page read /api/state, in ms since the start.
const stateReads = [];
const started = Date.now();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  // The page must load nothing from elsewhere.
  page.on('request', request => {
    if (!request.url().startsWith(origin + '/')) outside.push(request.url());
    if (request.url() === origin + '/api/state') stateReads.push(Date.now() - started);
  });
  await page.goto(url);
  if (page.url() !== origin + '/') throw new Error('the secret stayed in the address bar: ' + page.url());
  const cookies = await page.evaluate(() => document.cookie);
  if (cookies !== '') throw new Error('the page\'s script can read the wallet\'s cookie: ' + cookies);
  await page.locator('#inbox .empty').waitFor({ timeout: 30000 });
  console.log('page open');
  // Pushed, not polled: the gateway's event reaches the page well within this.
  const card = page.locator('[data-request]').first();
  await card.waitFor({ timeout: 15000 });
  const requestId = await card.getAttribute('data-request');
  await page.screenshot({ path: `${shots}/inbox.png` });

  await card.locator('[data-action="approve"]').click();
  await page.locator('#inbox .empty').waitFor({ timeout: 30000 });

  await page.click('button[data-view="grants"]');
  await page.locator('[data-grant]').first().waitFor({ timeout: 30000 });
  await page.screenshot({ path: `${shots}/grants.png` });

  await page.click('button[data-view="credentials"]');
  await page.locator('[data-credential]').first().waitFor({ timeout: 30000 });
  await page.screenshot({ path: `${shots}/credentials.png` });

  await page.click('button[data-view="activity"]');
  await page.locator('[data-outcome="DELIVERED"]').first().waitFor({ timeout: 60000 });
  await page.screenshot({ path: `${shots}/activity.png` });

  if (outside.length) throw new Error('the page loaded from elsewhere: ' + outside.join(', '));
  // A quiet spell: nothing changes for the holder, so nothing is read (a page polling every 2 s would read 3 times).
  // One late push (the grant's use counted after the delivery's audit entry) may still arrive: at most one read.
  const before = stateReads.length;
  await page.waitForTimeout(6500);
  const quietReads = stateReads.slice(before);
  if (quietReads.length > 1) {
    throw new Error('the page polls /api/state: ' + quietReads.length + ' reads in 6.5 s with nothing pushed, at '
      + quietReads.join(', ') + ' ms');
  }
  // The Issuers view: the issuer's consent request, allowed with one click; it leaves the list and a write grant for
  // the types asked appears.
  await page.click('button[data-view="issuers"]');
  const consent = page.locator('[data-consent]').first();
  await consent.waitFor({ timeout: 30000 });
  const consentId = await consent.getAttribute('data-consent');
  await page.screenshot({ path: `${shots}/issuers.png` });
  await consent.locator('[data-action="allow-issuer"]').click();
  await page.locator('[data-empty="consent-requests"]').waitFor({ timeout: 30000 });
  await page.locator('[data-write-grant]', { hasText: 'address' }).waitFor({ timeout: 30000 });
  if (outside.length) throw new Error('the page loaded from elsewhere: ' + outside.join(', '));
  console.log(JSON.stringify({ approved: requestId, allowedConsent: consentId, stateReads: stateReads.length }));
} finally {
  await browser.close();
}
