// End-to-end test of the live table in headless Chromium (playwright-core, with the system's Chromium;
// it never downloads a browser). Needs the page's server, the gateway and psql access to the orders
// database.
//
//   a. sign in through the form as E2E_USER_ID; wait for `live` and the rows
//   b. UPDATE the first row's state with psql; the row must show it, marked, within 2 s: the state cell
//      alone (not the date's nor the user's), with the note "changed outside the app"
//      -> prints UPDATE_SHOWN_MS <ms>, OUTSIDE_CHANGE_MARKED <the marked cells>
//   c. prints RESTART_GATEWAY and waits for a line GATEWAY_RESTARTED on stdin (whoever runs this
//      restarts the gateway in between); then `live` again, and another psql UPDATE within 2 s;
//      orders-service killed (kill -9) with a psql UPDATE while it is down: shown once it is back
//      -> prints AFTER_RESTART_SHOWN_MS <ms>
//   d. change the state with the row's control (the updateOrder mutation); psql must read it. The row
//      shows the new state at once and keeps it, and is never marked: the change that comes back
//      through the feed is recognised as the page's own (its clientMutationId). A psql UPDATE of the
//      row after it (so after that echo, in commit order) is marked as usual
//      -> prints MUTATION_SAVED, OWN_CHANGE_UNMARKED
//   e. with E2E_BULK set: one psql UPDATE of every order of the user not yet PAID (the test seeds
//      10,000), then one setting them all back to UNPAID; after each, every row of the table must
//      show the new state and the page stay live; the main thread is never blocked for long
//      -> prints BULK_UPDATED <rows>, BULK_SHOWN_MS <ms> (the second UPDATE, the first warms up
//         the services and the page), BULK_LONGEST_TASK_MS <ms>
//   g. with E2E_TOKEN_TTL_SECONDS set (5 to 60): sign out, sign in again through the form with a token of
//      that lifetime (the form's lifetime field: POST /dev/token with ttlSeconds), and let it expire while
//      the page is live. A psql UPDATE committed just before `exp` (while the page renews its token) must
//      show; after `exp` the page must hold a newer token of the same user (renewed through /dev/token, not
//      signed out, no "session expired"), be live, and show another psql UPDATE within 2 s
//      -> prints TOKEN_RENEWED <seconds the first token lived>, AT_EXPIRY_SHOWN_MS <ms>,
//         AFTER_EXPIRY_SHOWN_MS <ms> (asserted here too: at most 2000)
//   f. screenshot -> prints SCREENSHOT <path>; exit 0. Any failure: FAILED <reason> on stderr, a
//      screenshot named *-failure.png, exit 1.
//
// Environment:
//   WEB_URL        the page (http://localhost:3000)
//   E2E_USER_ID    the user to sign in as; needs at least one order (1)
//   SCREENSHOT     where to write the PNG (target/web-live-table.png)
//   CHROMIUM       the Chromium executable (/usr/bin/chromium)
//   PGHOST, PGPORT, PGUSER, PGPASSWORD  PostgreSQL (localhost, 5432, postgres, none)
//   ORDERS_DB      the orders database (orders)
//   E2E_BULK       set to run step e (it changes every order of the user)
//   E2E_TOKEN_TTL_SECONDS  set (e.g. 8) to run step g; the page's server must have dev sign-in on
//                  (DEV_SIGN_IN=true with a test secret) and the gateway must end subscriptions at `exp`
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const env = process.env;
const WEB_URL = env.WEB_URL || 'http://localhost:3000';
const USER_ID = env.E2E_USER_ID || '1';
const SCREENSHOT = env.SCREENSHOT || 'target/web-live-table.png';
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const ORDERS_DB = env.ORDERS_DB || 'orders';
const SHOW_LIMIT_MS = 2000;
// How long a bulk UPDATE may take to show before the test fails; its figure (target 2 s) is printed
// for docs/benchmarks.md rather than asserted, since two shared cores make it vary.
const BULK_LIMIT_MS = 20_000;
const PG_ENV = {
  ...env,
  PGHOST: env.PGHOST || 'localhost',
  PGPORT: env.PGPORT || '5432',
  PGUSER: env.PGUSER || 'postgres',
  PGDATABASE: ORDERS_DB,
};

const TOKEN_KEY = 'ordergraph.token'; // where the page keeps its token (src/auth.js)

const ROW = '[data-testid="order-row"]';
const STATUS = '[data-testid="connection-status"]';
const rowSelector = (orderId) => `${ROW}[data-order-id="${orderId}"]`;
const other = (state) => (state === 'PAID' ? 'UNPAID' : 'PAID');

const log = (message) => process.stderr.write(`# ${message}\n`);

class Failure extends Error {}

/** Runs `work` within `ms`; a timeout fails with `what`. */
async function within(ms, what, work) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what} (no result within ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function psql(args) {
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-v', 'ON_ERROR_STOP=1', ...args], { env: PG_ENV, timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(new Failure(`psql ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

const setState = (id, state) => psql(['-c', `update orders set state = '${state}' where id = ${id}`]);
const stateInDatabase = (id) => psql(['-Atc', `select state from orders where id = ${id}`]);

/** The database id in a Relay global id: base64 of `Order:<id>`. */
function databaseId(globalId) {
  const [type, id] = Buffer.from(globalId, 'base64').toString('utf8').split(':');
  if (type !== 'Order' || !/^\d+$/.test(id ?? '')) throw new Failure(`"${globalId}" is not an Order global id`);
  return id;
}

/** Lines arriving on stdin, for the restart handshake. */
function stdinLines() {
  const lines = [];
  const waiters = [];
  let ended = false;
  const wake = () => waiters.splice(0).forEach((resume) => resume());
  const reader = createInterface({ input: process.stdin });
  reader.on('line', (line) => {
    lines.push(line.trim());
    wake();
  });
  reader.on('close', () => {
    ended = true;
    wake();
  });
  return {
    async waitFor(text) {
      while (!lines.includes(text)) {
        if (ended) throw new Failure(`stdin ended before a ${text} line`);
        await new Promise((resume) => waiters.push(resume));
      }
    },
    close: () => reader.close(),
  };
}

async function waitForStatus(page, status, ms) {
  await within(ms, `connection-status did not become "${status}"`, () =>
    page.waitForFunction(
      ({ selector, expected }) => document.querySelector(selector)?.textContent === expected,
      { selector: STATUS, expected: status },
      { timeout: 0, polling: 50 },
    ),
  );
}

/** Waits until the row's mark from an earlier change has faded, so the next mark is a new one. */
async function waitUnmarked(page, orderId) {
  await within(10_000, `row ${orderId} stayed marked as changed`, () =>
    page.waitForFunction((selector) => document.querySelector(selector)?.dataset.changed !== 'true', rowSelector(orderId), {
      timeout: 0,
      polling: 50,
    }),
  );
}

/**
 * The row's marks, right after a psql UPDATE of its state was shown: only the state cell marked, the
 * row not marked whole, and the note "changed outside the app". Returns the marked cells' test ids.
 */
async function expectOutsideStateMark(page, orderId) {
  const seen = await page.evaluate((selector) => {
    const row = document.querySelector(selector);
    if (!row) return null;
    const cells = [...row.querySelectorAll('td[data-testid]')].map((cell) => [cell.dataset.testid, cell.dataset.changed]);
    return {
      marked: cells.filter(([, changed]) => changed === 'true').map(([name]) => name),
      cells: cells.map(([name]) => name),
      whole: row.classList.contains('changed'),
      note: row.querySelector('[data-testid="change-origin"]')?.textContent.trim() ?? null,
    };
  }, rowSelector(orderId));
  const expected = ['order-date', 'order-state', 'order-user'];
  if (!seen || expected.some((name) => !seen.cells.includes(name))) {
    throw new Failure(`row ${orderId} lacks the cells ${expected.join(', ')} (has ${seen?.cells.join(', ')})`);
  }
  if (seen.marked.join() !== 'order-state' || seen.whole) {
    throw new Failure(`after a psql UPDATE of the state only, row ${orderId} marks ${seen.whole ? 'the whole row' : `[${seen.marked.join(', ')}]`}, not the state cell alone`);
  }
  if (seen.note !== 'changed outside the app') {
    throw new Failure(`after a psql UPDATE, row ${orderId} says ${JSON.stringify(seen.note)}, not "changed outside the app"`);
  }
  return seen.marked;
}

/** From now on, every distinct look of the row (its state, whether it is marked, its note), in page. */
async function recordRow(page, orderId) {
  await page.evaluate((selector) => {
    const history = [];
    const look = () => {
      const row = document.querySelector(selector);
      const entry = {
        state: row?.querySelector('[data-testid="order-state"]')?.textContent.trim() ?? null,
        changed: row?.dataset.changed ?? null,
        note: row?.querySelector('[data-testid="change-origin"]')?.textContent.trim() ?? null,
      };
      const last = history.at(-1);
      if (!last || last.state !== entry.state || last.changed !== entry.changed || last.note !== entry.note) history.push(entry);
    };
    look();
    window.__rowObserver?.disconnect();
    window.__rowObserver = new MutationObserver(look);
    window.__rowObserver.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    window.__rowHistory = history;
  }, rowSelector(orderId));
}

async function recordedRow(page) {
  return page.evaluate(() => {
    window.__rowObserver?.disconnect();
    return window.__rowHistory;
  });
}

/** psql UPDATE, then the time until the row shows the state and is marked as changed. */
async function updateAndMeasure(page, orderId, id, state) {
  await waitUnmarked(page, orderId);
  await setState(id, state);
  const start = performance.now();
  await within(SHOW_LIMIT_MS + 3000, `row ${orderId} did not show ${state} marked as changed after the psql UPDATE`, () =>
    page.waitForFunction(
      ({ selector, expected }) => {
        const row = document.querySelector(selector);
        return row?.dataset.changed === 'true' && row.querySelector('[data-testid="order-state"]')?.textContent.trim() === expected;
      },
      { selector: rowSelector(orderId), expected: state },
      { timeout: 0, polling: 10 },
    ),
  );
  return Math.round(performance.now() - start);
}

/** The claims of the page's current token (from sessionStorage), or null when it has none. */
async function tokenClaims(page) {
  const token = await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY);
  if (!token) return null;
  return { token, ...JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) };
}

/** Signs in through the form as USER_ID (not staff); `ttlSeconds`: the token's lifetime, empty for the default. */
async function signInThroughForm(page, ttlSeconds = '') {
  await page.getByTestId('signin-user-id').fill(USER_ID);
  await page.getByTestId('signin-staff').setChecked(false);
  await page.getByTestId('signin-ttl').fill(String(ttlSeconds));
  await page.getByTestId('signin-submit').click();
  await within(15_000, 'whoami did not show a user name after signing in', () =>
    page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid="whoami"]')?.textContent;
        return text && text !== '…';
      },
      null,
      { timeout: 0, polling: 50 },
    ),
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function stateShown(page, orderId) {
  return (await page.locator(`${rowSelector(orderId)} [data-testid="order-state"]`).textContent()).trim();
}

async function main() {
  const stdin = stdinLines();
  let browser;
  let page;
  const consoleErrors = [];
  let phase = 'start';
  try {
    browser = await within(30_000, `Chromium did not start (${CHROMIUM})`, () =>
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    );
    page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push({ phase, text: message.text() });
      else if (message.type() === 'warning') log(`page warning: ${message.text()}`);
      else if (message.type() === 'info' && /token/i.test(message.text())) log(`page: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push({ phase, text: `uncaught: ${error.message}` }));
    // Records every connection-status value the page shows, to report the reconnect.
    await page.addInitScript(() => {
      // The longest task that blocked the main thread: a page that freezes under a burst shows here.
      window.__longestTask = -1; // stays -1 where long tasks are not observable
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, entry.duration);
        }).observe({ type: 'longtask', buffered: true });
        window.__longestTask = 0;
      } catch {
        // not supported by this browser
      }
      window.__statuses = [];
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid="connection-status"]')?.textContent;
        if (status && status !== window.__statuses.at(-1)) window.__statuses.push(status);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });

    // a. sign in
    phase = 'sign-in';
    await within(30_000, `the sign-in form did not appear at ${WEB_URL}`, async () => {
      await page.goto(WEB_URL, { timeout: 0 });
      await page.getByTestId('signin-user-id').waitFor({ timeout: 0 });
    });
    await signInThroughForm(page);
    await waitForStatus(page, 'live', 30_000);
    await within(15_000, `no order rows for user ${USER_ID}`, () => page.locator(ROW).first().waitFor({ timeout: 0 }));
    log(`signed in as ${await page.getByTestId('whoami').textContent()}; ${await page.locator(ROW).count()} rows`);
    // No pause before the first write: the page subscribes after the changesCursor it read before the
    // table, so a write made before its subscription is open at the orders service is replayed to it.

    // b. an outside write shows up
    phase = 'psql-update';
    const orderId = await page.locator(ROW).first().getAttribute('data-order-id');
    const id = databaseId(orderId);
    const original = await stateShown(page, orderId);
    log(`order ${orderId} (id ${id}) shows ${original}`);
    const shownMs = await updateAndMeasure(page, orderId, id, other(original));
    console.log(`UPDATE_SHOWN_MS ${shownMs}`);
    console.log(`OUTSIDE_CHANGE_MARKED ${(await expectOutsideStateMark(page, orderId)).join(' ')}`);
    if (shownMs > SHOW_LIMIT_MS) throw new Failure(`the psql UPDATE took ${shownMs} ms to show (limit ${SHOW_LIMIT_MS} ms)`);

    // c. the gateway restarts; the page reconnects and stays live
    phase = 'gateway-restart';
    const statusesBefore = await page.evaluate(() => window.__statuses.length);
    console.log('RESTART_GATEWAY');
    await within(120_000, 'no GATEWAY_RESTARTED line on stdin', () => stdin.waitFor('GATEWAY_RESTARTED'));
    await waitForStatus(page, 'live', 60_000);
    const statuses = await page.evaluate((from) => window.__statuses.slice(from), statusesBefore);
    log(`connection-status during the restart: ${statuses.join(' -> ') || '(unchanged)'}`);
    if (!statuses.includes('reconnecting')) log('warning: the page never showed "reconnecting" during the restart');
    phase = 'after-restart';
    const afterRestartMs = await updateAndMeasure(page, orderId, id, original);
    console.log(`AFTER_RESTART_SHOWN_MS ${afterRestartMs}`);
    if (afterRestartMs > SHOW_LIMIT_MS) {
      throw new Failure(`after the gateway restart, the psql UPDATE took ${afterRestartMs} ms to show (limit ${SHOW_LIMIT_MS} ms)`);
    }

    // c2. orders-service is killed (kill -9); a psql UPDATE is committed while it is down; once it is back,
    // the page has resubscribed by itself with `after` and shows that change, then stays live
    phase = 'orders-kill';
    console.log('KILL_ORDERS');
    await within(60_000, 'no ORDERS_KILLED line on stdin', () => stdin.waitFor('ORDERS_KILLED'));
    const whileDown = other(await stateShown(page, orderId));
    await setState(id, whileDown);
    console.log('START_ORDERS');
    await within(120_000, 'no ORDERS_STARTED line on stdin', () => stdin.waitFor('ORDERS_STARTED'));
    const startedAt = performance.now();
    await within(30_000, `after orders-service came back, row ${orderId} did not show ${whileDown}, committed while it was down`, () =>
      page.waitForFunction(
        ({ selector, expected }) => document.querySelector(selector)?.querySelector('[data-testid="order-state"]')?.textContent.trim() === expected,
        { selector: rowSelector(orderId), expected: whileDown },
        { timeout: 0, polling: 50 },
      ),
    );
    console.log(`MISSED_SHOWN_AFTER_ORDERS_UP_MS ${Math.round(performance.now() - startedAt)}`);
    await waitForStatus(page, 'live', 60_000);
    phase = 'after-orders-kill';
    const afterKillMs = await updateAndMeasure(page, orderId, id, other(whileDown));
    console.log(`AFTER_ORDERS_KILL_SHOWN_MS ${afterKillMs}`);
    if (afterKillMs > SHOW_LIMIT_MS) {
      throw new Failure(`after orders-service came back, the psql UPDATE took ${afterKillMs} ms to show (limit ${SHOW_LIMIT_MS} ms)`);
    }

    // d. the page's own mutation
    phase = 'mutation';
    const wanted = other(original);
    await waitUnmarked(page, orderId);
    await recordRow(page, orderId);
    await page.locator(`${rowSelector(orderId)} [data-testid="order-state-control"]`).selectOption(wanted);
    await within(10_000, `row ${orderId} did not show ${wanted} after changing it with its control`, () =>
      page.waitForFunction(
        ({ selector, expected }) => {
          const row = document.querySelector(selector);
          return (
            row?.querySelector('[data-testid="order-state"]')?.textContent.trim() === expected &&
            !row.querySelector('[data-testid="order-state-control"]').disabled
          );
        },
        { selector: rowSelector(orderId), expected: wanted },
        { timeout: 0, polling: 20 },
      ),
    );
    const saved = await stateInDatabase(id);
    if (saved !== wanted) throw new Failure(`the page shows ${wanted} after the mutation, but the database has "${saved}"`);
    console.log('MUTATION_SAVED');
    // An outside change after it: once the row shows that, the echo of the mutation (committed before it)
    // has been through the page.
    await updateAndMeasure(page, orderId, id, original);
    const looks = await recordedRow(page);
    const described = JSON.stringify(looks);
    const outsideAt = looks.findIndex((look) => look.state === original && look.changed === 'true');
    const wantedAt = looks.findIndex((look) => look.state === wanted);
    if (wantedAt < 0 || outsideAt < wantedAt) throw new Failure(`the row's looks are not those of the mutation and the psql UPDATE after it: ${described}`);
    if (looks.slice(0, outsideAt).some((look) => look.changed === 'true' || look.note)) {
      throw new Failure(`the row was marked as changed by its own mutation: ${described}`);
    }
    if (looks.slice(wantedAt, outsideAt).some((look) => look.state !== wanted)) {
      throw new Failure(`the row did not keep ${wanted} from when it first showed it until the next change: ${described}`);
    }
    console.log('OWN_CHANGE_UNMARKED');

    // e. a bulk UPDATE arrives as a few batches, each applied as one cache update
    if (env.E2E_BULK) {
      phase = 'bulk-update';
      const bulk = async (state, from) => {
        const rows = await psql(['-Atc', `with changed as (update orders set state = '${state}' where user_id = ${USER_ID} and state = '${from}' returning 1) select count(*) from changed`]);
        const start = performance.now();
        await within(BULK_LIMIT_MS, `not every row showed ${state} after the bulk UPDATE of ${rows} rows`, () =>
          page.waitForFunction(
            ({ selector, expected }) => [...document.querySelectorAll(selector)]
              .every((row) => row.querySelector('[data-testid="order-state"]')?.textContent.trim() === expected),
            { selector: ROW, expected: state },
            { timeout: 0, polling: 10 },
          ),
        );
        return { rows, ms: Math.round(performance.now() - start) };
      };
      const warmUp = await bulk('PAID', 'UNPAID');
      log(`warm-up: ${warmUp.rows} rows PAID shown in ${warmUp.ms} ms`);
      await page.evaluate(() => (window.__longestTask = Math.min(window.__longestTask, 0)));
      const measured = await bulk('UNPAID', 'PAID');
      console.log(`BULK_UPDATED ${measured.rows}`);
      console.log(`BULK_SHOWN_MS ${measured.ms}`);
      console.log(`BULK_LONGEST_TASK_MS ${Math.round(await page.evaluate(() => window.__longestTask))}`);
      await waitForStatus(page, 'live', 5_000);
    }

    // g. the token expires under the live page: renewed, the table stays live, nothing is lost
    if (env.E2E_TOKEN_TTL_SECONDS) {
      phase = 'token-expiry';
      const ttl = Number(env.E2E_TOKEN_TTL_SECONDS);
      if (!Number.isInteger(ttl) || ttl < 5 || ttl > 60) throw new Failure(`E2E_TOKEN_TTL_SECONDS must be 5 to 60, got "${env.E2E_TOKEN_TTL_SECONDS}"`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('signin-user-id').waitFor({ timeout: 10_000 });
      await signInThroughForm(page, ttl);
      await waitForStatus(page, 'live', 30_000);
      await within(15_000, `no order rows for user ${USER_ID} after signing in again`, () => page.locator(ROW).first().waitFor({ timeout: 0 }));
      const first = await tokenClaims(page);
      if (!first || first.exp - first.iat !== ttl) {
        throw new Failure(`signing in with a lifetime of ${ttl} s gave a token with iat ${first?.iat}, exp ${first?.exp}`);
      }
      const expiresAt = first.exp * 1000;
      log(`signed in with a ${ttl} s token; it expires in ${expiresAt - Date.now()} ms`);
      const statusesFrom = await page.evaluate(() => window.__statuses.length);
      const expiryRow = await page.locator(ROW).first().getAttribute('data-order-id');
      const expiryId = databaseId(expiryRow);

      // Just before `exp`, while the page renews its token and moves its subscription to a new socket.
      await waitUnmarked(page, expiryRow);
      await sleep(expiresAt - 300 - Date.now());
      const atExpiry = other(await stateShown(page, expiryRow));
      await setState(expiryId, atExpiry);
      const committedAt = performance.now();
      await within(15_000, `row ${expiryRow} did not show ${atExpiry}, committed as the token expired`, () =>
        page.waitForFunction(
          ({ selector, expected }) => document.querySelector(selector)?.querySelector('[data-testid="order-state"]')?.textContent.trim() === expected,
          { selector: rowSelector(expiryRow), expected: atExpiry },
          { timeout: 0, polling: 20 },
        ),
      );
      console.log(`AT_EXPIRY_SHOWN_MS ${Math.round(performance.now() - committedAt)}`);

      // Well after `exp`: the gateway has ended whatever still ran under the first token.
      await sleep(expiresAt + 1500 - Date.now());
      const renewed = await tokenClaims(page);
      if (!renewed || renewed.token === first.token || !(renewed.exp > first.exp)) {
        throw new Failure(`the page did not renew its token (exp ${first.exp}; now ${renewed ? `exp ${renewed.exp}` : 'no token'})`);
      }
      if (renewed.sub !== first.sub || JSON.stringify(renewed.roles ?? []) !== JSON.stringify(first.roles ?? [])) {
        throw new Failure(`the renewed token is for another identity (${renewed.sub} ${renewed.roles}; was ${first.sub} ${first.roles})`);
      }
      if (await page.getByTestId('session-expired').count()) {
        throw new Failure(`the page says "${await page.getByTestId('session-expired').textContent()}" instead of renewing the token`);
      }
      console.log(`TOKEN_RENEWED ${first.exp - first.iat}`);
      await waitForStatus(page, 'live', 10_000);
      const afterExpiryMs = await updateAndMeasure(page, expiryRow, expiryId, other(atExpiry));
      console.log(`AFTER_EXPIRY_SHOWN_MS ${afterExpiryMs}`);
      const statuses = await page.evaluate((from) => window.__statuses.slice(from), statusesFrom);
      log(`connection-status around the expiry: ${statuses.join(' -> ') || '(unchanged)'}`);
      if (afterExpiryMs > SHOW_LIMIT_MS) {
        throw new Failure(`after the token expired, the psql UPDATE took ${afterExpiryMs} ms to show (limit ${SHOW_LIMIT_MS} ms)`);
      }
    }

    phase = 'end';
    const unexpected = consoleErrors.filter(isUnexpected);
    consoleErrors.filter((error) => !isUnexpected(error)).forEach((error) => log(`expected console error (${error.phase}): ${error.text}`));
    if (unexpected.length) {
      throw new Failure(`console errors: ${unexpected.map((error) => `[${error.phase}] ${error.text}`).join(' | ')}`);
    }

    // f. screenshot
    await screenshot(page, SCREENSHOT);
    console.log(`SCREENSHOT ${SCREENSHOT}`);
    return 0;
  } catch (error) {
    process.stderr.write(`FAILED ${error instanceof Failure ? error.message : error.stack || error}\n`);
    if (consoleErrors.length) log(`console errors: ${consoleErrors.map((e) => `[${e.phase}] ${e.text}`).join(' | ')}`);
    if (page) {
      const path = SCREENSHOT.replace(/(\.png)?$/i, '-failure.png');
      await screenshot(page, path).then(
        () => console.log(`SCREENSHOT ${path}`),
        (err) => log(`no failure screenshot: ${err.message}`),
      );
    }
    return 1;
  } finally {
    stdin.close();
    await browser?.close().catch(() => {});
  }
}

/**
 * Connection errors while the gateway is down are expected, and failed requests while orders-service is
 * (the gateway answers them with errors); anything else is not.
 */
function isUnexpected({ phase, text }) {
  const connectionError = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/.test(text);
  if (phase === 'orders-kill') return false;
  return !(phase === 'gateway-restart' && connectionError);
}

async function screenshot(page, path) {
  await mkdir(dirname(path), { recursive: true });
  await within(15_000, 'screenshot', () => page.screenshot({ path, fullPage: true }));
}

process.exit(await main());
