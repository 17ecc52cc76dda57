// Outpost's dashboard: live alerts over server-sent events, lag and counts polled from the ops API.
// Plain DOM, no framework and no CDN, so it works without internet.
"use strict";

const MAX_ALERTS = 100;
const alertsBody = document.getElementById("alerts");
const connection = document.getElementById("connection");

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function showAlert(alert) {
  document.getElementById("no-alerts").hidden = true;
  const row = document.createElement("tr");
  row.className = "fresh";
  row.dataset.testid = "alert";
  row.dataset.category = alert.category;
  cell(row, new Date().toLocaleTimeString());
  cell(row, alert.category.toLowerCase().replace("_", " "));
  cell(row, Number(alert.confidence).toFixed(2));
  const title = cell(row, alert.title);
  title.title = (alert.evidence || []).map(e => e.text).join(" · ");
  cell(row, (alert.actors || []).join(", "));
  alertsBody.prepend(row);
  while (alertsBody.rows.length > MAX_ALERTS) alertsBody.deleteRow(-1);
}

function connect() {
  const stream = new EventSource("/alerts/stream");
  stream.onopen = () => { connection.textContent = "live"; connection.dataset.state = "live"; };
  stream.onerror = () => { connection.textContent = "reconnecting…"; connection.dataset.state = "down"; };
  stream.addEventListener("alert", e => showAlert(JSON.parse(e.data)));
}

function fill(tbodyId, rows, emptyId) {
  const body = document.getElementById(tbodyId);
  body.replaceChildren(...rows);
  if (emptyId) document.getElementById(emptyId).hidden = rows.length > 0;
}

async function refreshLag() {
  try {
    const groups = await (await fetch("/api/lag")).json();
    fill("lag", groups.map(g => {
      const row = document.createElement("tr");
      row.dataset.testid = "lag-row";
      row.dataset.group = g.group;
      cell(row, g.group);
      cell(row, g.status, "status-" + g.status);
      cell(row, g.state);
      cell(row, String(g.members));
      cell(row, g.lagRecords.toLocaleString());
      cell(row, g.lagSeconds.toFixed(1));
      return row;
    }));
  } catch (e) {
    connection.textContent = "ops API unreachable";
  }
}

async function refreshSummary() {
  try {
    const summary = await (await fetch("/api/summary")).json();
    fill("per-category", Object.entries(summary.alertsLastHour).map(([category, n]) => {
      const row = document.createElement("tr");
      cell(row, category.replace("_", " "));
      cell(row, String(n));
      return row;
    }));
    fill("dead-letters", Object.entries(summary.deadLetters).filter(([, n]) => n > 0).map(([reason, n]) => {
      const row = document.createElement("tr");
      row.dataset.testid = "dead-letter";
      cell(row, reason.replaceAll("_", " "));
      cell(row, String(n));
      return row;
    }), "no-dead-letters");
    document.getElementById("unsupported-total").textContent = String(summary.unsupportedLanguage ?? 0);
    fill("unsupported-languages", Object.entries(summary.unsupportedLanguages ?? {}).map(([language, n]) => {
      const row = document.createElement("tr");
      row.dataset.testid = "unsupported-language";
      cell(row, language);
      cell(row, String(n));
      return row;
    }));
  } catch (e) {
    connection.textContent = "ops API unreachable";
  }
}

connect();
refreshLag();
refreshSummary();
setInterval(refreshLag, 3000);
setInterval(refreshSummary, 5000);
