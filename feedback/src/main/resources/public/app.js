// rlhf4j feedback UI: the shared helpers, login and the rater's screens (admin screens: admin.js).
// All server text is inserted with textContent (never innerHTML), so it is always escaped.
'use strict';
const state = { me: null, csrf: null, project: null, item: null, key: null };
const $ = (id) => document.getElementById(id);
const VIEWS = ['login-view', 'projects-view', 'task-view', 'admin-view', 'admin-page-view'];

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
  for (const v of VIEWS) $(v).hidden = v !== view;
  $('error').textContent = '';
}
function fail(e) { $('error').textContent = e.message; }
function status(text) { $('status').textContent = text; }
function clearMessages() { status(''); $('error').textContent = ''; }

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

function showGuidelines(p) {
  $('guidelines').textContent = p.guidelines || '(no guidelines yet)';
  $('guidelines-version').textContent = String(p.guidelinesVersion);
}

async function openTask(p) {
  state.project = p;
  $('task-title').textContent = p.name;
  showGuidelines(p);
  show('task-view');
  clearMessages();
  await nextItem('');
}

/** Shows the next item; {@code message} (about the previous one) replaces whatever the status said before. */
async function nextItem(message) {
  const item = await api('GET', '/api/projects/' + state.project.id + '/next?progress=true');
  const task = $('task');
  task.replaceChildren();
  $('error').textContent = '';
  status(message);
  $('done').hidden = !item.done;
  $('progress').textContent = item.done ? '' : 'Item ' + item.progress.position + ' of ' + item.progress.total;
  if (item.done) { state.item = null; return; }
  if (item.guidelinesVersion !== state.project.guidelinesVersion) await refreshGuidelines(message);
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

async function refreshGuidelines(message) {
  state.project = await api('GET', '/api/projects/' + state.project.id);
  showGuidelines(state.project);
  $('guidelines-box').open = true;
  status((message ? message + ' ' : '') + 'The guidelines changed (now version ' + state.project.guidelinesVersion + '): please read them again.');
}

function pairwiseControls(task, item) {
  const actions = el('div', { class: 'actions' });
  if (item.strengthLevels > 0) {
    const sel = el('select', { id: 'strength', 'aria-label': 'How much better' });
    const names = item.strengthLevels === 3 ? ['slightly', 'clearly', 'much'] : ['slightly', 'much'];
    for (let s = 1; s <= item.strengthLevels; s++) sel.append(el('option', { value: String(s), text: names[s - 1] || String(s) }));
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

/** One rank select per response, starting empty so that an unread item cannot be submitted as 1..K. */
function rankSelects(parent, k, idPrefix) {
  for (let pos = 0; pos < k; pos++) {
    const sel = el('select', { id: idPrefix + pos, class: 'rank', 'aria-label': 'Rank of response ' + (pos + 1) });
    sel.append(el('option', { value: '', text: '—' }));
    for (let r = 1; r <= k; r++) sel.append(el('option', { value: String(r), text: String(r) }));
    sel.value = '';
    parent.append(el('label', { text: 'Response ' + (pos + 1) + ' rank: ' }, sel));
  }
}

function readRanking(k, idPrefix, indexAt) {
  const ranks = [];
  for (let pos = 0; pos < k; pos++) ranks.push({ index: indexAt(pos), rank: Number($(idPrefix + pos).value) });
  if (ranks.some((r) => r.rank === 0)) throw new Error('Rank every response (1 = best).');
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

// One entry per label field of a task kind (GET /api/task-kinds): a new kind with a new field adds its controls here.
const LABEL_CONTROLS = { choice: pairwiseControls, ranking: rankingControls, score: ratingControls };

async function submit(value) {
  try {
    await api('POST', '/api/labels', Object.assign({ itemId: state.item.itemId, idempotencyKey: state.key }, value));
    await nextItem('Saved label for item ' + state.item.itemId + '.');
  } catch (e) { fail(e); }
}

function onSubmit(id, handler) {
  $(id).addEventListener('submit', (ev) => { ev.preventDefault(); handler().catch(fail); });
}

document.addEventListener('DOMContentLoaded', () => {
  adminForms();
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    api('POST', '/api/login', { username: $('username').value, password: $('password').value }).then(loggedIn).catch(fail);
  });
  onSubmit('password-form', async () => {
    const r = await api('POST', '/api/me/password', { currentPassword: $('current-password').value, newPassword: $('new-own-password').value });
    $('current-password').value = ''; $('new-own-password').value = '';
    status('Password changed' + (r.otherSessionsEnded ? '; ' + r.otherSessionsEnded + ' other session(s) ended.' : '.'));
  });
  $('logout-button').addEventListener('click', () => api('POST', '/api/logout').then(() => location.reload()).catch(fail));
  $('back-button').addEventListener('click', () => { clearMessages(); loadProjects().catch(fail); });
  start();
});
