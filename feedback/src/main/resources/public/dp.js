// rlhf4j feedback UI, admin: differential-privacy releases of a project's statistics (POST /api/projects/{id}/dp),
// its privacy budget and ledger (GET .../dp, POST .../dp/budget). Every figure is shown with its epsilon and noise sd.
// Uses the helpers of app.js and admin.js; server text goes in with textContent only.
'use strict';

function ledgerText(l) {
  if (!l.budget) return 'No budget set: every release is refused until an admin sets one. Spent epsilon ' + fmt(l.spent.epsilon) + '.';
  return 'Budget epsilon ' + fmt(l.budget.epsilon) + (l.budget.delta ? ' (delta ' + l.budget.delta + ')' : '') + ', spent '
    + fmt(l.spent.epsilon) + ', remaining ' + fmt(l.remaining.epsilon) + '.';
}

function showLedger(l) {
  $('dp-ledger').textContent = ledgerText(l);
  $('dp-charges').tBodies[0].replaceChildren(...(l.charges || []).map((c) => el('tr', {}, el('td', { text: c.query }),
    el('td', { text: fmt(c.epsilon) }), el('td', { text: c.by || '' }), el('td', { text: date(c.at) }))));
}

/** One released figure: value, its noise sd and epsilon beside it (a local-DP estimate shows its standard error). */
function figureRow(f) {
  const sd = f.noise_sd !== undefined ? '± ' + fmt(f.noise_sd) + ' noise sd' : (f.standard_error !== undefined ? '± ' + fmt(f.standard_error) + ' s.e.' : '');
  return el('tr', {}, el('td', { text: f.name || '' }), el('td', { class: 'dp-value', text: fmt(f.value !== undefined ? f.value : f.estimate) }),
    el('td', { text: sd }), el('td', { class: 'dp-epsilon', text: 'ε = ' + fmt(f.epsilon) }));
}

async function loadDp(p) {
  $('dp-statistic').replaceChildren(...['label-counts', 'win-rate', 'thumbs-up']
    .filter((s) => s !== 'win-rate' || p.kind === 'pairwise')
    .map((s) => el('option', { value: s, text: s })));
  $('dp-figures').tBodies[0].replaceChildren();
  showLedger(await api('GET', '/api/projects/' + p.id + '/dp'));
}

function dpForms() {
  onSubmit('dp-budget-form', async () => {
    const l = await api('POST', '/api/projects/' + state.project.id + '/dp/budget', { epsilon: Number($('dp-budget-epsilon').value) });
    showLedger(l);
    status('Privacy budget set to epsilon ' + fmt(l.budget.epsilon) + '.');
  });
  onSubmit('dp-release-form', async () => {
    const r = await api('POST', '/api/projects/' + state.project.id + '/dp',
      { statistic: $('dp-statistic').value, epsilon: Number($('dp-epsilon').value) });
    $('dp-figures').tBodies[0].replaceChildren(...r.figures.map(figureRow));
    showLedger(r.ledger);
    status('Released ' + r.statistic + ' (' + r.figures.length + ' figure(s)).');
  });
}
