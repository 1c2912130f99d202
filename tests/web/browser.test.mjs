// The dashboard in headless Chromium (Debian's, driven by puppeteer-core; no browser download):
// signs in, opens every page, and checks every number shown against the API's answer, fetched
// here independently with the same range and zone. Fails on any console error (except the 401s
// the sign-in checks provoke on purpose) and prints each page's time to data.
//
//   BASE_URL=http://127.0.0.1:PORT TOKEN=demo-token-account-000001 node browser.test.mjs
//   env: CHROMIUM (default /usr/bin/chromium), SHOTS (screenshot directory; default none)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const BASE = process.env.BASE_URL;
const TOKEN = process.env.TOKEN;
const ACCOUNT = process.env.ACCOUNT || '1';
const SHOTS = process.env.SHOTS || '';
const ZONE = 'America/New_York';  // the browser's zone: not UTC, with DST
if (!BASE || !TOKEN) { console.error('BASE_URL and TOKEN are required'); process.exit(2); }

let passed = 0; let failed = 0;
const timings = [];
function check(ok, what) {
  if (ok) passed += 1;
  else { failed += 1; console.error(`FAIL: ${what}`); }
  return ok;
}
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function api(route, params = {}) {
  const [version, p] = route.startsWith('v1:') ? ['v1', route.slice(3)] : ['v2', route];
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, String(v));
  const r = await fetch(`${BASE}/api/${version}/accounts/${ACCOUNT}/${p}?${q}`, { headers: { api_access_token: TOKEN } });
  if (!r.ok) throw new Error(`${route}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--window-size=1400,1000'],
});
const consoleErrors = [];
let allowed401 = false;
const requests = [];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  await page.emulateTimezone(ZONE);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (allowed401 && /401/.test(m.text())) return;
    consoleErrors.push(m.text());
  });
  // The API's refusals are logged by the browser as "Failed to load resource: ... 4xx"; they are
  // allowed only in the steps that provoke them (allowed401), and checked there.
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));

  const ready = async (name, timeout = 60000) => {
    await page.waitForFunction((n) => document.body.dataset.ready === n, { timeout }, name);
  };
  const range = () => page.evaluate(() => ({ since: Number(document.body.dataset.since), until: Number(document.body.dataset.until), timezone: document.body.dataset.timezone }));
  const values = (selector) => page.$$eval(selector, (els) => els.map((e) => ({ metric: e.dataset.metric, value: JSON.parse(e.dataset.value), text: e.textContent })));
  const shot = async (name) => { if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false }); };
  const open = async (hash, name) => {
    const t0 = Date.now();
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((h, n) => document.body.dataset.route === h && document.body.dataset.ready === n, { timeout: 60000 }, hash, name);
    const loadMs = await page.evaluate(() => Number(document.body.dataset.loadMs));
    timings.push([hash, Date.now() - t0, loadMs]);
    await noJunk(hash);
  };
  // Nothing rendered from a missing value, and no panel left spinning.
  const noJunk = async (where) => {
    const text = await page.$eval('#page', (e) => e.innerText);
    check(!/\bnull\b|undefined|NaN|\[object/.test(text), `${where}: no null/undefined/NaN shown`);
    check(await page.$('#page .loading') === null, `${where}: no spinner left once ready`);
  };
  // A count as shown ("1,254") is the API's integer.
  const countText = (v) => v.text.replace(/[^0-9]/g, '') === String(v.value);

  // ---- sign-in: a wrong token is refused with a message, the right one opens the overview
  const t0 = Date.now();
  await page.goto(`${BASE}/`, { waitUntil: 'load' });
  await ready('signin');
  allowed401 = true;
  await page.type('#signin-token', 'not-a-token');
  await page.click('#signin-form button');
  await page.waitForFunction(() => !document.getElementById('signin-error').hidden);
  check(/refused/.test(await page.$eval('#signin-error', (e) => e.textContent)), 'a wrong token is refused with a message');
  allowed401 = false;
  await page.$eval('#signin-token', (e) => { e.value = ''; });
  await page.type('#signin-token', TOKEN);
  await page.click('#signin-form button');
  await ready('overview');
  timings.push(['sign-in + #/overview', Date.now() - t0, await page.evaluate(() => Number(document.body.dataset.loadMs))]);
  check(await page.evaluate((t) => JSON.parse(sessionStorage.getItem('sr.session')).token === t, TOKEN), 'the token is kept in sessionStorage');
  check(!(await page.evaluate(() => localStorage.length)), 'nothing is kept in localStorage');

  // ---- overview
  await noJunk('overview');
  let r = await range();
  check(r.timezone === ZONE, `the page uses the browser's zone (${r.timezone})`);
  check(r.until - r.since >= 29 * 86400 && r.until - r.since <= 31 * 86400, 'the default range is the last 30 days');
  const summary = await api('reports/summary', r);
  check(summary.conversations_count > 0, 'the demo data has conversations in the last 30 days');
  const shown = await values('[data-summary=account] .card .num');
  check(shown.length === 7, `the overview shows 7 summary numbers (${shown.length})`);
  for (const v of shown) {
    check(same(v.value, summary[v.metric]), `overview ${v.metric}: shown ${v.value}, API ${summary[v.metric]}`);
    if (v.metric.endsWith('_count')) check(countText(v), `overview ${v.metric} text "${v.text}"`);
  }
  const previous = await page.$$eval('[data-summary=account] .change', (els) => els.map((e) => JSON.parse(e.dataset.previous)));
  check(same(previous, ['conversations_count', 'incoming_messages_count', 'outgoing_messages_count', 'avg_first_response_time',
    'avg_resolution_time', 'resolutions_count', 'reply_time'].map((k) => summary.previous[k])), 'overview previous period');
  const chartsShown = await page.$$eval('[data-chart] canvas', (els) => els.map((e) => ({ metric: e.closest('[data-chart]').dataset.chart, values: JSON.parse(e.dataset.values), keys: JSON.parse(e.dataset.labels) })));
  check(chartsShown.length === 7, `7 overview charts (${chartsShown.length})`);
  for (const c of chartsShown) {
    const series = await api('reports', { ...r, metric: c.metric, group_by: 'day' });
    // An average's bucket without events (count 0) is drawn as a gap (null), not as 0.
    const expected = series.map((b) => (b.count === 0 ? null : b.value));
    check(same(c.values, expected) && same(c.keys, series.map((b) => b.timestamp)), `overview chart ${c.metric}`);
  }
  await shot('overview');

  // group_by and business hours change the requests and the numbers still match
  await page.select('#group-by', 'week');
  await page.click('#business-hours');
  await ready('overview');
  const weekly = await page.$eval('[data-chart=avg_first_response_time] canvas', (e) => JSON.parse(e.dataset.values));
  const weeklyApi = await api('reports', { ...r, metric: 'avg_first_response_time', group_by: 'week', business_hours: true });
  check(same(weekly, weeklyApi.map((b) => (b.count === 0 ? null : b.value))), 'weekly business-hours first response chart');
  const bhSummary = await api('reports/summary', { ...r, business_hours: true });
  const bhShown = await values('[data-summary=account] .card .num');
  check(same(bhShown.find((v) => v.metric === 'avg_first_response_time').value, bhSummary.avg_first_response_time), 'business-hours summary');
  await page.select('#group-by', 'day');
  await page.click('#business-hours');
  await ready('overview');

  // ---- entity tables, sorting, a row's charts
  const entities = [['agents', 'reports/agents', {}], ['inboxes', 'reports/inboxes', { format: 'json' }],
    ['teams', 'reports/teams', { format: 'json' }], ['labels', 'reports/labels', { format: 'json' }]];
  for (const [kind, route, extra] of entities) {
    await open(`#/${kind}`, kind);
    const rows = await api(route, { ...r, ...extra });
    const table = await page.$$eval(`[data-table=${kind}] tbody tr`, (trs) => trs.map((tr) => ({ id: tr.dataset.id,
      cells: [...tr.querySelectorAll('span.num')].map((e) => ({ metric: e.dataset.metric, value: JSON.parse(e.dataset.value), text: e.textContent })) })));
    check(table.length === rows.length && rows.length > 0, `${kind}: ${table.length} rows shown, API ${rows.length}`);
    for (const row of table) {
      const a = rows.find((x) => String(x.id) === row.id);
      for (const c of row.cells) {
        check(a && same(c.value, a[c.metric]), `${kind} ${row.id} ${c.metric}: ${c.value} vs ${a && a[c.metric]}`);
        if (c.metric.endsWith('_count')) check(countText(c), `${kind} ${row.id} ${c.metric} text`);
      }
    }
    // Sorting by conversations: descending first, then ascending.
    const conversations = async () => page.$$eval(`[data-table=${kind}] tbody tr`, (trs) => trs.map((tr) => JSON.parse(tr.querySelector('[data-metric=conversations_count]').dataset.value)));
    const [, convHeader] = await page.$$(`[data-table=${kind}] th button`);
    await convHeader.click();
    const desc = await conversations();
    check(same(desc, [...desc].sort((x, y) => y - x)), `${kind} sorted by conversations, descending`);
    await convHeader.click();
    const asc = await conversations();
    check(same(asc, [...asc].sort((x, y) => x - y)), `${kind} sorted by conversations, ascending`);
    await shot(kind);
    // The CSV download: the file the page saves is the API's CSV for the same range.
    // (The saved blob is read where the page makes it: the page's policy forbids fetching blob: URLs.)
    await page.evaluate(() => {
      window.__downloads = [];
      const blobs = new Map();
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => { const u = create(blob); blobs.set(u, blob); return u; };
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function capture() {
        if (!this.download) return click.call(this);
        return blobs.get(this.href).text().then((text) => window.__downloads.push({ name: this.download, text }));
      };
    });
    await page.click('#csv');
    await page.waitForFunction(() => window.__downloads.length === 1, { timeout: 20000 });
    const saved = await page.evaluate(() => window.__downloads[0]);
    const csvApi = await fetch(`${BASE}/api/v2/accounts/${ACCOUNT}/${route}?${new URLSearchParams({ ...r, format: 'csv' })}`,
      { headers: { api_access_token: TOKEN } }).then((x) => x.text());
    check(saved.name === `${kind}.csv` && saved.text === csvApi && csvApi.startsWith('Reporting period'), `${kind}: the CSV download is the API's CSV`);
    // The first row opens that entity's summary and charts.
    const firstId = await page.$eval(`[data-table=${kind}] tbody tr`, (tr) => tr.dataset.id);
    await page.click(`[data-table=${kind}] tbody tr`);
    await page.waitForFunction((h, n) => document.body.dataset.route === h && document.body.dataset.ready === n, { timeout: 60000 }, `#/${kind}/${firstId}`, kind);
    const type = { agents: 'agent', inboxes: 'inbox', teams: 'team', labels: 'label' }[kind];
    const scoped = await api('reports/summary', { ...r, type, id: firstId });
    const scopedShown = await values(`[data-summary="${type}:${firstId}"] .card .num`);
    check(scopedShown.length === 7, `${kind} ${firstId}: 7 numbers`);
    for (const v of scopedShown) check(same(v.value, scoped[v.metric]), `${kind} ${firstId} ${v.metric}: ${v.value} vs ${scoped[v.metric]}`);
    const scopedChart = await page.$eval('[data-chart=conversations_count] canvas', (e) => JSON.parse(e.dataset.values));
    const scopedSeries = await api('reports', { ...r, metric: 'conversations_count', group_by: 'day', type, id: firstId });
    check(same(scopedChart, scopedSeries.map((b) => b.value)), `${kind} ${firstId} conversations chart`);
    if (kind === 'agents') await shot('agent');
  }

  // ---- heatmap
  await open('#/heatmap', 'heatmap');
  const cells = await api('reports/heatmap', r);
  const shownCells = await page.$$eval('[data-heatmap] td', (tds) => tds.map((td) => ({ dow: Number(td.dataset.dow), hour: Number(td.dataset.hour), value: JSON.parse(td.querySelector('.num').dataset.value) })));
  check(shownCells.length === 168, `heatmap: 168 cells (${shownCells.length})`);
  check(shownCells.every((c) => c.value === (cells.find((x) => x.dow === c.dow && x.hour === c.hour)?.count ?? 0)), 'heatmap cells equal the API (in the browser zone)');
  await shot('heatmap');

  // ---- first-response distribution
  await open('#/first-response', 'first-response');
  const dist = await api('reports/response_time_distribution', { since: r.since, until: r.until });
  const shownDist = await page.$$eval('[data-distribution] td[data-bucket]', (tds) => tds.map((td) => ({ bucket: td.dataset.bucket, count: JSON.parse(td.querySelector('.num').dataset.value) })));
  check(same(shownDist, dist), 'first-response buckets');
  await shot('first-response');

  // ---- CSAT: metrics, ratings, by agent, the responses and a filter
  await open('#/csat', 'csat');
  const csat = await api('reports/csat', { since: r.since, until: r.until });
  for (const v of await values('[data-summary=csat] .card .num')) check(same(v.value, csat[v.metric]), `csat ${v.metric}: ${v.value} vs ${csat[v.metric]}`);
  const ratings = await page.$eval('[data-chart=ratings] canvas', (e) => JSON.parse(e.dataset.values));
  check(same(ratings, ['1', '2', '3', '4', '5'].map((k) => csat.ratings_count[k])), 'csat ratings chart');
  const byAgent = await page.$$eval('[data-table=csat_agents] tbody tr', (trs) => trs.map((tr) => tr.dataset.id));
  check(same(byAgent, csat.by_agent.map((a) => String(a.agent_id))), 'csat agents table');
  const responses = await api('v1:csat_survey_responses', { since: r.since, until: r.until, page: 1 });
  const shownResponses = async () => page.$$eval('[data-table=csat_responses] tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.id)));
  check(same(await shownResponses(), responses.map((x) => x.id)), 'csat responses, page 1');
  await shot('csat');
  await page.select('[data-table=csat_responses] select[name=rating]', '1');
  await page.waitForFunction(() => !document.querySelector('[data-table=csat_responses] .loading'));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-table=csat_responses] tbody [data-metric=rating]')].every((e) => e.dataset.value === '1'), { timeout: 20000 });
  const ones = await api('v1:csat_survey_responses', { since: r.since, until: r.until, page: 1, 'rating[]': 1 });
  check(same(await shownResponses(), ones.map((x) => x.id)), 'csat responses filtered by rating 1');

  // ---- bot
  await open('#/bot', 'bot');
  const bot = await api('reports/bot_metrics', { since: r.since, until: r.until });
  for (const v of await values('[data-summary=bot_metrics] .card .num')) check(same(v.value, bot[v.metric]), `bot ${v.metric}`);
  const botSummary = await api('reports/bot_summary', { since: r.since, until: r.until });
  const botShown = await values('[data-summary=bot_summary] .card .num');
  check(botShown.length === 2 && botShown.every((v) => same(v.value, botSummary[v.metric])), 'bot summary');
  await shot('bot');

  // ---- live, refreshed (1 s here: sr.liveIntervalMs)
  await page.evaluate(() => sessionStorage.setItem('sr.liveIntervalMs', '1000'));
  await page.reload({ waitUntil: 'load' });
  await ready('bot');
  await open('#/live', 'live');
  const live = await api('reports/live');
  const liveShown = await values('[data-summary=live] .card .num');
  check(liveShown.length === 7 && liveShown.every((v) => same(v.value, live[v.metric])), 'live numbers');
  await page.waitForFunction(() => Number(document.getElementById('live-updated').dataset.refreshes) >= 3, { timeout: 15000 });
  check(true, 'live refreshes by itself');
  await shot('live');
  await page.evaluate(() => sessionStorage.removeItem('sr.liveIntervalMs'));

  // ---- an empty range: zeros where the API says zero, "—" (null) for averages, never a wrong zero
  await page.select('#range', 'custom');
  await page.$eval('#from', (e) => { e.value = '2001-01-01'; e.dispatchEvent(new Event('change')); });
  await page.$eval('#to', (e) => { e.value = '2001-01-07'; e.dispatchEvent(new Event('change')); });
  await open('#/overview', 'overview');
  r = await range();
  const empty = await values('[data-summary=account] .card .num');
  const emptyApi = await api('reports/summary', r);
  check(empty.every((v) => same(v.value, emptyApi[v.metric])), 'empty range numbers equal the API');
  check(empty.filter((v) => v.metric.startsWith('avg')).every((v) => v.value === null && v.text === '—'), 'empty range averages show —');
  check(await page.$('[data-summary=account] .empty') !== null, 'empty range says so');
  await open('#/heatmap', 'heatmap');
  check(await page.$('[data-heatmap][data-empty=true]') !== null, 'empty heatmap says so');
  await page.select('#range', '30');
  await ready('heatmap');

  // ---- an answer the API refuses is shown as that error, with no number: hourly buckets over
  // years are more than --max-buckets (10000), so every chart is refused; the summary is not.
  allowed401 = true;
  const allowedBefore = consoleErrors.length;
  await open('#/overview', 'overview');
  await page.select('#range', 'custom');
  await ready('overview');
  await page.$eval('#to', (e) => { e.value = new Date().toISOString().slice(0, 10); e.dispatchEvent(new Event('change')); });
  await ready('overview');
  await page.$eval('#from', (e) => { e.value = '2020-01-01'; e.dispatchEvent(new Event('change')); });
  await ready('overview');
  await page.select('#group-by', 'hour');
  await ready('overview');
  r = await range();
  const refused = await page.$$eval('#page [data-chart][data-error]', (els) => els.map((e) => e.dataset.error));
  check(refused.length === 7 && refused.every((e) => /bucket/i.test(e)), `too many buckets: 7 charts show the API's error (${refused[0]})`);
  check((await page.$$('#page [data-chart] canvas')).length === 0, 'too many buckets: no chart is drawn');
  const longSummary = await api('reports/summary', r);
  const longShown = await values('[data-summary=account] .card .num');
  check(longShown.length === 7 && longShown.every((v) => same(v.value, longSummary[v.metric])), 'too many buckets: the summary still shows the API\'s numbers');
  const refusals = consoleErrors.splice(allowedBefore);
  check(refusals.length > 0 && refusals.every((m) => /422/.test(m)), `only the expected 422s: ${refusals.join(' | ')}`);
  allowed401 = false;
  await page.select('#group-by', 'day');
  await ready('overview');
  await page.select('#range', '30');
  await ready('overview');

  // ---- a revoked token signs out with a message instead of showing zeros
  allowed401 = true;
  await page.evaluate(() => sessionStorage.setItem('sr.session', JSON.stringify({ account: '1', token: 'revoked' })));
  await page.evaluate(() => { location.hash = '#/agents'; });
  await ready('signin');
  check(/Signed out/.test(await page.$eval('#signin-error', (e) => e.textContent)), 'a revoked token is signed out with a message');
  allowed401 = false;

  // ---- what the page sent
  const apiRequests = requests.filter((u) => u.includes('/api/'));
  check(apiRequests.every((u) => !u.includes(TOKEN) && !u.includes('not-a-token')), 'no token in any URL');
  check(apiRequests.every((u) => !u.includes('timezone_offset')), 'no timezone_offset is sent');
  check(apiRequests.filter((u) => u.includes('timezone=')).every((u) => u.includes(`timezone=${encodeURIComponent(ZONE)}`)), 'every zone sent is the browser\'s IANA zone');
  check(consoleErrors.length === 0, `no console errors: ${consoleErrors.join(' | ')}`);
} catch (e) {
  check(false, `unexpected: ${e.stack || e}; console errors: ${consoleErrors.join(" | ")}`);
} finally {
  await browser.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

console.log('time to data (page, wall ms, page ms):');
for (const [p, wall, ms] of timings) console.log(`  ${p.padEnd(24)} ${String(wall).padStart(6)} ${String(ms).padStart(6)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
