// Outpost's dashboard: the last alerts and stories read from the topics when the page opens, then
// live alerts over server-sent events; lag, dead letters and counts polled from the ops API.
// Plain DOM, no framework and no CDN, so it works without internet. Every text from an alert is
// hostile input: it only ever goes into textContent, and a link only into an http(s) href.
"use strict";

const MAX_ALERTS = 200;
const SVG = "http://www.w3.org/2000/svg";
const alertsBody = document.getElementById("alerts");
const storiesBody = document.getElementById("stories");
const connection = document.getElementById("connection");
const categoryFilter = document.getElementById("filter-category");
const stateFilter = document.getElementById("filter-state");
const seenAlerts = new Set();
const knownStates = new Set();
let recentError = null;
let recentRead = false;

// ---- formatting ----

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function categoryName(category) {
  return String(category || "").toLowerCase().replaceAll("_", " ");
}

/** An ISO time as "2026-11-28 09:00 UTC"; the full time in the cell's tooltip. */
function timeCell(row, iso) {
  const td = cell(row, "");
  const when = iso ? new Date(iso) : null;
  if (when && !isNaN(when)) {
    const time = document.createElement("time");
    time.dateTime = when.toISOString();
    time.title = when.toISOString();
    time.textContent = when.toISOString().slice(0, 16).replace("T", " ") + " UTC";
    td.appendChild(time);
  }
  return td;
}

/** Seconds in the form people type: 0s, 45s, 5m, 2h 5m, 3d 4h. */
function duration(seconds) {
  if (typeof seconds !== "number" || !isFinite(seconds)) return "—";
  let s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + "s";
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d > 0) return d + "d" + (h ? " " + h + "h" : "");
  if (h > 0) return h + "h" + (m ? " " + m + "m" : "");
  return m + "m" + (s ? " " + s + "s" : "");
}

/** The URL if it is http or https, else null: a javascript: or data: link is never made. */
function safeUrl(raw) {
  if (typeof raw !== "string" || raw === "") return null;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (e) {
    return null;
  }
}

function titleCell(row, title, url) {
  const td = cell(row, "");
  const href = safeUrl(url);
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = title || href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    a.dataset.testid = "link";
    td.appendChild(a);
  } else {
    td.textContent = title || "";
  }
  return td;
}

/**
 * Each trigger once: the same words often back several rules, and a shorter match inside a longer
 * one ("live-fire" in "Navy begins live-fire") says nothing more. Its rules show on hover.
 */
function evidenceCell(row, evidence) {
  const td = cell(row, "");
  const spans = new Map();
  for (const e of evidence || []) {
    const text = String(e.text || "").trim();
    if (!text) continue;
    const key = text.toLowerCase();
    const span = spans.get(key) || { text: text, rules: new Set() };
    if (e.ruleId) span.rules.add(e.ruleId + (e.field ? " (" + e.field + ")" : ""));
    spans.set(key, span);
  }
  const keys = [...spans.keys()];
  for (const [key, span] of spans) {
    if (keys.some(other => other !== key && other.includes(key))) continue;
    const chip = document.createElement("span");
    chip.className = "evidence";
    chip.dataset.testid = "evidence";
    chip.textContent = span.text;
    chip.title = [...span.rules].join(" · ");
    td.appendChild(chip);
  }
  return td;
}

// ---- filters ----

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { category: params.get("category") || "", state: params.get("state") || "" };
}

function writeHash() {
  const params = new URLSearchParams();
  if (categoryFilter.value) params.set("category", categoryFilter.value);
  if (stateFilter.value) params.set("state", stateFilter.value);
  const hash = params.toString();
  history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
}

function addStates(states) {
  let added = false;
  for (const s of states || []) {
    if (typeof s === "string" && s && !knownStates.has(s)) {
      knownStates.add(s);
      added = true;
    }
  }
  if (!added) return;
  const chosen = stateFilter.value || readHash().state;
  const options = [...knownStates].sort().map(s => {
    const o = document.createElement("option");
    o.value = s;
    o.textContent = s;
    return o;
  });
  const all = document.createElement("option");
  all.value = "";
  all.textContent = "all";
  stateFilter.replaceChildren(all, ...options);
  stateFilter.value = knownStates.has(chosen) ? chosen : "";
}

function matches(row) {
  const category = categoryFilter.value;
  const state = stateFilter.value;
  if (category && row.dataset.category !== category) return false;
  if (state && !row.dataset.states.split(" ").includes(state)) return false;
  return true;
}

function applyFilters() {
  let shown = 0;
  let total = 0;
  for (const row of alertsBody.rows) {
    row.hidden = !matches(row);
    total++;
    if (!row.hidden) shown++;
  }
  let storiesShown = 0;
  for (const row of storiesBody.rows) {
    row.hidden = !matches(row);
    if (!row.hidden) storiesShown++;
  }
  const filtered = categoryFilter.value || stateFilter.value;
  document.getElementById("filter-count").textContent = filtered ? shown + " of " + total + " alerts shown" : "";
  const note = document.getElementById("no-alerts");
  const warning = document.getElementById("recent-warning");
  warning.textContent = recentError || "";
  warning.hidden = !recentError || total === 0;
  if (recentError && total === 0) {
    note.textContent = recentError;
  } else if (!recentRead && total === 0) {
    note.textContent = "Reading the last alerts from the topics…";
  } else {
    note.textContent = total === 0 ? "No alert on the alert topics yet." : "No alert matches the filters.";
  }
  note.hidden = shown > 0;
  const storiesNote = document.getElementById("no-stories");
  if (recentRead) {
    storiesNote.textContent = storiesBody.rows.length === 0 ? "No story on the topic yet." : "No story matches the filters.";
  }
  storiesNote.hidden = storiesShown > 0;
}

// ---- alerts and stories ----

function alertRow(alert, fresh) {
  const row = document.createElement("tr");
  if (fresh) row.className = "fresh";
  row.dataset.testid = "alert";
  row.dataset.alertId = alert.alertId;
  row.dataset.category = alert.category;
  row.dataset.states = (alert.actors || []).join(" ");
  row.dataset.classifiedAt = String(Date.parse(alert.classifiedAt) || 0);
  timeCell(row, alert.publishedAt || alert.classifiedAt);
  cell(row, categoryName(alert.category));
  cell(row, Number(alert.confidence).toFixed(2));
  titleCell(row, alert.title, alert.url);
  cell(row, alert.source || "");
  cell(row, (alert.actors || []).join(", "));
  evidenceCell(row, alert.evidence);
  return row;
}

/** Shows an alert once, in order of classification, newest first. */
function showAlert(alert, fresh) {
  if (!alert || !alert.alertId || seenAlerts.has(alert.alertId)) return;
  seenAlerts.add(alert.alertId);
  addStates(alert.actors);
  const row = alertRow(alert, fresh);
  row.hidden = !matches(row);
  const at = Number(row.dataset.classifiedAt);
  let before = null;
  for (const r of alertsBody.rows) {
    if (Number(r.dataset.classifiedAt) < at) { before = r; break; }
  }
  alertsBody.insertBefore(row, before);
  while (alertsBody.rows.length > MAX_ALERTS) {
    seenAlerts.delete(alertsBody.rows[alertsBody.rows.length - 1].dataset.alertId);
    alertsBody.deleteRow(-1);
  }
}

function storyRow(story) {
  const row = document.createElement("tr");
  row.dataset.testid = "story";
  row.dataset.category = story.category;
  row.dataset.states = (story.states || []).join(" ");
  timeCell(row, story.lastSeen);
  cell(row, categoryName(story.category));
  const title = titleCell(row, story.title, story.url);
  if (story.closed) {
    const closed = document.createElement("span");
    closed.className = "badge quiet";
    closed.textContent = "closed";
    title.append(" ", closed);
  }
  cell(row, (story.states || []).join(", "));
  cell(row, String(story.itemCount ?? ""));
  const sources = cell(row, String(story.sourceCount ?? ""));
  sources.title = (story.sources || []).join(", ");
  evidenceCell(row, story.evidence);
  return row;
}

async function loadRecent() {
  try {
    const response = await fetch("/api/recent");
    if (response.status === 404) {
      recentError = "This process does not read the alert topics.";
    } else {
      const recent = await response.json();
      if (!response.ok) {
        recentError = recent.error || "Could not read the alert topics.";
      } else {
        recentError = recent.unreadable > 0
          ? recent.unreadable + " record(s) on the alert and story topics could not be read: is the schema registry reachable?"
          : null;
        for (const a of recent.alerts || []) showAlert(a, false);
        for (const s of recent.stories || []) addStates(s.states);
        storiesBody.replaceChildren(...(recent.stories || []).map(storyRow));
      }
    }
    recentRead = true;
  } catch (e) {
    recentError = "The ops API is unreachable.";
  }
  applyFilters();
}

function connect() {
  let loaded = false;
  const loadOnce = () => { if (!loaded) { loaded = true; loadRecent(); } };
  const stream = new EventSource("/alerts/stream");
  // The stream stands on the topics' ends once it is open, so what the recent read sees after
  // that overlaps it rather than missing anything; an alert seen twice is shown once.
  stream.onopen = () => { connection.textContent = "live"; connection.dataset.state = "live"; loadOnce(); };
  stream.onerror = () => { connection.textContent = "reconnecting…"; connection.dataset.state = "down"; };
  stream.addEventListener("alert", e => { showAlert(JSON.parse(e.data), true); applyFilters(); });
  setTimeout(loadOnce, 3000);
}

// ---- lag ----

let lagHistory = {};

function sparkline(points) {
  const width = 120;
  const height = 24;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.setAttribute("class", "sparkline");
  svg.dataset.testid = "sparkline";
  if (!points || points.length < 2) {
    svg.dataset.points = "0";
    return svg;
  }
  const values = points.map(p => p.lagRecords);
  const max = Math.max(1, ...values);
  const step = width / (points.length - 1);
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", values.map((v, i) => (i * step).toFixed(1) + "," + (height - 2 - (v / max) * (height - 4)).toFixed(1)).join(" "));
  line.setAttribute("class", "status-" + points[points.length - 1].status);
  svg.appendChild(line);
  svg.dataset.points = String(points.length);
  const title = document.createElementNS(SVG, "title");
  title.textContent = "records behind over the last " + duration((points[points.length - 1].timeMs - points[0].timeMs) / 1000)
    + ": " + Math.min(...values).toLocaleString() + " to " + max.toLocaleString();
  svg.appendChild(title);
  return svg;
}

// The lag report's drain rate: records per second the lag shrank by over its window of samples.
function trendText(g) {
  if (typeof g.drainRate !== "number" || !isFinite(g.drainRate) || g.drainRate === 0) return "";
  return (g.drainRate > 0 ? "draining " : "growing ") + Math.abs(g.drainRate).toFixed(1) + " records/s";
}

async function refreshLag() {
  try {
    const groups = await (await fetch("/api/lag")).json();
    const rows = groups.map(g => {
      const row = document.createElement("tr");
      row.dataset.testid = "lag-row";
      row.dataset.group = g.group;
      cell(row, g.group);
      cell(row, g.status, "status-" + g.status);
      cell(row, g.reason || "", "quiet").dataset.testid = "lag-reason";
      cell(row, g.state);
      cell(row, String(g.members));
      cell(row, Number(g.lagRecords).toLocaleString());
      cell(row, duration(g.lagSeconds));
      // Null while the lag is not shrinking: no time to catch up can be told.
      cell(row, g.catchUpSeconds == null ? "—" : duration(g.catchUpSeconds));
      const trend = cell(row, "");
      trend.appendChild(sparkline(lagHistory[g.group]));
      const text = trendText(g);
      if (text) {
        const span = document.createElement("span");
        span.className = "quiet";
        span.textContent = " " + text;
        trend.appendChild(span);
      }
      return row;
    });
    document.getElementById("lag").replaceChildren(...rows);
    document.getElementById("no-lag").hidden = rows.length > 0;
  } catch (e) {
    connection.textContent = "ops API unreachable";
  }
}

async function refreshLagHistory() {
  try {
    const response = await fetch("/api/lag/history");
    lagHistory = response.ok ? await response.json() : {};
  } catch (e) {
    lagHistory = {};
  }
}

// ---- dead letters and counts ----

async function refreshDeadLetters() {
  const note = document.getElementById("dead-letters-note");
  const body = document.getElementById("dead-letters");
  try {
    const response = await fetch("/api/dead-letters");
    if (response.status === 404) {
      body.replaceChildren();
      note.textContent = "This process does not count dead letters.";
      note.hidden = false;
      return;
    }
    const counts = await response.json();
    const rows = Object.entries(counts.byReason || {}).filter(([, n]) => n > 0).map(([reason, n]) => {
      const row = document.createElement("tr");
      row.dataset.testid = "dead-letter";
      row.dataset.reason = reason;
      cell(row, reason.replaceAll("_", " "));
      cell(row, Number(n).toLocaleString(), "count");
      const topics = Object.entries(counts.byTopic || {}).filter(([, reasons]) => (reasons[reason] || 0) > 0)
        .map(([topic, reasons]) => topic + ": " + reasons[reason]);
      cell(row, topics.join(", "), "quiet");
      return row;
    });
    body.replaceChildren(...rows);
    if (counts.error && !counts.read) {
      note.textContent = "Could not read the dead-letter topics: " + counts.error;
    } else if (!counts.read) {
      note.textContent = "Reading the dead-letter topics…";
    } else if (rows.length === 0) {
      note.textContent = "None on the dead-letter topics.";
    } else {
      note.textContent = counts.error ? "Last read failed, counts as of " + counts.readAt + ": " + counts.error : "";
    }
    note.hidden = note.textContent === "";
  } catch (e) {
    connection.textContent = "ops API unreachable";
  }
}

function fill(tbodyId, rows) {
  document.getElementById(tbodyId).replaceChildren(...rows);
}

async function refreshSummary() {
  try {
    const summary = await (await fetch("/api/summary")).json();
    const perCategory = Object.entries(summary.alertsLastHour || {});
    document.getElementById("per-category-panel").hidden = perCategory.length === 0;
    fill("per-category", perCategory.map(([category, n]) => {
      const row = document.createElement("tr");
      cell(row, categoryName(category));
      cell(row, String(n));
      return row;
    }));
    document.getElementById("unsupported-panel").hidden = summary.unsupportedLanguage === undefined;
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

// ---- start ----

const initial = readHash();
categoryFilter.value = initial.category;
addStates(initial.state ? [initial.state] : []);
stateFilter.value = initial.state;
categoryFilter.addEventListener("change", () => { writeHash(); applyFilters(); });
stateFilter.addEventListener("change", () => { writeHash(); applyFilters(); });
document.getElementById("filters").addEventListener("reset", () => setTimeout(() => { writeHash(); applyFilters(); }, 0));

connect();
refreshLagHistory().then(refreshLag);
refreshDeadLetters();
refreshSummary();
setInterval(loadRecent, 15000);
setInterval(() => refreshLagHistory().then(refreshLag), 3000);
setInterval(refreshDeadLetters, 5000);
setInterval(refreshSummary, 5000);
