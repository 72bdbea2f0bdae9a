// rlhf4j feedback UI. All server text is inserted with textContent (never innerHTML), so it is always escaped.
'use strict';
const state = { me: null, csrf: null, project: null, item: null, key: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.csrf && method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = res.headers.get('Content-Type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Error((data && data.error) || ('HTTP ' + res.status));
  return data;
}

function show(view) {
  for (const v of ['login-view', 'projects-view', 'task-view', 'admin-view']) $(v).hidden = v !== view;
  $('error').textContent = '';
}
function fail(e) { $('error').textContent = e.message; }
function status(text) { $('status').textContent = text; }

function contentText(c) {
  if (typeof c === 'string') return c;
  return c.map((m) => m.role + ': ' + m.content).join('\n\n');
}

function newKey() {
  return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + '-' + Math.random().toString(36).slice(2));
}

async function start() {
  try {
    const me = await api('GET', '/api/me');
    loggedIn(me);
  } catch (e) {
    show('login-view');
  }
}

function loggedIn(me) {
  state.me = me; state.csrf = me.csrfToken;
  $('whoami').hidden = false;
  $('current-user').textContent = me.username + ' (' + me.role + ')';
  loadProjects().catch(fail);
}

async function loadKinds() {
  const kinds = await api('GET', '/api/task-kinds');
  $('project-kind').replaceChildren(...kinds.map((k) => el('option', { value: k.kind, text: k.description })));
}

async function loadProjects() {
  const projects = await api('GET', '/api/projects');
  const list = $('projects');
  list.replaceChildren();
  for (const p of projects) {
    const li = el('li', {}, el('span', { text: p.name + ' — ' + p.kind + ' ' }));
    const label = el('button', { type: 'button', id: 'label-' + p.id, text: 'Label' });
    label.addEventListener('click', () => openTask(p).catch(fail));
    li.append(label);
    if (state.me.role === 'admin') {
      const q = el('button', { type: 'button', id: 'quality-' + p.id, text: 'Quality' });
      q.addEventListener('click', () => openAdmin(p).catch(fail));
      li.append(' ', q);
    }
    list.append(li);
  }
  $('admin-tools').hidden = state.me.role !== 'admin';
  if (state.me.role === 'admin' && $('project-kind').options.length === 0) await loadKinds();
  show('projects-view');
}

async function openTask(p) {
  state.project = p;
  $('task-title').textContent = p.name;
  $('guidelines').textContent = p.guidelines || '(no guidelines yet)';
  $('guidelines-version').textContent = String(p.guidelinesVersion);
  show('task-view');
  await nextItem();
}

async function nextItem() {
  const item = await api('GET', '/api/projects/' + state.project.id + '/next');
  const task = $('task');
  task.replaceChildren();
  $('done').hidden = !item.done;
  if (item.done) { state.item = null; return; }
  state.item = item; state.key = newKey();
  task.append(el('h3', { text: 'Prompt' }), el('pre', { id: 'prompt', text: contentText(item.prompt) }));
  const responses = el('div', { class: 'responses' });
  item.responses.forEach((r, pos) => {
    responses.append(el('div', { class: 'response', 'data-position': String(pos) },
      el('h4', { text: 'Response ' + (pos + 1) }), el('pre', { class: 'response-text', id: 'response-' + pos, text: contentText(r.content) })));
  });
  task.append(responses);
  LABEL_CONTROLS[item.labelField](task, item);
}

function pairwiseControls(task, item) {
  const actions = el('div', { class: 'actions' });
  if (item.strengthLevels > 0) {
    const sel = el('select', { id: 'strength', 'aria-label': 'How much better' });
    for (let s = 1; s <= item.strengthLevels; s++) sel.append(el('option', { value: String(s), text: ['', 'slightly', 'clearly', 'much'][s] || String(s) }));
    actions.append(el('label', { text: 'How much better: ' }, sel));
  }
  const choose = (pos) => {
    const choice = pos === 'tie' ? 'TIE' : (item.responses[pos].index === 0 ? 'A' : 'B');
    const body = { choice };
    if (item.strengthLevels > 0 && choice !== 'TIE') body.strength = Number($('strength').value);
    submit(body);
  };
  const left = el('button', { type: 'button', id: 'choose-0', text: 'Response 1 is better' });
  left.addEventListener('click', () => choose(0));
  actions.append(left);
  if (item.allowTie) {
    const tie = el('button', { type: 'button', id: 'choose-tie', text: 'Tie' });
    tie.addEventListener('click', () => choose('tie'));
    actions.append(tie);
  }
  const right = el('button', { type: 'button', id: 'choose-1', text: 'Response 2 is better' });
  right.addEventListener('click', () => choose(1));
  actions.append(right);
  task.append(actions);
}

function rankSelects(parent, k, idPrefix) {
  for (let pos = 0; pos < k; pos++) {
    const sel = el('select', { id: idPrefix + pos, class: 'rank', 'aria-label': 'Rank of response ' + (pos + 1) });
    for (let r = 1; r <= k; r++) sel.append(el('option', { value: String(r), text: String(r) }));
    sel.value = String(pos + 1);
    parent.append(el('label', { text: 'Response ' + (pos + 1) + ' rank: ' }, sel));
  }
}

function readRanking(k, idPrefix, indexAt) {
  const ranks = [];
  for (let pos = 0; pos < k; pos++) ranks.push({ index: indexAt(pos), rank: Number($(idPrefix + pos).value) });
  if (new Set(ranks.map((r) => r.rank)).size !== k) throw new Error('Give each response a different rank.');
  return ranks.sort((a, b) => a.rank - b.rank).map((r) => r.index);
}

function rankingControls(task, item) {
  const box = el('div', { class: 'actions' });
  rankSelects(box, item.responses.length, 'rank-');
  const btn = el('button', { type: 'button', id: 'submit-ranking', text: 'Submit ranking (1 = best)' });
  btn.addEventListener('click', () => {
    try { submit({ ranking: readRanking(item.responses.length, 'rank-', (pos) => item.responses[pos].index) }); } catch (e) { fail(e); }
  });
  box.append(btn);
  task.append(box);
}

function ratingControls(task) {
  const box = el('div', { class: 'actions' }, el('span', { text: 'Quality (1 = worst, 7 = best): ' }));
  for (let s = 1; s <= 7; s++) {
    const b = el('button', { type: 'button', id: 'score-' + s, text: String(s) });
    b.addEventListener('click', () => submit({ score: s }));
    box.append(b);
  }
  task.append(box);
}

async function submit(value) {
  try {
    await api('POST', '/api/labels', Object.assign({ itemId: state.item.itemId, idempotencyKey: state.key }, value));
    status('Saved label for item ' + state.item.itemId + '.');
    await nextItem();
  } catch (e) { fail(e); }
}

function fmt(x) { return x === null || x === undefined ? 'n/a' : (typeof x === 'number' ? x.toFixed(3) : String(x)); }

async function openAdmin(p) {
  state.project = p;
  $('admin-title').textContent = 'Quality: ' + p.name;
  const q = await api('GET', '/api/projects/' + p.id + '/quality');
  const tbody = $('agreement').tBodies[0];
  tbody.replaceChildren();
  const names = { rawAgreement: 'Raw agreement', cohenKappa: "Cohen's kappa (mean over rater pairs)", fleissKappa: "Fleiss' kappa",
    krippendorffAlpha: "Krippendorff's alpha (" + q.agreement.alphaDistance + ')' };
  for (const [k, label] of Object.entries(names)) {
    tbody.append(el('tr', {}, el('th', { text: label }), el('td', { id: 'stat-' + k, text: fmt(q.agreement[k]) })));
  }
  const rbody = $('raters').tBodies[0];
  rbody.replaceChildren();
  for (const r of q.raters) {
    rbody.append(el('tr', {}, el('td', { text: r.rater }), el('td', { text: String(r.labels) }), el('td', { text: String(r.goldLabels) }),
      el('td', { text: fmt(r.goldAccuracy) }), el('td', { text: fmt(r.majorityAgreement) }), el('td', { text: r.flagged ? 'FLAGGED' : '' })));
  }
  $('exports').replaceChildren(...p.exportFormats.map((f) => el('a', { href: '/api/projects/' + p.id + '/export?format=' + f, text: f + '.jsonl ', download: '' })));
  await loadQueue(p);
  show('admin-view');
}

async function loadQueue(p) {
  const queue = await api('GET', '/api/projects/' + p.id + '/adjudication');
  const box = $('queue');
  box.replaceChildren();
  if (queue.length === 0) box.append(el('p', { id: 'queue-empty', text: 'No low-consensus items.' }));
  for (const it of queue) {
    const div = el('div', { class: 'queue-item', id: 'queue-item-' + it.itemId },
      el('p', { text: 'Item ' + it.itemId + ' — consensus ' + fmt(it.consensus) }), el('pre', { text: contentText(it.prompt) }));
    it.responses.forEach((r, i) => div.append(el('h4', { text: 'Response ' + String.fromCharCode(65 + i) + ' (index ' + i + ')' }), el('pre', { text: contentText(r) })));
    div.append(el('p', { text: 'Labels: ' + it.labels.map((l) => l.rater + ' → ' + JSON.stringify(l.value)).join('; ') }));
    adjudicateControls(div, p, it);
    box.append(div);
  }
}

function adjudicateControls(div, p, it) {
  const send = (value) => api('POST', '/api/projects/' + p.id + '/items/' + it.itemId + '/adjudicate', Object.assign({ note: 'adjudicated in UI' }, value))
    .then(() => { status('Adjudicated item ' + it.itemId + '.'); return loadQueue(p); }).catch(fail);
  const actions = el('div', { class: 'actions' });
  ADJUDICATION_CONTROLS[p.labelField](actions, p, it, send);
  div.append(actions);
}

function adjudicateChoice(actions, p, it, send) {
  for (const c of ['A', 'B', 'TIE']) {
    const b = el('button', { type: 'button', id: 'adjudicate-' + it.itemId + '-' + c, text: c === 'TIE' ? 'Final: tie' : 'Final: ' + c + ' is better' });
    b.addEventListener('click', () => send({ choice: c }));
    actions.append(b);
  }
}

function adjudicateRanking(actions, p, it, send) {
  rankSelects(actions, it.responses.length, 'adj-rank-' + it.itemId + '-');
  const b = el('button', { type: 'button', id: 'adjudicate-' + it.itemId, text: 'Final ranking' });
  b.addEventListener('click', () => {
    try { send({ ranking: readRanking(it.responses.length, 'adj-rank-' + it.itemId + '-', (pos) => pos) }); } catch (e) { fail(e); }
  });
  actions.append(b);
}

function adjudicateScore(actions, p, it, send) {
  for (let s = 1; s <= 7; s++) {
    const b = el('button', { type: 'button', id: 'adjudicate-' + it.itemId + '-' + s, text: String(s) });
    b.addEventListener('click', () => send({ score: s }));
    actions.append(b);
  }
}

// One entry per label field of a task kind (GET /api/task-kinds): a new kind with a new field adds its controls here.
const LABEL_CONTROLS = { choice: pairwiseControls, ranking: rankingControls, score: ratingControls };
const ADJUDICATION_CONTROLS = { choice: adjudicateChoice, ranking: adjudicateRanking, score: adjudicateScore };

function onSubmit(id, handler) {
  $(id).addEventListener('submit', (ev) => { ev.preventDefault(); handler().catch(fail); });
}

function adminForms() {
  onSubmit('user-form', async () => {
    await api('POST', '/api/users', { username: $('new-username').value, password: $('new-password').value, role: $('new-role').value });
    status('Created user ' + $('new-username').value + '.');
  });
  onSubmit('project-form', async () => {
    const r = await api('POST', '/api/projects', { name: $('project-name').value, kind: $('project-kind').value,
      ratingsPerItem: Number($('project-n').value), goldRate: Number($('project-gold').value), guidelines: $('project-guidelines').value });
    status('Created project ' + r.id + '.');
    await loadProjects();
  });
  onSubmit('member-form', async () => {
    await api('POST', '/api/projects/' + state.project.id + '/members', { username: $('member-username').value });
    status('Added ' + $('member-username').value + ' to the project.');
  });
  onSubmit('guidelines-form', async () => {
    const r = await api('POST', '/api/projects/' + state.project.id + '/guidelines', { body: $('guidelines-text').value });
    status('Saved guidelines version ' + r.version + '.');
  });
  onSubmit('import-form', async () => {
    const file = $('import-file').files[0];
    const url = '/api/projects/' + state.project.id + '/import?format=' + encodeURIComponent($('import-format').value) + ($('import-gold').checked ? '&gold=true' : '');
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson', 'X-CSRF-Token': state.csrf }, body: file, credentials: 'same-origin' });
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
    status('Imported ' + data.ids.length + ' items.');
  });
}

document.addEventListener('DOMContentLoaded', () => {
  adminForms();
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    api('POST', '/api/login', { username: $('username').value, password: $('password').value }).then(loggedIn).catch(fail);
  });
  $('logout-button').addEventListener('click', () => api('POST', '/api/logout').then(() => location.reload()).catch(fail));
  $('back-button').addEventListener('click', () => loadProjects().catch(fail));
  $('admin-back-button').addEventListener('click', () => loadProjects().catch(fail));
  start();
});
