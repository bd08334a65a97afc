// The wallet page: renders /api/state when it connects and whenever the wallet pushes a change over /api/events (no
// polling), and posts the holder's decisions with the CSRF token.
// No framework, no build step, nothing loaded from elsewhere.
'use strict';

const csrf = document.querySelector('meta[name="csrf-token"]').content;
let current = 'inbox';
let lastState = null;
// Choices being made in the inbox survive the refresh: request id → {fields, days, uses}.
const drafts = new Map();

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

const when = ms => ms ? new Date(ms).toLocaleString() : 'never';

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = !message;
}

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: 'the wallet gave no answer' }));
  if (!response.ok) throw new Error(answer.error || ('HTTP ' + response.status));
  return answer;
}

async function act(button, path, body, done) {
  button.disabled = true;
  try {
    const answer = await post(path, body);
    showError('');
    if (done) done(answer);
    await refresh();
  } catch (e) {
    showError(e.message);
    button.disabled = false;
  }
}

function renderInbox(state) {
  const view = document.getElementById('inbox');
  document.getElementById('inbox-count').textContent = state.inbox.length || '';
  if (!state.inbox.length) return view.replaceChildren(el('p', { class: 'empty' }, 'No pending requests.'));
  view.replaceChildren(...state.inbox.map(r => {
    const draft = drafts.get(r.requestId) || { fields: new Set(r.fields), days: 30, uses: 1 };
    drafts.set(r.requestId, draft);
    const credential = state.credentials.find(c => c.credentialId === r.credentialId);
    const offered = credential ? credential.fields : r.fields;
    const boxes = offered.map(f => el('label', {},
      el('input', { type: 'checkbox', value: f, checked: draft.fields.has(f), 'data-field': f,
        onchange: e => e.target.checked ? draft.fields.add(f) : draft.fields.delete(f) }), ' ', f,
      r.fields.includes(f) ? '' : ' (not asked)'));
    const days = el('input', { type: 'number', min: 1, value: draft.days, 'aria-label': 'valid for days',
      oninput: e => { draft.days = Number(e.target.value); } });
    const uses = el('input', { type: 'number', min: 0, value: draft.uses, 'aria-label': 'max uses',
      oninput: e => { draft.uses = Number(e.target.value); } });
    const approve = el('button', { class: 'primary', 'data-action': 'approve',
      onclick: e => act(e.target, '/api/approve', { requestId: r.requestId, fields: [...draft.fields],
        validForDays: draft.days, maxUses: draft.uses }, () => drafts.delete(r.requestId)) }, 'Approve');
    const deny = el('button', { class: 'secondary', 'data-action': 'deny',
      onclick: e => act(e.target, '/api/deny', { requestId: r.requestId }, () => drafts.delete(r.requestId)) },
      'Deny');
    return el('div', { class: 'card', 'data-request': r.requestId },
      el('h3', {}, r.consumerName, ' ', el('span', { class: 'meta' }, '(' + r.consumerId + ')'),
        el('span', { class: 'badge ' + (r.accredited ? 'ok' : 'warn') }, r.accredited ? 'accredited' : 'not accredited')),
      el('div', { class: 'meta' }, 'asks for your ', el('strong', {}, r.credentialType), ' credential from ',
        r.issuerId || 'no issuer yet', ', for: ', el('strong', {}, r.purpose), ' · ', when(r.receivedAt)),
      el('div', { class: 'fields' }, 'Share: ', boxes),
      el('div', { class: 'controls' }, el('label', {}, 'valid for ', days, ' days'),
        el('label', {}, 'at most ', uses, ' uses (0: no limit)'), approve, deny));
  }));
}

function renderCredentials(state) {
  const view = document.getElementById('credentials');
  if (!state.credentials.length) return view.replaceChildren(el('p', { class: 'empty' }, 'No credentials.'));
  view.replaceChildren(...state.credentials.map(c => el('div', { class: 'card', 'data-credential': c.credentialId },
    el('h3', {}, c.type, el('span', { class: 'badge ' + (c.status === 'ACTIVE' ? 'ok' : 'bad') }, c.status)),
    el('div', { class: 'meta' }, 'issued by ', c.issuerId, ' · ', when(c.issuedAt), ' · ', el('code', {}, c.credentialId)),
    el('div', {}, 'Fields: ', c.fields.join(', ')),
    el('div', { class: 'controls' }, el('button', { class: 'secondary', 'data-action': 'erase',
      onclick: e => confirm('Erase this credential? Its grants end and it cannot be shared again.')
        && act(e.target, '/api/erase', { credentialId: c.credentialId }) }, 'Erase')))));
}

function renderGrants(state) {
  const view = document.getElementById('grants');
  if (!state.grants.length) return view.replaceChildren(el('p', { class: 'empty' }, 'No active grants.'));
  view.replaceChildren(el('table', {},
    el('tr', {}, ['Consumer', 'Fields', 'Purpose', 'Uses left', 'Expires', ''].map(h => el('th', {}, h))),
    state.grants.map(g => el('tr', { 'data-grant': g.grantId },
      el('td', {}, g.consumerId), el('td', {}, g.fields.join(', ')), el('td', {}, g.purpose),
      el('td', {}, g.usesLeft < 0 ? 'no limit' : g.usesLeft), el('td', {}, when(g.expiresAt)),
      el('td', {}, el('button', { class: 'secondary', 'data-action': 'revoke',
        onclick: e => act(e.target, '/api/revoke', { grantId: g.grantId }) }, 'Revoke'))))));
}

// Issuers: who may write to the vault (write grants in force, revocable) and who asks to (consent requests, to allow
// for the types asked, or to ignore).
function renderIssuers(state) {
  const view = document.getElementById('issuers');
  document.getElementById('issuers-count').textContent = state.consentRequests.length || '';
  const asks = state.consentRequests.map(c => el('div', { class: 'card', 'data-consent': c.consentRequestId },
    el('h3', {}, c.issuerId, ' ', el('span', { class: 'meta' }, 'asks to write ' + c.credentialTypes.join(', '))),
    el('div', { class: 'meta' }, 'for: ', el('strong', {}, c.purpose || 'no purpose given'), ' · ', when(c.createdAt)),
    el('div', { class: 'controls' },
      el('button', { class: 'primary', 'data-action': 'allow-issuer',
        onclick: e => act(e.target, '/api/allow-issuer', { consentRequestId: c.consentRequestId, validForDays: 365 }) },
        'Allow for a year'),
      el('button', { class: 'secondary', 'data-action': 'ignore-consent',
        onclick: e => act(e.target, '/api/ignore-consent', { consentRequestId: c.consentRequestId }) }, 'Ignore'))));
  const allowed = state.writeGrants.length
    ? el('table', {},
      el('tr', {}, ['Issuer', 'May write', 'Since', 'Until', ''].map(h => el('th', {}, h))),
      state.writeGrants.map(w => el('tr', { 'data-write-grant': w.writeGrantId },
        el('td', {}, w.issuerId), el('td', {}, w.credentialTypes.join(', ')), el('td', {}, when(w.issuedAt)),
        el('td', {}, when(w.expiresAt)),
        el('td', {}, el('button', { class: 'secondary', 'data-action': 'disallow-issuer',
          onclick: e => act(e.target, '/api/disallow-issuer', { writeGrantId: w.writeGrantId }) }, 'Revoke')))))
    : el('p', { class: 'empty', 'data-empty': 'write-grants' }, 'No issuer may write to your vault.');
  view.replaceChildren(el('h2', {}, 'Asking to write'),
    ...(asks.length ? asks : [el('p', { class: 'empty', 'data-empty': 'consent-requests' }, 'No issuer is asking.')]),
    el('h2', {}, 'Allowed to write'), allowed);
}

function renderActivity(state) {
  const view = document.getElementById('activity');
  if (!state.activity.length) return view.replaceChildren(el('p', { class: 'empty' }, 'Nothing yet.'));
  view.replaceChildren(el('table', {},
    el('tr', {}, ['When', 'What', 'Who', 'Fields', 'Purpose'].map(h => el('th', {}, h))),
    state.activity.map(a => el('tr', { 'data-outcome': a.outcome },
      el('td', {}, when(a.at)), el('td', {}, a.outcome), el('td', {}, a.consumerId),
      el('td', {}, a.fields.join(', ')), el('td', {}, a.purpose)))));
}

// One read of /api/state at a time: changes pushed during a read are folded into one more read after it.
let reading = null;
let readAgain = false;

function refresh() {
  if (reading) {
    readAgain = true;
    return reading;
  }
  reading = readState().finally(() => {
    reading = null;
    if (readAgain) {
      readAgain = false;
      refresh();
    }
  });
  return reading;
}

async function readState() {
  const live = document.getElementById('live');
  try {
    const response = await fetch('/api/state');
    const state = await response.json();
    if (!response.ok) throw new Error(state.error || ('HTTP ' + response.status));
    lastState = state;
    live.textContent = 'live';
    live.classList.remove('down');
    // Re-render the inbox only when its requests change, so that a half-made choice is not redrawn away.
    const inboxKey = JSON.stringify(state.inbox.map(r => r.requestId)) + JSON.stringify(state.credentials.map(c => c.fields));
    if (inboxKey !== refresh.inboxKey) {
      refresh.inboxKey = inboxKey;
      renderInbox(state);
    }
    renderCredentials(state);
    renderGrants(state);
    renderIssuers(state);
    renderActivity(state);
  } catch (e) {
    live.textContent = 'platform unreachable';
    live.classList.add('down');
    showError('Cannot reach the platform: ' + e.message);
  }
}

document.querySelectorAll('.tab').forEach(tab => tab.addEventListener('click', () => {
  current = tab.dataset.view;
  document.querySelectorAll('.tab').forEach(t => t.classList.toggle('active', t === tab));
  document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== current; });
}));

// The wallet pushes an event whenever the gateway tells it the holder's inbox, grants or audit trail changed; the
// browser reconnects by itself after a drop, and every (re)connection reads the state once, since changes may have
// been missed meanwhile.
const changes = new EventSource('/api/events');
changes.addEventListener('open', () => refresh());
changes.addEventListener('change', () => refresh());
changes.addEventListener('error', () => {
  const live = document.getElementById('live');
  live.textContent = 'reconnecting';
  live.classList.add('down');
});
