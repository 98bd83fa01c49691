// A tiny canvas trace plotter for the live view: a ring buffer of samples and a plot that draws the last few
// seconds of several channels, decimated to min/max per pixel column when there are more samples than pixels.
"use strict";

/** Samples (time + one value per channel) in a fixed-size ring; oldest overwritten first. */
class Ring {
  constructor(capacity, channels) {
    this.capacity = capacity;
    this.channels = channels;
    this.t = new Float64Array(capacity);
    this.v = Array.from({ length: channels }, () => new Float32Array(capacity));
    this.count = 0;   // samples held
    this.head = 0;    // index of the next write
    this.total = 0;   // samples ever pushed
  }
  push(timeS, values) {
    this.t[this.head] = timeS;
    for (let c = 0; c < this.channels; c++) this.v[c][this.head] = values[c];
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.total++;
  }
  clear() { this.count = 0; this.head = 0; this.total = 0; }
  /** Physical index of the i-th oldest sample. */
  at(i) { return (this.head - this.count + i + this.capacity) % this.capacity; }
  lastTime() { return this.count ? this.t[this.at(this.count - 1)] : NaN; }
  lastValue(c) { return this.count ? this.v[c][this.at(this.count - 1)] : NaN; }
  /** Index (0 = oldest) of the first sample with time >= t0 (binary search: times increase). */
  firstFrom(t0) {
    let lo = 0, hi = this.count;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.t[this.at(mid)] < t0) lo = mid + 1; else hi = mid; }
    return lo;
  }
}

/** Nice tick step for a range (1, 2 or 5 × 10^k) giving about `n` ticks. */
function niceStep(range, n) {
  const raw = range / Math.max(1, n), p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** Number text with a sensible number of decimals for its size. */
function fmt(v) {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/**
 * One plot: `series` are { channel, color, dash } over a shared ring. draw(tEnd) shows [tEnd - windowS, tEnd].
 * The y range follows the data: it grows at once and shrinks slowly, so the traces do not jump.
 */
class TracePlot {
  constructor(canvas, ring, series, { windowS = 5, unit = "" } = {}) {
    this.canvas = canvas; this.ring = ring; this.series = series; this.windowS = windowS; this.unit = unit;
    this.ctx = canvas.getContext("2d");
    this.lo = Infinity; this.hi = -Infinity;
  }
  resize() {
    const dpr = window.devicePixelRatio || 1, w = Math.round(this.canvas.clientWidth * dpr), h = Math.round(this.canvas.clientHeight * dpr);
    if (w && h && (this.canvas.width !== w || this.canvas.height !== h)) { this.canvas.width = w; this.canvas.height = h; }
    return dpr;
  }
  draw(tEnd) {
    const dpr = this.resize(), ctx = this.ctx, W = this.canvas.width, H = this.canvas.height;
    const left = 58 * dpr, right = 8 * dpr, top = 8 * dpr, bottom = 22 * dpr, pw = W - left - right, ph = H - top - bottom;
    ctx.clearRect(0, 0, W, H);
    if (pw <= 0 || ph <= 0) return;
    const ring = this.ring, t0 = tEnd - this.windowS, first = ring.firstFrom(t0);

    // y range over the visible samples of every series, always including zero.
    let lo = 0, hi = 0;
    for (const s of this.series) {
      const v = ring.v[s.channel];
      for (let i = first; i < ring.count; i++) { const y = v[ring.at(i)]; if (y < lo) lo = y; if (y > hi) hi = y; }
    }
    if (hi - lo < 1e-6) { hi += 1; lo -= 1; }
    const pad = 0.08 * (hi - lo); lo -= pad; hi += pad;
    this.lo = lo < this.lo || !Number.isFinite(this.lo) ? lo : this.lo + 0.05 * (lo - this.lo);
    this.hi = hi > this.hi || !Number.isFinite(this.hi) ? hi : this.hi + 0.05 * (hi - this.hi);
    lo = this.lo; hi = this.hi;
    const X = t => left + (t - t0) / this.windowS * pw, Y = v => top + (hi - v) / (hi - lo) * ph;

    // Grid, zero line and labels.
    ctx.font = `${13 * dpr}px system-ui, "DejaVu Sans", sans-serif`;
    ctx.fillStyle = "#333"; ctx.strokeStyle = "#ddd"; ctx.lineWidth = 1 * dpr; ctx.setLineDash([]);
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    const step = niceStep(hi - lo, 4), decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + pw, y); ctx.stroke();
      ctx.fillText((Math.abs(v) < step / 1e6 ? 0 : v).toFixed(decimals), left - 5 * dpr, y);
    }
    ctx.strokeStyle = "#888"; ctx.beginPath(); ctx.moveTo(left, Y(0)); ctx.lineTo(left + pw, Y(0)); ctx.stroke();
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    // Seconds before now, every second, or every other second on a narrow plot.
    const every = pw / dpr / this.windowS < 60 ? 2 : 1;
    for (let ago = 0; ago <= this.windowS; ago += every) {
      ctx.textAlign = ago === 0 ? "right" : "center";
      ctx.fillText(ago === 0 ? "now" : `−${ago} s`, left + (1 - ago / this.windowS) * pw, top + ph + 4 * dpr);
    }
    ctx.textAlign = "center";
    ctx.save(); ctx.translate(12 * dpr, top + ph / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(this.unit, 0, -6 * dpr); ctx.restore();

    // Traces: a polyline, or per pixel column the first, min, max and last value when samples outnumber pixels.
    ctx.save(); ctx.beginPath(); ctx.rect(left, top, pw, ph); ctx.clip();
    ctx.lineWidth = 2.5 * dpr; ctx.lineJoin = "round";
    const dense = (ring.count - first) > pw;
    for (const s of this.series) {
      const v = ring.v[s.channel];
      ctx.strokeStyle = s.color; ctx.setLineDash(s.dash ? s.dash.map(d => d * dpr) : []);
      ctx.beginPath();
      let col = -1, mn = 0, mx = 0, last = 0, started = false;
      const flush = () => { if (col >= 0) { ctx.lineTo(col, Y(mn)); ctx.lineTo(col, Y(mx)); ctx.lineTo(col, Y(last)); } };
      for (let i = first; i < ring.count; i++) {
        const k = ring.at(i), x = X(ring.t[k]), y = v[k];
        if (!started) { ctx.moveTo(x, Y(y)); started = true; }
        if (!dense) { ctx.lineTo(x, Y(y)); continue; }
        const c = Math.round(x);
        if (c !== col) { flush(); col = c; mn = mx = y; ctx.lineTo(c, Y(y)); } else { if (y < mn) mn = y; if (y > mx) mx = y; }
        last = y;
      }
      if (dense) flush();
      ctx.stroke();
    }
    ctx.restore();
  }
}

window.GaitPlot = { Ring, TracePlot, fmt };
