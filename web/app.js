// The dashboard: every number on it comes from reports-server's API; the page only formats them
// (and shows the change against the previous period that the summary route returns). The API
// token lives in sessionStorage, never in a URL; the zone sent is an IANA name, never an offset.
// Each page sets <body data-ready="PAGE"> once all its requests have settled (the browser test
// waits for it), and every shown number carries its raw API value in data-value.

const SESSION_KEY = 'sr.session';
const VIEW_KEY = 'sr.view';
const LIVE_INTERVAL_MS = Number(sessionStorage.getItem('sr.liveIntervalMs')) || 30000;

// ---- session and API ---------------------------------------------------------------------------

const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(SESSION_KEY)); } catch { return null; }
  },
  set(account, token) { sessionStorage.setItem(SESSION_KEY, JSON.stringify({ account, token })); },
  clear() { sessionStorage.removeItem(SESSION_KEY); },
};

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(`${k}[]`, x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// GET an account route ("reports/summary", or "v1:csat_survey_responses" for /api/v1).
async function request(route, params = {}, { as = 'json', credentials = session.get() } = {}) {
  if (!credentials) throw new ApiError(401, 'not signed in');
  const [version, path] = route.startsWith('v1:') ? ['v1', route.slice(3)] : ['v2', route];
  const url = `/api/${version}/accounts/${encodeURIComponent(credentials.account)}/${path}${query(params)}`;
  let response;
  try {
    response = await fetch(url, { headers: { api_access_token: credentials.token } });
  } catch (e) {
    throw new ApiError(0, `the server cannot be reached (${e.message})`);
  }
  const text = await response.text();
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      const body = JSON.parse(text);
      message = body.message || body.error || (body.errors && body.errors.join('; ')) || message;
    } catch { /* not JSON: keep the status */ }
    throw new ApiError(response.status, message);
  }
  if (as === 'text') return text;
  return JSON.parse(text);
}

// ---- time ranges in the chosen zone ------------------------------------------------------------

// The zone's offset from UTC (seconds) at an instant.
function zoneOffset(epochMs, tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const f = Object.fromEntries(parts.map((p) => [p.type, Number(p.value)]));
  return (Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(epochMs / 1000) * 1000) / 1000;
}

// Unix seconds of 00:00 of a civil date in the zone (DST days included: the offset is taken at
// the instant itself, twice, which settles for every real zone).
function zoneMidnight(y, m, d, tz) {
  let t = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 2; i++) t = Date.UTC(y, m - 1, d) - zoneOffset(t, tz) * 1000;
  return Math.round(t / 1000);
}

function civilToday(tz) {
  const s = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date());  // YYYY-MM-DD
  return s.split('-').map(Number);
}

function addDays([y, m, d], n) {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

const iso = ([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

// since = the first day's midnight, until = the midnight after the last day (exclusive).
function currentRange(view) {
  let first; let last;
  if (view.range === 'custom' && view.from && view.to) {
    first = view.from.split('-').map(Number);
    last = view.to.split('-').map(Number);
  } else {
    last = civilToday(view.tz);
    first = addDays(last, -(Number(view.range === 'custom' ? 30 : view.range) - 1));
  }
  const next = addDays(last, 1);
  return { since: zoneMidnight(...first, view.tz), until: zoneMidnight(...next, view.tz), first: iso(first), last: iso(last) };
}

// ---- view state (range, group_by, zone, business hours) -----------------------------------------

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const view = Object.assign({ range: '30', from: '', to: '', groupBy: 'day', tz: browserZone, businessHours: false },
  JSON.parse(sessionStorage.getItem(VIEW_KEY) || '{}'));

// A zone kept from an earlier visit that this browser does not know falls back to its own.
try { new Intl.DateTimeFormat('en-US', { timeZone: view.tz }); } catch { view.tz = browserZone; }

function rangeParams() {
  const r = currentRange(view);
  return { since: r.since, until: r.until, timezone: view.tz };
}

// ---- formatting ----------------------------------------------------------------------------------

const countFormat = new Intl.NumberFormat('en-US');

function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86400); const h = Math.floor((s % 86400) / 3600); const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

function formatValue(value, kind) {
  if (value === null || value === undefined) return '—';
  if (kind === 'duration') return formatDuration(value);
  if (kind === 'percent') return `${(Math.round(value * 10) / 10).toFixed(1)}%`;
  if (kind === 'rating') return (Math.round(value * 100) / 100).toFixed(2);
  return countFormat.format(value);
}

function bucketLabel(ts, groupBy) {
  const opts = { timeZone: view.tz };
  if (groupBy === 'hour') Object.assign(opts, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  else if (groupBy === 'month') Object.assign(opts, { month: 'short', year: 'numeric' });
  else Object.assign(opts, { day: 'numeric', month: 'short' });
  const text = new Intl.DateTimeFormat('en-GB', opts).format(new Date(ts * 1000));
  return groupBy === 'week' ? `wk ${text}` : text;
}

// ---- DOM helpers ---------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

// A number as shown, with its API value (JSON) in data-value and its name in data-metric.
function number(value, kind, metric) {
  return el('span', { class: 'num', dataset: { metric, value: JSON.stringify(value ?? null) },
    title: value === null || value === undefined ? 'no data in this range' : undefined }, formatValue(value, kind));
}

// A box that shows a spinner, then its content, an empty-state message or the error.
function panel(title, cls = 'panel') {
  const body = el('div', { class: 'panel-body' });
  const root = el('section', { class: cls }, title ? el('h3', {}, title) : null, body);
  const state = (cls2, ...content) => { body.replaceChildren(el('div', { class: `state ${cls2}` }, ...content)); };
  return {
    root,
    body,
    loading() { state('loading', el('span', { class: 'spinner' }), 'Loading…'); },
    error(e) { state('error', `Could not load: ${e.message}`); root.dataset.error = e.message; },
    empty(message) { state('empty', message); root.dataset.empty = 'true'; },
    show(...content) { body.replaceChildren(...content.filter((c) => c !== null && c !== undefined)); },
  };
}

// Runs `load` with the panel showing a spinner; an error is shown in the panel (a 401 signs out).
async function fill(p, load) {
  p.loading();
  try {
    await load();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { signOut(`Signed out: ${e.message}`); return; }
    p.error(e);
  }
}

const charts = new Set();
function chart(container, config, data) {
  const canvas = el('canvas', { dataset: { values: JSON.stringify(data.values), labels: JSON.stringify(data.keys) } });
  container.replaceChildren(el('div', { class: 'chart-box' }, canvas));
  // eslint-disable-next-line no-undef
  const c = new Chart(canvas, {
    type: config.type || 'bar',
    data: { labels: data.labels, datasets: [{ label: config.label, data: data.values, backgroundColor: '#1f6febb0', borderColor: '#1f6feb' }] },
    options: {
      animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: config.kind === 'duration' ? { callback: (v) => formatDuration(v) } : {} } },
    },
  });
  charts.add(c);
  return c;
}

// ---- metrics -------------------------------------------------------------------------------------

const METRICS = [
  { key: 'conversations_count', label: 'Conversations', kind: 'count' },
  { key: 'incoming_messages_count', label: 'Incoming messages', kind: 'count' },
  { key: 'outgoing_messages_count', label: 'Outgoing messages', kind: 'count' },
  { key: 'avg_first_response_time', label: 'First response time', kind: 'duration', lowerIsBetter: true },
  { key: 'avg_resolution_time', label: 'Resolution time', kind: 'duration', lowerIsBetter: true },
  { key: 'resolutions_count', label: 'Resolutions', kind: 'count' },
  { key: 'reply_time', label: 'Reply time', kind: 'duration', lowerIsBetter: true },
];

function change(current, previous, lowerIsBetter) {
  if (current === null || previous === null || previous === undefined || previous === 0) {
    return el('span', { class: 'change muted', dataset: { previous: JSON.stringify(previous ?? null) } },
      previous === 0 || previous === null ? 'no previous data' : '');
  }
  const pct = ((current - previous) / previous) * 100;
  const better = lowerIsBetter ? pct < 0 : pct > 0;
  return el('span', { class: `change ${pct === 0 ? '' : better ? 'up' : 'down'}`, dataset: { previous: JSON.stringify(previous) } },
    `${pct > 0 ? '+' : ''}${pct.toFixed(1)}% vs previous period`);
}

function summaryCards(summary, metrics) {
  return el('div', { class: 'cards' }, metrics.map((m) => el('div', { class: 'card' },
    el('div', { class: 'label' }, m.label),
    el('div', { class: 'value' }, number(summary[m.key], m.kind, m.key)),
    summary.previous ? change(summary[m.key], summary.previous[m.key], m.lowerIsBetter) : null)));
}

// One chart per metric of `/reports`, for a scope (type/id) or the account.
function metricCharts(metrics, scope = {}) {
  const grid = el('div', { class: 'charts' });
  const loads = metrics.map((m) => {
    const p = panel(m.label);
    p.root.dataset.chart = m.key;
    grid.append(p.root);
    return fill(p, async () => {
      const series = await request('reports', { ...rangeParams(), metric: m.key, group_by: view.groupBy,
        business_hours: view.businessHours || undefined, ...scope });
      if (series.length === 0) { p.empty('No buckets in this range.'); return; }
      // An average's empty bucket is the integer 0 with count 0 (Chatwoot's shape): drawn as a
      // gap, not as an instant answer.
      const values = series.map((b) => (m.kind === 'duration' && b.count === 0 ? null : b.value));
      const box = el('div');
      p.show(box, values.every((v) => !v) ? el('div', { class: 'state empty' }, 'No data in this range.') : null);
      chart(box, { label: m.label, kind: m.kind, type: m.kind === 'duration' ? 'line' : 'bar' },
        { labels: series.map((b) => bucketLabel(b.timestamp, view.groupBy)), values, keys: series.map((b) => b.timestamp) });
    });
  });
  return { root: grid, done: Promise.all(loads) };
}

// ---- pages ---------------------------------------------------------------------------------------

async function overviewPage(page) {
  page.append(el('h2', {}, 'Overview'));
  const p = panel(null, 'summary');
  p.root.dataset.summary = 'account';
  page.append(p.root);
  const charts2 = metricCharts(METRICS);
  page.append(charts2.root);
  await Promise.all([fill(p, async () => {
    const s = await request('reports/summary', { ...rangeParams(), business_hours: view.businessHours || undefined });
    p.show(summaryCards(s, METRICS),
      s.conversations_count === 0 ? el('p', { class: 'state empty' }, 'No conversations in this range.') : null);
  }), charts2.done]);
}

const ENTITIES = {
  agents: { title: 'Agents', route: 'reports/agents', params: { format: 'json' }, type: 'agent', name: 'name',
    columns: [['conversations_count', 'Conversations', 'count'], ['resolved_conversations_count', 'Resolved', 'count'],
      ['avg_first_response_time', 'First response', 'duration'], ['avg_resolution_time', 'Resolution', 'duration'],
      ['avg_reply_time', 'Reply time', 'duration'], ['outgoing_messages_count', 'Outgoing', 'count']] },
  inboxes: { title: 'Inboxes', route: 'reports/inboxes', params: { format: 'json' }, type: 'inbox', name: 'name',
    columns: [['conversations_count', 'Conversations', 'count'], ['resolved_conversations_count', 'Resolved', 'count'],
      ['avg_first_response_time', 'First response', 'duration'], ['avg_resolution_time', 'Resolution', 'duration'],
      ['avg_reply_time', 'Reply time', 'duration'], ['incoming_messages_count', 'Incoming', 'count'],
      ['outgoing_messages_count', 'Outgoing', 'count']] },
  teams: { title: 'Teams', route: 'reports/teams', params: { format: 'json' }, type: 'team', name: 'name',
    columns: [['conversations_count', 'Conversations', 'count'], ['resolved_conversations_count', 'Resolved', 'count'],
      ['avg_first_response_time', 'First response', 'duration'], ['avg_resolution_time', 'Resolution', 'duration'],
      ['avg_reply_time', 'Reply time', 'duration']] },
  labels: { title: 'Labels', route: 'reports/labels', params: { format: 'json' }, type: 'label', name: 'title',
    columns: [['conversations_count', 'Conversations', 'count'], ['resolved_conversations_count', 'Resolved', 'count'],
      ['avg_first_response_time', 'First response', 'duration'], ['avg_resolution_time', 'Resolution', 'duration'],
      ['avg_reply_time', 'Reply time', 'duration']] },
};

// A table sortable by any column; `onRow` makes rows open something.
function sortableTable(columns, rows, { key = (r) => r.id, onRow } = {}) {
  let sort = { index: -1, dir: 1 };
  const tbody = el('tbody');
  const head = el('tr');
  const render = () => {
    const sorted = [...rows];
    if (sort.index >= 0) {
      const c = columns[sort.index];
      sorted.sort((a, b) => {
        const x = c.get(a); const y = c.get(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;  // no data last, whichever direction
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * sort.dir;
      });
    }
    tbody.replaceChildren(...sorted.map((r) => el('tr', { class: onRow ? 'row' : undefined, dataset: { id: key(r) },
      onclick: onRow ? () => onRow(r) : undefined },
    columns.map((c) => el('td', { class: c.kind === 'text' ? undefined : 'num' },
      c.kind === 'text' ? (c.get(r) ?? '') : number(c.get(r), c.kind, c.metric))))));
    [...head.children].forEach((th, i) => th.setAttribute('aria-sort', i === sort.index ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'));
  };
  columns.forEach((c, i) => head.append(el('th', { class: c.kind === 'text' ? undefined : 'num' },
    el('button', { type: 'button', onclick: () => { sort = { index: i, dir: sort.index === i ? -sort.dir : (c.kind === 'text' ? 1 : -1) }; render(); } }, c.label))));
  render();
  return el('table', {}, el('thead', {}, head), tbody);
}

async function downloadCsv(route, filename) {
  const csv = await request(route, { ...rangeParams(), format: 'csv', business_hours: view.businessHours || undefined }, { as: 'text' });
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function entityPage(page, kind, id) {
  const e = ENTITIES[kind];
  if (id !== undefined) return entityDetail(page, e, kind, id);
  const status = el('span', { class: 'muted' });
  page.append(el('h2', {}, e.title), el('div', { class: 'toolbar' },
    el('button', { type: 'button', id: 'csv', onclick: async () => {
      status.textContent = 'Preparing CSV…';
      try { await downloadCsv(e.route, `${kind}.csv`); status.textContent = ''; } catch (err) { status.textContent = `CSV failed: ${err.message}`; }
    } }, 'Download CSV'), status,
    el('span', { class: 'muted' }, 'Click a column to sort, a row for its charts.')));
  const p = panel(null);
  p.root.dataset.table = kind;
  page.append(p.root);
  await fill(p, async () => {
    const rows = await request(e.route, { ...rangeParams(), ...e.params, business_hours: view.businessHours || undefined });
    if (rows.length === 0) { p.empty(`No ${kind} in this account.`); return; }
    const columns = [{ label: 'Name', kind: 'text', get: (r) => r[e.name] },
      ...e.columns.map(([k, label, k2]) => ({ label, kind: k2, metric: k, get: (r) => r[k] }))];
    p.show(sortableTable(columns, rows, { onRow: (r) => { location.hash = `#/${kind}/${r.id}`; } }));
  });
}

async function entityDetail(page, e, kind, id) {
  const title = el('span', {}, `${e.title.replace(/s$/, '')} ${id}`);
  page.append(el('h2', {}, el('a', { href: `#/${kind}` }, e.title), ' › ', title));
  const p = panel(null, 'summary');
  p.root.dataset.summary = `${e.type}:${id}`;
  page.append(p.root);
  const scope = { type: e.type, id };
  const chartsGrid = metricCharts(METRICS, scope);
  page.append(chartsGrid.root);
  await Promise.all([fill(p, async () => {
    const [s, rows] = await Promise.all([
      request('reports/summary', { ...rangeParams(), ...scope, business_hours: view.businessHours || undefined }),
      request(e.route, { ...rangeParams(), ...e.params }),
    ]);
    const row = rows.find((r) => String(r.id) === String(id));
    if (row) title.textContent = row[e.name];
    p.show(summaryCards(s, METRICS));
  }), chartsGrid.done]);
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

async function heatmapPage(page) {
  page.append(el('h2', {}, 'Conversation traffic'), el('p', { class: 'muted' }, `Conversations created, by day of week and hour in ${view.tz}.`));
  const p = panel(null);
  p.root.dataset.heatmap = 'conversations';
  page.append(p.root);
  await fill(p, async () => {
    const cells = await request('reports/heatmap', rangeParams());
    const max = Math.max(0, ...cells.map((c) => c.count));
    if (max === 0) { p.empty('No conversations in this range.'); return; }
    const byKey = new Map(cells.map((c) => [`${c.dow}:${c.hour}`, c.count]));
    const hours = [...Array(24).keys()];
    p.show(el('table', { class: 'heatmap' },
      el('thead', {}, el('tr', {}, el('th', {}, ''), hours.map((h) => el('th', {}, String(h))))),
      el('tbody', {}, DAYS.map((day, dow) => el('tr', {}, el('th', {}, day.slice(0, 3)), hours.map((h) => {
        const n = byKey.get(`${dow}:${h}`) ?? 0;
        const td = el('td', { dataset: { dow, hour: h }, title: `${day} ${h}:00 — ${n}` }, number(n, 'count', 'heatmap'));
        td.style.background = `rgba(31, 111, 235, ${(n / max).toFixed(3)})`;
        if (n / max > 0.55) td.style.color = '#fff';
        return td;
      }))))));
  });
}

async function firstResponsePage(page) {
  page.append(el('h2', {}, 'First response time distribution'));
  const p = panel('Conversations by first response time');
  p.root.dataset.distribution = 'first_response';
  page.append(p.root);
  await fill(p, async () => {
    const buckets = await request('reports/response_time_distribution', { since: rangeParams().since, until: rangeParams().until });
    if (buckets.every((b) => b.count === 0)) { p.empty('No first responses in this range.'); return; }
    const box = el('div');
    p.show(box, el('table', {}, el('tbody', {}, buckets.map((b) => el('tr', {}, el('td', {}, b.bucket),
      el('td', { class: 'num', dataset: { bucket: b.bucket } }, number(b.count, 'count', 'distribution')))))));
    chart(box, { label: 'Conversations' }, { labels: buckets.map((b) => b.bucket), values: buckets.map((b) => b.count), keys: buckets.map((b) => b.bucket) });
  });
}

const CSAT_METRICS = [
  { key: 'satisfaction_score', label: 'Satisfaction score', kind: 'percent' },
  { key: 'average_rating', label: 'Average rating', kind: 'rating' },
  { key: 'response_rate', label: 'Response rate', kind: 'percent' },
  { key: 'total_count', label: 'Responses', kind: 'count' },
  { key: 'total_sent_messages_count', label: 'Surveys sent', kind: 'count' },
];

async function csatPage(page) {
  page.append(el('h2', {}, 'Customer satisfaction'));
  const metricsPanel = panel(null, 'summary');
  metricsPanel.root.dataset.summary = 'csat';
  const ratingsPanel = panel('Ratings');
  ratingsPanel.root.dataset.chart = 'ratings';
  const agentsPanel = panel('By agent');
  agentsPanel.root.dataset.table = 'csat_agents';
  const responsesPanel = panel('Responses');
  responsesPanel.root.dataset.table = 'csat_responses';
  page.append(metricsPanel.root, el('div', { class: 'charts' }, ratingsPanel.root, agentsPanel.root), responsesPanel.root);

  const filters = { rating: '', user: '', inbox: '', team: '', page: 1 };
  const filterBar = el('div', { class: 'toolbar' });
  const list = el('div');
  const loadResponses = () => fill({ ...responsesPanel, show: (...c) => list.replaceChildren(...c),
    loading: () => list.replaceChildren(el('div', { class: 'state loading' }, el('span', { class: 'spinner' }), 'Loading…')),
    error: (e) => list.replaceChildren(el('div', { class: 'state error' }, `Could not load: ${e.message}`)) }, async () => {
    const r = rangeParams();
    const rows = await request('v1:csat_survey_responses', { since: r.since, until: r.until, page: filters.page,
      'rating': filters.rating ? [filters.rating] : undefined, user_ids: filters.user ? [filters.user] : undefined,
      inbox_id: filters.inbox || undefined, team_id: filters.team || undefined });
    const pager = el('div', { class: 'toolbar' },
      el('button', { type: 'button', disabled: filters.page <= 1, onclick: () => { filters.page -= 1; loadResponses(); } }, '‹ Newer'),
      el('span', { class: 'muted' }, `Page ${filters.page}`),
      el('button', { type: 'button', disabled: rows.length < 25, onclick: () => { filters.page += 1; loadResponses(); } }, 'Older ›'));
    if (rows.length === 0) { list.replaceChildren(el('div', { class: 'state empty' }, 'No responses match.'), pager); return; }
    list.replaceChildren(el('table', {}, el('thead', {}, el('tr', {}, ['Date', 'Rating', 'Contact', 'Agent', 'Feedback'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((x) => el('tr', { dataset: { id: x.id } },
        el('td', {}, new Intl.DateTimeFormat('en-GB', { timeZone: view.tz, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(x.created_at * 1000))),
        el('td', { class: 'num' }, number(x.rating, 'count', 'rating')),
        el('td', {}, x.contact ? x.contact.name : ''), el('td', {}, x.assigned_agent ? x.assigned_agent.name : '—'),
        el('td', {}, x.feedback_message || ''))))), pager);
  });

  const select = (name, label, options) => el('label', {}, label, el('select', { name, onchange: (ev) => { filters[name] = ev.target.value; filters.page = 1; loadResponses(); } },
    el('option', { value: '' }, 'All'), options.map(([v, t]) => el('option', { value: v }, t))));

  await Promise.all([
    // One answer feeds three panels; each shows the error itself when it fails.
    ...(() => {
      const csat = request('reports/csat', { since: rangeParams().since, until: rangeParams().until });
      return [
        fill(metricsPanel, async () => {
          const m = await csat;
          metricsPanel.show(summaryCards(m, CSAT_METRICS), m.total_count === 0 ? el('p', { class: 'state empty' }, 'No ratings in this range.') : null);
        }),
        fill(ratingsPanel, async () => {
          const m = await csat;
          if (m.total_count === 0) { ratingsPanel.empty('No ratings in this range.'); return; }
          const ratings = ['1', '2', '3', '4', '5'];
          const box = el('div');
          ratingsPanel.show(box);
          chart(box, { label: 'Responses' }, { labels: ratings.map((r) => `${r} ★`), values: ratings.map((r) => m.ratings_count[r] ?? 0), keys: ratings });
        }),
        fill(agentsPanel, async () => {
          const m = await csat;
          if (m.by_agent.length === 0) { agentsPanel.empty('No rated agents in this range.'); return; }
          agentsPanel.show(sortableTable([
            { label: 'Agent', kind: 'text', get: (r) => r.agent_name ?? '(no agent)' },
            { label: 'Responses', kind: 'count', metric: 'total_count', get: (r) => r.total_count },
            { label: 'Score', kind: 'percent', metric: 'satisfaction_score', get: (r) => r.satisfaction_score },
            { label: 'Average', kind: 'rating', metric: 'average_rating', get: (r) => r.average_rating },
          ], m.by_agent, { key: (r) => r.agent_id }));
        }),
      ];
    })(),
    fill(responsesPanel, async () => {
      const r = rangeParams();
      const [agents, inboxes, teams] = await Promise.all([
        request('reports/agents', { ...r, format: 'json' }), request('reports/inboxes', { ...r, format: 'json' }),
        request('reports/teams', { ...r, format: 'json' })]);
      filterBar.replaceChildren(
        select('rating', 'Rating', [1, 2, 3, 4, 5].map((n) => [n, `${n} ★`])),
        select('user', 'Agent', agents.map((a) => [a.id, a.name])),
        select('inbox', 'Inbox', inboxes.map((a) => [a.id, a.name])),
        select('team', 'Team', teams.map((a) => [a.id, a.name])));
      responsesPanel.show(filterBar, list);
      await loadResponses();
    }),
  ]);
}

const BOT_METRICS = [
  { key: 'conversation_count', label: 'Bot conversations', kind: 'count' },
  { key: 'message_count', label: 'Bot messages', kind: 'count' },
  { key: 'resolution_rate', label: 'Resolution rate', kind: 'percent' },
  { key: 'handoff_rate', label: 'Handoff rate', kind: 'percent' },
];
const BOT_SERIES = [
  { key: 'bot_resolutions_count', label: 'Bot resolutions', kind: 'count' },
  { key: 'bot_handoffs_count', label: 'Bot handoffs', kind: 'count' },
];

async function botPage(page) {
  page.append(el('h2', {}, 'Bot'));
  const metricsPanel = panel(null, 'summary');
  metricsPanel.root.dataset.summary = 'bot_metrics';
  const summaryPanel = panel(null, 'summary');
  summaryPanel.root.dataset.summary = 'bot_summary';
  const series = metricCharts(BOT_SERIES);
  page.append(metricsPanel.root, summaryPanel.root, series.root);
  const r = rangeParams();
  await Promise.all([
    fill(metricsPanel, async () => {
      const m = await request('reports/bot_metrics', { since: r.since, until: r.until });
      metricsPanel.show(summaryCards(m, BOT_METRICS), m.conversation_count === 0 ? el('p', { class: 'state empty' }, 'No bot conversations in this range.') : null);
    }),
    fill(summaryPanel, async () => {
      summaryPanel.show(summaryCards(await request('reports/bot_summary', { since: r.since, until: r.until }), BOT_SERIES));
    }),
    series.done,
  ]);
}

const LIVE_METRICS = [
  { key: 'open_conversations', label: 'Open', kind: 'count' },
  { key: 'unattended_conversations', label: 'Unattended', kind: 'count' },
  { key: 'unassigned_conversations', label: 'Unassigned', kind: 'count' },
  { key: 'pending_conversations', label: 'Pending', kind: 'count' },
];
const AVAILABILITY = [
  { key: 'agents_online', label: 'Agents online', kind: 'count' },
  { key: 'agents_busy', label: 'Agents busy', kind: 'count' },
  { key: 'agents_offline', label: 'Agents offline', kind: 'count' },
];

let liveTimer = null;
async function livePage(page) {
  const updated = el('span', { class: 'muted', id: 'live-updated', dataset: { refreshes: '0' } });
  page.append(el('h2', {}, 'Live ', updated));
  const p = panel(null, 'summary');
  p.root.dataset.summary = 'live';
  page.append(p.root);
  let refreshes = 0;
  const load = async (first) => {
    try {
      const live = await request('reports/live');
      p.show(el('h3', {}, 'Conversations now'), summaryCards(live, LIVE_METRICS), el('h3', {}, 'Agents by availability'), summaryCards(live, AVAILABILITY));
      refreshes += 1;
      updated.dataset.refreshes = String(refreshes);
      updated.textContent = `updated ${new Intl.DateTimeFormat('en-GB', { timeZone: view.tz, timeStyle: 'medium' }).format(new Date())}, every ${LIVE_INTERVAL_MS / 1000} s`;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { signOut(`Signed out: ${e.message}`); return; }
      // A failed refresh keeps the last numbers and says so; a failed first load shows the error.
      if (first) p.error(e);
      else updated.textContent = `refresh failed (${e.message}); showing the last answer`;
    }
  };
  p.loading();
  await load(true);
  liveTimer = setInterval(() => load(false), LIVE_INTERVAL_MS);
}

// ---- routing and controls ------------------------------------------------------------------------

const PAGES = {
  overview: { render: overviewPage, groupBy: true },
  agents: { render: (p, id) => entityPage(p, 'agents', id), groupBy: true },
  inboxes: { render: (p, id) => entityPage(p, 'inboxes', id), groupBy: true },
  teams: { render: (p, id) => entityPage(p, 'teams', id), groupBy: true },
  labels: { render: (p, id) => entityPage(p, 'labels', id), groupBy: true },
  heatmap: { render: heatmapPage },
  'first-response': { render: firstResponsePage },
  csat: { render: csatPage },
  bot: { render: botPage, groupBy: true },
  live: { render: livePage, noRange: true },
};

let generation = 0;
async function render() {
  const [name, id] = (location.hash.replace(/^#\/?/, '') || 'overview').split('/');
  const entry = PAGES[name] || PAGES.overview;
  const pageName = PAGES[name] ? name : 'overview';
  const mine = ++generation;
  // The hash this render answers: location.hash changes at once on navigation, but hashchange (and
  // this render) comes a task later, so a reader must compare the hash the page was rendered for.
  const route = location.hash;
  clearInterval(liveTimer);
  charts.forEach((c) => c.destroy());
  charts.clear();
  document.body.dataset.ready = '';
  document.body.dataset.route = route;
  document.body.dataset.page = pageName;
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === `#/${pageName}`));
  document.getElementById('group-by').closest('label').hidden = !entry.groupBy;
  document.getElementById('controls').classList.toggle('live', !!entry.noRange);
  const r = currentRange(view);
  document.body.dataset.since = r.since;
  document.body.dataset.until = r.until;
  document.body.dataset.timezone = view.tz;
  document.getElementById('range-label').textContent = entry.noRange ? 'Live: the current state, not a range' : `${r.first} to ${r.last} (${view.tz})`;
  const page = el('div');
  document.getElementById('page').replaceChildren(page);
  const started = performance.now();
  await entry.render(page, id);
  if (mine === generation) {
    document.body.dataset.ready = pageName;
    document.body.dataset.loadMs = String(Math.round(performance.now() - started));
  }
}

function saveView() { sessionStorage.setItem(VIEW_KEY, JSON.stringify(view)); render(); }

function setupControls() {
  const tz = document.getElementById('timezone');
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const names = [...new Set([browserZone, 'UTC', ...zones, view.tz])];
  tz.replaceChildren(...names.map((z) => el('option', { value: z }, z === browserZone ? `${z} (this browser)` : z)));
  tz.value = view.tz;
  tz.onchange = () => { view.tz = tz.value; saveView(); };
  const range = document.getElementById('range');
  const custom = document.getElementById('custom-range');
  const from = document.getElementById('from');
  const to = document.getElementById('to');
  range.value = view.range;
  custom.hidden = view.range !== 'custom';
  range.onchange = () => {
    view.range = range.value;
    custom.hidden = view.range !== 'custom';
    if (view.range === 'custom' && !(view.from && view.to)) {
      const today = civilToday(view.tz);
      view.to = iso(today);
      view.from = iso(addDays(today, -29));
      from.value = view.from; to.value = view.to;
    }
    saveView();
  };
  from.value = view.from; to.value = view.to;
  const onDates = () => {
    if (!from.value || !to.value || from.value > to.value) return;  // the inputs keep what was typed
    view.from = from.value; view.to = to.value; saveView();
  };
  from.onchange = onDates; to.onchange = onDates;
  const groupBy = document.getElementById('group-by');
  groupBy.value = view.groupBy;
  groupBy.onchange = () => { view.groupBy = groupBy.value; saveView(); };
  const bh = document.getElementById('business-hours');
  bh.checked = view.businessHours;
  bh.onchange = () => { view.businessHours = bh.checked; saveView(); };
}

// ---- sign-in -------------------------------------------------------------------------------------

function showSignIn(message) {
  document.getElementById('app').hidden = true;
  document.getElementById('signin').hidden = false;
  const err = document.getElementById('signin-error');
  err.hidden = !message;
  err.textContent = message || '';
  document.body.dataset.ready = 'signin';
}

function signOut(message) {
  session.clear();
  clearInterval(liveTimer);
  // A page still rendering (its other panels settling after the 401) must not mark itself ready
  // over the sign-in form: it belongs to a generation that is over.
  generation++;
  showSignIn(message);
}

function showApp() {
  const s = session.get();
  document.getElementById('signin').hidden = true;
  document.getElementById('app').hidden = false;
  document.getElementById('who').textContent = `account ${s.account}`;
  render();
}

document.getElementById('signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const account = document.getElementById('signin-account').value.trim();
  const token = document.getElementById('signin-token').value.trim();
  if (!/^[0-9]+$/.test(account)) { showSignIn('The account id is a number, such as 1.'); return; }
  const button = ev.target.querySelector('button');
  button.disabled = true;
  try {
    // The cheapest route that checks the token and the account (an administrator's).
    await request('reports/live', {}, { credentials: { account, token } });
    session.set(account, token);
    document.getElementById('signin-token').value = '';
    showApp();
  } catch (e) {
    showSignIn(e.status === 401 || e.status === 404 ? `Sign-in refused: ${e.message}` : `Sign-in failed: ${e.message}`);
  } finally {
    button.disabled = false;
  }
});
document.getElementById('signout').addEventListener('click', () => signOut('Signed out.'));
window.addEventListener('hashchange', () => { if (session.get()) render(); });

setupControls();
if (session.get()) showApp(); else showSignIn();
