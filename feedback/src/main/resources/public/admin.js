// rlhf4j feedback UI, admin screens: project quality and adjudication, members, imports, users, API tokens and
// item counts. Uses the helpers of app.js; server text goes in with textContent only.
'use strict';

function fmt(x) { return x === null || x === undefined ? 'n/a' : (typeof x === 'number' ? x.toFixed(3) : String(x)); }
function date(ms) { return ms === null || ms === undefined ? 'never' : new Date(ms).toISOString().slice(0, 10); }

async function loadKinds() {
  const kinds = await api('GET', '/api/task-kinds');
  $('project-kind').replaceChildren(...kinds.map((k) => el('option', { value: k.kind, text: k.description })));
}

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
  await loadMembers(p);
  await loadQueue(p);
  await loadDp(p);
  show('admin-view');
}

async function loadMembers(p) {
  const members = await api('GET', '/api/projects/' + p.id + '/members');
  $('members').replaceChildren(...members.map((m) => {
    const remove = el('button', { type: 'button', id: 'remove-member-' + m.username, text: 'Remove' });
    remove.addEventListener('click', () => api('DELETE', '/api/projects/' + p.id + '/members/' + encodeURIComponent(m.username))
      .then(() => { status('Removed ' + m.username + ' from the project.'); return loadMembers(p); }).catch(fail));
    return el('li', { id: 'member-' + m.username }, el('span', { text: m.username + ' (' + m.labels + ' labels' + (m.active ? '' : ', deactivated') + ') ' }), remove);
  }));
}

/** A label value in the numbering the rating screen uses: responses 1..K (here in stored order). */
function valueText(v) {
  if (v === 'A' || v === 'B') return 'Response ' + (v === 'A' ? 1 : 2) + ' better';
  if (v === 'TIE') return 'tie';
  if (Array.isArray(v)) return v.map((i) => 'Response ' + (i + 1)).join(' > ');
  return 'score ' + v + ' of 7';
}

async function loadQueue(p) {
  const queue = await api('GET', '/api/projects/' + p.id + '/adjudication');
  const box = $('queue');
  box.replaceChildren();
  if (queue.length === 0) box.append(el('p', { id: 'queue-empty', text: 'No low-consensus items.' }));
  for (const it of queue) {
    const div = el('div', { class: 'queue-item', id: 'queue-item-' + it.itemId },
      el('p', { text: 'Item ' + it.itemId + ' — consensus ' + fmt(it.consensus) }), el('pre', { text: contentText(it.prompt) }));
    it.responses.forEach((r, i) => div.append(el('h4', { text: 'Response ' + (i + 1) }), el('pre', { text: contentText(r) })));
    div.append(el('p', { class: 'queue-labels', text: 'Labels: ' + it.labels.map((l) => l.rater + ': ' + valueText(l.value)).join('; ') }));
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
    const b = el('button', { type: 'button', id: 'adjudicate-' + it.itemId + '-' + c, text: 'Final: ' + valueText(c) });
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

const ADJUDICATION_CONTROLS = { choice: adjudicateChoice, ranking: adjudicateRanking, score: adjudicateScore };

async function openAdminPage() {
  const users = await api('GET', '/api/users');
  $('users').tBodies[0].replaceChildren(...users.map((u) => {
    const toggle = el('button', { type: 'button', id: (u.active ? 'deactivate-' : 'activate-') + u.username, text: u.active ? 'Deactivate' : 'Activate' });
    toggle.addEventListener('click', () => api('POST', '/api/users/' + u.id + '/active', { active: !u.active })
      .then(() => { status((u.active ? 'Deactivated ' : 'Activated ') + u.username + '.'); return openAdminPage(); }).catch(fail));
    const end = el('button', { type: 'button', id: 'end-sessions-' + u.username, text: 'End sessions' });
    end.addEventListener('click', () => api('DELETE', '/api/users/' + u.id + '/sessions')
      .then((r) => { status('Ended ' + r.sessionsEnded + ' session(s) of ' + u.username + '.'); return openAdminPage(); }).catch(fail));
    return el('tr', { id: 'user-' + u.username }, el('td', { text: u.username }), el('td', { text: u.role }), el('td', { text: u.active ? 'yes' : 'no' }),
      el('td', { text: String(u.sessions) }), el('td', { text: String(u.projects) }), el('td', {}, toggle, ' ', end));
  }));
  $('reset-user').replaceChildren(...users.map((u) => el('option', { value: String(u.id), text: u.username })));
  const tokens = await api('GET', '/api/tokens');
  $('tokens').tBodies[0].replaceChildren(...tokens.map((t) => {
    const cells = [el('td', { text: t.name }), el('td', { text: t.createdBy }), el('td', { text: date(t.expiresAt) }), el('td', { id: 'token-state-' + t.id, text: t.state })];
    const revoke = el('button', { type: 'button', id: 'revoke-' + t.id, text: 'Revoke' });
    revoke.addEventListener('click', () => api('DELETE', '/api/tokens/' + t.id).then(() => { status('Revoked token ' + t.name + '.'); return openAdminPage(); }).catch(fail));
    return el('tr', {}, ...cells, el('td', {}, t.state === 'active' ? revoke : ''));
  }));
  const projects = await api('GET', '/api/projects');
  $('project-counts').tBodies[0].replaceChildren(...projects.map((p) => el('tr', { id: 'counts-' + p.id }, el('td', { text: p.name }), el('td', { text: p.kind }),
    ...['items', 'goldItems', 'labelledItems', 'labels', 'members'].map((k) => el('td', { text: String(p.counts[k]) })),
    el('td', { text: p.piiAction === 'redact' ? 'redact (' + p.piiMode + ')' : p.piiAction }),
    el('td', { text: Object.entries(p.piiFindings || {}).map(([t, n]) => t + ' ' + n).join(', ') || 'none' }))));
  show('admin-page-view');
}

function adminForms() {
  onSubmit('user-form', async () => {
    await api('POST', '/api/users', { username: $('new-username').value, password: $('new-password').value, role: $('new-role').value });
    status('Created user ' + $('new-username').value + '.');
  });
  onSubmit('project-form', async () => {
    const r = await api('POST', '/api/projects', { name: $('project-name').value, kind: $('project-kind').value,
      ratingsPerItem: Number($('project-n').value), goldRate: Number($('project-gold').value), guidelines: $('project-guidelines').value,
      allowTie: $('project-tie').checked, strengthLevels: Number($('project-strength').value),
      piiAction: $('project-pii').value.split(':')[0], piiMode: $('project-pii').value.split(':')[1] || 'mask' });
    status('Created project ' + r.id + '.');
    await loadProjects();
  });
  onSubmit('member-form', async () => {
    await api('POST', '/api/projects/' + state.project.id + '/members', { username: $('member-username').value });
    status('Added ' + $('member-username').value + ' to the project.');
    await loadMembers(state.project);
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
  onSubmit('reset-form', async () => {
    const r = await api('POST', '/api/users/' + $('reset-user').value + '/password', { newPassword: $('reset-password').value });
    $('reset-password').value = '';
    status('Password reset; ' + r.sessionsEnded + ' session(s) ended.');
  });
  onSubmit('token-form', async () => {
    const r = await api('POST', '/api/tokens', { name: $('token-name').value, expiresInDays: Number($('token-days').value) });
    $('new-token-value').textContent = r.token;
    $('new-token').hidden = false;
    await openAdminPage();
    status('Created token ' + r.name + ', expires ' + date(r.expiresAt) + '.');
  });
  dpForms();
  $('admin-page-button').addEventListener('click', () => openAdminPage().catch(fail));
  $('admin-page-back').addEventListener('click', () => { $('new-token').hidden = true; loadProjects().catch(fail); });
  $('admin-back-button').addEventListener('click', () => loadProjects().catch(fail));
}
