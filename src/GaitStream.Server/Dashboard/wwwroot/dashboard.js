// GaitStream live view: session list (JSON + the SSE `sessions` event), one session's estimates over server-sent
// events into a ring buffer, plots redrawn on requestAnimationFrame, per-cycle peak/mean, and the page states
// no-data / waiting / live / stalled / ended / disconnected. Test hook: window.__gaitstream and data-* on <main>.
"use strict";
(() => {
  const { Ring, TracePlot, fmt } = window.GaitPlot;
  const { CycleDetector } = window.GaitCycles;
  const WINDOW_S = 5, STALL_MS = 1000, RING = 4096, ENDED_SHOWN_MS = 4000, MAX_LEAD_S = 0.25;
  const RIGHT = { side: "r", label: "Right", color: "#0072B2", dash: null };
  const LEFT = { side: "l", label: "Left", color: "#E69F00", dash: [9, 5] };
  const TITLES = {
    hip_flexion: "Hip flexion moment (+ flexion)", hip_adduction: "Hip adduction moment (+ adduction)",
    hip_rotation: "Hip rotation moment (+ internal)", glut_max: "Gluteus maximus", glut_med: "Gluteus medius",
    glut_min: "Gluteus minimus", iliopsoas: "Iliopsoas", adductors: "Adductors", hamstrings: "Hamstrings",
    rect_fem: "Rectus femoris", tfl: "Tensor fasciae latae",
  };

  const $ = id => document.getElementById(id);
  const main = $("app"), statusEl = $("status"), detailEl = $("status-detail"), tbody = document.querySelector("#sessions tbody");
  const hook = window.__gaitstream = {
    state: "connecting", sessionId: null, lastSeq: null, lastTimeS: null, perKg: false, plotted: {},
    estimatesReceived: 0, framesDrawn: 0, drawFps: 0, cycles: {}, sessions: [],
  };

  let sessions = [], selected = null, source = null, view = null, ended = null, pollTimer = null;

  // ---- sessions list -------------------------------------------------------------------------------------------
  function renderSessions(list) {
    sessions = list; hook.sessions = list.map(s => s.sessionId);
    const keep = new Set(list.map(s => s.sessionId));
    for (const row of [...tbody.rows]) if (!keep.has(row.dataset.id)) row.remove();
    list.forEach((s, i) => {
      let row = [...tbody.rows].find(r => r.dataset.id === s.sessionId);
      if (!row) {
        row = document.createElement("tr");
        row.dataset.id = s.sessionId;
        row.addEventListener("click", () => select(s.sessionId, true));
        row.addEventListener("keydown", onRowKey);
        for (let c = 0; c < 7; c++) row.appendChild(document.createElement("td"));
      }
      if (tbody.rows[i] !== row) tbody.insertBefore(row, tbody.rows[i] || null);
      const cells = [s.sessionId + (s.label ? ` — ${s.label}` : ""), s.subjectId || "–", s.modelId, `${fmt(s.sampleRateHz)} Hz`,
        s.framesPerS.toFixed(0), `${s.inFlight} fr`, String(s.estimatesSent)];
      cells.forEach((text, c) => { const td = row.cells[c]; if (td.textContent !== text) td.textContent = text; if (c >= 4) td.className = "num"; });
      const isSel = s.sessionId === selected;
      row.setAttribute("aria-selected", String(isSel));
      row.tabIndex = isSel || (!selected && i === 0) ? 0 : -1;
      row.setAttribute("aria-label", `Session ${s.sessionId}, subject ${s.subjectId || "unknown"}, model ${s.modelId}, ` +
        `${s.framesPerS.toFixed(0)} frames per second, lag ${s.inFlight} frames${isSel ? ", shown" : ""}`);
    });
  }

  function onRowKey(e) {
    const rows = [...tbody.rows], i = rows.indexOf(e.currentTarget);
    let next = null;
    if (e.key === "ArrowDown") next = rows[Math.min(rows.length - 1, i + 1)];
    else if (e.key === "ArrowUp") next = rows[Math.max(0, i - 1)];
    else if (e.key === "Home") next = rows[0];
    else if (e.key === "End") next = rows[rows.length - 1];
    else if (e.key === "Enter" || e.key === " ") { select(e.currentTarget.dataset.id, true); e.preventDefault(); return; }
    if (next) { rows.forEach(r => { r.tabIndex = r === next ? 0 : -1; }); next.focus(); e.preventDefault(); }
  }

  async function poll() {
    clearTimeout(pollTimer);
    try {
      const r = await fetch("/api/sessions", { cache: "no-store" });
      const snap = await r.json();
      renderSessions(snap.sessions);
      if (snap.sessions.length) { select(snap.sessions[0].sessionId, false); return; }
      setState("no-data");
    } catch { setState("disconnected"); }
    pollTimer = setTimeout(poll, 1000);
  }

  // ---- one session ---------------------------------------------------------------------------------------------
  function select(id, byUser) {
    if (id === selected && source) return;
    if (source) source.close();
    clearTimeout(pollTimer);
    selected = id; ended = null; view = null;
    hook.sessionId = id; hook.lastSeq = null; hook.lastTimeS = null; hook.plotted = {}; hook.cycles = {};
    main.dataset.session = id; main.dataset.lastSeq = "";
    $("view").hidden = true;
    $("warning").textContent = "";
    renderSessions(sessions);
    if (byUser) [...tbody.rows].find(r => r.dataset.id === id)?.focus();
    setState("waiting");
    source = new EventSource(`/api/sessions/${encodeURIComponent(id)}/events`);
    source.addEventListener("sessions", e => onSessions(JSON.parse(e.data)));
    source.addEventListener("session", e => onSession(JSON.parse(e.data)));
    source.addEventListener("estimates", e => onEstimates(JSON.parse(e.data)));
    source.addEventListener("warning", e => { const w = JSON.parse(e.data); $("warning").textContent = `Last warning — ${w.code}: ${w.message}`; });
    source.addEventListener("ended", e => { ended = JSON.parse(e.data); ended.receivedAt = performance.now(); });
    source.onopen = () => { if (hook.state === "disconnected") setState("waiting"); };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) { source = null; selected = null; poll(); } // 404: gone
      else setState("disconnected"); // EventSource retries by itself
    };
  }

  function onSessions(snap) {
    renderSessions(snap.sessions);
    const live = snap.sessions.find(s => s.sessionId === selected);
    if (live) return;
    // The shown session is gone: after showing "ended" for a few seconds, follow the first live one, or show
    // "no data" and poll.
    if (ended && performance.now() - ended.receivedAt < ENDED_SHOWN_MS) return;
    if (snap.sessions.length) select(snap.sessions[0].sessionId, false);
    else { source?.close(); source = null; selected = null; poll(); }
  }

  function onSession(info) {
    if (info.sessionId !== selected) return;
    // A session_started after "ended" is the same id streaming again (e.g. the next replay run): start afresh.
    const restarted = ended !== null;
    ended = null;
    if (!restarted && view && view.key === info.outputs.map(o => o.name).join(",")) { view.info = info; return; }
    buildView(info);
  }

  function parseChannel(name) {
    const base = name.replace(/_moment$/, ""), m = /^(.*)_([rl])$/.exec(base);
    return m ? { group: m[1], side: m[2] } : { group: base, side: null };
  }

  function buildView(info) {
    const n = info.outputs.length;
    const ring = new Ring(RING, 2 * n); // channels 0..n−1 physical, n..2n−1 per kg
    const groups = { moment: new Map(), force: new Map() };
    info.outputs.forEach((o, i) => {
      const kind = o.kind === "moment" ? "moment" : o.kind === "force" ? "force" : null;
      if (!kind) return;
      const { group, side } = parseChannel(o.name);
      if (!groups[kind].has(group)) groups[kind].set(group, { group, kind, unit: o.unit, unitPerKg: o.unitPerKg, r: -1, l: -1, other: -1 });
      groups[kind].get(group)[side || "other"] = i;
    });
    const cards = [];
    for (const kind of ["moment", "force"]) {
      const host = $(kind === "moment" ? "moments" : "forces");
      host.replaceChildren();
      for (const g of groups[kind].values()) cards.push(makeCard(host, g, ring, n));
    }
    $("no-forces").hidden = groups.force.size > 0;
    $("forces").hidden = groups.force.size === 0;
    const unitOf = kind => { const o = info.outputs.find(c => c.kind === kind); return o ? o : null; };
    // Cycle detectors per side, triggered by that side's hip flexion moment.
    const detectors = {};
    for (const side of ["r", "l"]) {
      const flex = info.outputs.findIndex(o => o.name === `hip_flexion_${side}_moment`);
      const channels = [];
      info.outputs.forEach((o, i) => { if (parseChannel(o.name).side === side) channels.push(i, i + n); });
      detectors[side] = new CycleDetector(ring, flex, channels);
    }
    view = { key: info.outputs.map(o => o.name).join(","), info, ring, cards, detectors, n, unitOf, dirty: true, lastEstimateAt: 0 };
    $("view-title").textContent = `Session ${info.sessionId}` + (info.subjectId ? ` — subject ${info.subjectId}` : "") +
      ` — model ${info.modelId}, ${fmt(info.bodyMassKg)} kg`;
    $("view").hidden = false;
    applyUnits();
  }

  function makeCard(host, g, ring, n) {
    const card = document.createElement("div");
    card.className = "card";
    const title = TITLES[g.group] || g.group;
    const h = document.createElement("h4"); h.textContent = title; card.appendChild(h);
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${title}, last ${WINDOW_S} seconds: right side solid blue, left side dashed orange`);
    card.appendChild(canvas);
    const stats = document.createElement("div");
    stats.className = "stats";
    stats.setAttribute("aria-label", `${title}: peak and mean over the last gait cycle`);
    const cells = {};
    for (const s of [RIGHT, LEFT]) {
      if (g[s.side] < 0) continue;
      const side = document.createElement("span"); side.className = `side ${s.side === "r" ? "right" : "left"}`; side.textContent = s.label;
      stats.appendChild(side);
      for (const what of ["peak", "mean"]) {
        const cell = document.createElement("span"); cell.className = "big";
        cell.innerHTML = `<span class="lbl">cycle ${what}</span><span class="v">–</span>`;
        cell.dataset.channel = `${g[s.side]}`; cell.dataset.stat = what;
        stats.appendChild(cell);
        cells[`${s.side}.${what}`] = cell.querySelector(".v");
      }
    }
    card.appendChild(stats);
    host.appendChild(card);
    const series = [];
    for (const s of [RIGHT, LEFT]) if (g[s.side] >= 0) series.push({ base: g[s.side], channel: g[s.side], color: s.color, dash: s.dash });
    if (g.other >= 0) series.push({ base: g.other, channel: g.other, color: "#333", dash: null });
    const plot = new TracePlot(canvas, ring, series, { windowS: WINDOW_S, unit: g.unit });
    return { g, plot, series, cells, title };
  }

  function applyUnits() {
    if (!view) return;
    const perKg = hook.perKg = $("perkg").checked;
    for (const c of view.cards) {
      c.plot.unit = perKg ? c.g.unitPerKg : c.g.unit;
      for (const s of c.series) s.channel = s.base + (perKg ? view.n : 0);
      c.plot.lo = Infinity; c.plot.hi = -Infinity;
    }
    const m = view.unitOf("moment"), f = view.unitOf("force");
    $("moment-unit").textContent = m ? `(${perKg ? m.unitPerKg : m.unit})` : "";
    $("force-unit").textContent = f ? `(${perKg ? f.unitPerKg : f.unit})` : "";
    view.dirty = true; view.statsDirty = true;
  }

  function onEstimates(msg) {
    if (!view || msg.sessionId !== selected) return;
    // Time running backwards by more than a second: the device or replay restarted its clock; start afresh.
    if (msg.estimates.length && msg.estimates[0].timeS < view.ring.lastTime() - 1) buildView(view.info);
    const n = view.n, row = new Float32Array(2 * n);
    for (const e of msg.estimates) {
      if (e.timeS <= view.ring.lastTime()) continue; // the plots and cycles need increasing time
      for (let i = 0; i < n; i++) { row[i] = e.values[i]; row[i + n] = e.valuesPerKg[i]; }
      view.ring.push(e.timeS, row);
      hook.estimatesReceived++;
      view.lastSeq = e.seq;
    }
    view.detectors.r.update(); view.detectors.l.update();
    view.lastEstimateAt = performance.now();
    view.dirty = true; view.statsDirty = true;
    hook.dropped = msg.dropped;
  }

  // ---- state and drawing ---------------------------------------------------------------------------------------
  // The status text (an aria-live region) changes only with the state, so screen readers announce transitions,
  // not every estimate; the ticking detail beside it is hidden from them.
  function setState(state, text, detail = "") {
    const texts = {
      connecting: "Connecting…",
      "no-data": "No live sessions. Start a device stream, a replay, or gaitstream-server --demo.",
      waiting: "Waiting for the first estimates (the model's window is filling)…",
      live: "Live",
      stalled: "Stream stalled: no estimate for over 1 s.",
      ended: "Session ended.",
      disconnected: "Disconnected from the server; retrying…",
    };
    text = text || texts[state];
    if (hook.state !== state) { hook.state = state; main.dataset.state = state; }
    if (statusEl.textContent !== text) statusEl.textContent = text;
    if (detailEl.textContent !== detail) detailEl.textContent = detail;
    if (state === "no-data") $("view").hidden = true;
  }

  function updateState(now) {
    if (!selected) return;
    if (hook.state === "disconnected") return;
    if (ended) { setState("ended", `Session ${ended.sessionId} ended (${ended.status}${ended.detail ? ": " + ended.detail : ""}).`); return; }
    if (!view || !view.lastEstimateAt) { setState("waiting"); return; }
    const quiet = now - view.lastEstimateAt;
    if (quiet > STALL_MS) setState("stalled", `Stream stalled: no estimate for over 1 s (${view.info.sessionId}).`, `${(quiet / 1000).toFixed(1)} s without an estimate`);
    else setState("live", `Live — ${view.info.sessionId}`, `estimate t = ${view.ring.lastTime().toFixed(2)} s`);
  }

  function updateStats() {
    const perKg = hook.perKg, off = perKg ? view.n : 0, parts = [];
    for (const side of ["r", "l"]) {
      const d = view.detectors[side], last = d.last;
      hook.cycles[side] = last ? { kind: last.kind, startS: last.startS, endS: last.endS, count: d.cycles } : null;
      if (!last) continue;
      parts.push(`${side === "r" ? "Right" : "Left"}: ${last.kind === "cycle" ? `gait cycle of ${(last.endS - last.startS).toFixed(2)} s (hip flexion moment zero-crossings)` : "1.1 s window (no gait cycle detected)"}`);
      for (const c of view.cards) {
        const ch = c.g[side];
        if (ch < 0) continue;
        const st = last.stats.get(ch + off);
        if (!st) continue;
        c.cells[`${side}.peak`].textContent = fmt(st.peak);
        c.cells[`${side}.mean`].textContent = fmt(st.mean);
      }
    }
    $("cycle-info").textContent = parts.length ? parts.join(" · ") : "Per-cycle peak and mean appear after the first gait cycle.";
  }

  let fpsFrames = 0, fpsStart = performance.now();
  function frame(now) {
    updateState(now);
    // While live, redraw every frame and let the time axis run on up to MAX_LEAD_S past the newest estimate, so
    // the traces scroll smoothly between estimate batches; otherwise draw only when something changed.
    if (view && (view.dirty || hook.state === "live")) {
      const tEnd = view.ring.lastTime();
      if (Number.isFinite(tEnd)) {
        const lead = hook.state === "live" ? Math.min(MAX_LEAD_S, (now - view.lastEstimateAt) / 1000) : 0;
        for (const c of view.cards) c.plot.draw(tEnd + Math.max(0, lead));
        const off = hook.perKg ? view.n : 0, plotted = {};
        view.info.outputs.forEach((o, i) => { plotted[o.name] = view.ring.lastValue(i + off); });
        hook.plotted = plotted; hook.lastSeq = view.lastSeq; hook.lastTimeS = tEnd;
        main.dataset.lastSeq = String(view.lastSeq);
        hook.framesDrawn++; fpsFrames++;
      }
      view.dirty = false;
    }
    if (view && view.statsDirty) { updateStats(); view.statsDirty = false; }
    if (now - fpsStart >= 1000) { hook.drawFps = fpsFrames * 1000 / (now - fpsStart); fpsFrames = 0; fpsStart = now; }
    requestAnimationFrame(frame);
  }

  $("perkg").addEventListener("change", applyUnits);
  window.addEventListener("resize", () => { if (view) view.dirty = true; });
  requestAnimationFrame(frame);
  poll();
})();
