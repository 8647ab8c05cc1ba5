// The admin dashboard: draws this node's agents from the server-sent "snapshot" events of /admin/events and
// revokes clients. No framework, no build step. Every value goes into the page as text, never as markup.
'use strict';
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const byId = id => document.getElementById(id);
  const tbody = document.querySelector('#agents tbody');
  const confirmFor = 5000;
  let armed = null;
  let armedTimer = 0;

  // For tests and the curious: the last snapshot and how many arrived.
  window.tunnelAdmin = { snapshots: 0, last: null };

  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const bytes = n => {
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
  };
  const count = n => n.toLocaleString('en');
  const duration = ms => {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  };
  const clock = iso => new Date(iso).toLocaleTimeString('en-GB');

  const cell = (row, field, text, value, title) => {
    const td = row.insertCell();
    td.dataset.field = field;
    td.textContent = text;
    if (value !== undefined) td.dataset.value = String(value);
    if (title) td.title = title;
    return td;
  };

  const revokeButton = clientId => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.client = clientId;
    button.className = armed === clientId ? 'danger armed' : 'danger';
    button.textContent = armed === clientId ? 'Confirm revoke' : 'Revoke';
    return button;
  };

  function render(s) {
    const now = Date.now();
    byId('total-agents').textContent = count(s.totals.agents);
    byId('total-in-flight').textContent = count(s.totals.inFlight);
    byId('total-requests').textContent = count(s.totals.requests);
    byId('total-down').textContent = bytes(s.totals.bytesFromAgents);
    byId('total-up').textContent = bytes(s.totals.bytesToAgents);
    byId('empty').hidden = s.agents.length > 0;
    byId('truncated').hidden = !s.truncated;
    tbody.replaceChildren();
    for (const a of s.agents) {
      const row = tbody.insertRow();
      row.dataset.client = a.clientId;
      cell(row, 'clientId', a.clientId).className = 'client';
      cell(row, 'node', a.node);
      cell(row, 'connectedAt', clock(a.connectedAt) + ' (' + duration(now - Date.parse(a.connectedAt)) + ')', a.connectedAt, a.connectedAt);
      cell(row, 'inFlight', count(a.inFlight), a.inFlight).className = 'num';
      cell(row, 'requests', count(a.requests), a.requests).className = 'num';
      cell(row, 'bytesFromAgent', bytes(a.bytesFromAgent), a.bytesFromAgent).className = 'num';
      cell(row, 'bytesToAgent', bytes(a.bytesToAgent), a.bytesToAgent).className = 'num';
      const e = a.lastError;
      cell(row, 'lastError', e ? e.error + ' (' + clock(e.at) + ')' : '—', e ? e.error : '', e ? e.detail : '').className = e ? 'error' : 'muted';
      row.insertCell().append(revokeButton(a.clientId));
    }
  }

  const say = text => { byId('message').textContent = text; };

  async function revoke(clientId) {
    const response = await fetch('/admin/clients/' + encodeURIComponent(clientId) + '/revoke', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf },
      credentials: 'same-origin',
    });
    if (response.status === 401) { location.reload(); return; }
    if (!response.ok) { say('Revoking ' + clientId + ' failed: HTTP ' + response.status); return; }
    const result = await response.json();
    say('Revoked ' + result.clientId + ': its tokens are deleted' + (result.agentDisconnected ? ' and its agent was disconnected.' : '; no agent of it was connected here.'));
  }

  tbody.addEventListener('click', e => {
    const button = e.target.closest('button[data-client]');
    if (!button) return;
    const clientId = button.dataset.client;
    clearTimeout(armedTimer);
    if (armed !== clientId) {
      armed = clientId;
      button.className = 'danger armed';
      button.textContent = 'Confirm revoke';
      armedTimer = setTimeout(() => { armed = null; if (window.tunnelAdmin.last) render(window.tunnelAdmin.last); }, confirmFor);
      return;
    }
    armed = null;
    button.disabled = true;
    revoke(clientId).catch(err => say('Revoking ' + clientId + ' failed: ' + err));
  });

  byId('sign-out').addEventListener('click', async () => {
    await fetch('/admin/sign-out', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' });
    location.href = '/admin';
  });

  // Snapshots come only when something changed: keep the "connected since" durations moving meanwhile.
  setInterval(() => {
    for (const td of tbody.querySelectorAll('td[data-field="connectedAt"]')) {
      td.textContent = clock(td.dataset.value) + ' (' + duration(Date.now() - Date.parse(td.dataset.value)) + ')';
    }
  }, 5000);

  const live = byId('live');
  const source = new EventSource('/admin/events');
  source.addEventListener('snapshot', e => {
    const s = JSON.parse(e.data);
    window.tunnelAdmin.last = s;
    window.tunnelAdmin.snapshots++;
    render(s);
    live.textContent = 'live';
    live.className = 'live on';
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      // Refused (the session ended): the page shows the sign-in form again.
      location.reload();
      return;
    }
    live.textContent = 'reconnecting…';
    live.className = 'live';
  });
})();
