// Gait-cycle detection from the estimates themselves, per side, so the dashboard needs no foot switches or events.
//
// A cycle runs from one upward zero-crossing of the side's hip flexion moment to the next: in walking and running the
// hip moment turns from extensor to flexor once per stride, in mid-stance. Crossings use hysteresis (the moment must
// go below −h, cross zero, then rise above +h, with h = 10 % of its range over the last 2.5 s) and a cycle counts only
// if it lasts 0.4–2.5 s. When the model has no hip flexion moment for the side, or no valid crossing came for 2.5 s
// (standing, shuffling, a noisy model), fixed 1.1 s windows stand in for cycles and the page says so.
"use strict";

class CycleDetector {
  /**
   * ring: the session's GaitPlot.Ring; trigger: ring channel of the side's hip flexion moment (−1: none);
   * channels: ring channels to summarise per cycle.
   */
  constructor(ring, trigger, channels, { minS = 0.4, maxS = 2.5, fallbackS = 1.1, hysteresis = 0.1 } = {}) {
    Object.assign(this, { ring, trigger, channels, minS, maxS, fallbackS, hysteresis });
    this.seen = 0;            // ring.total already processed
    this.phase = "unknown";   // unknown | below | rising | above
    this.h = 0;
    this.prevY = NaN; this.prevT = NaN;
    this.candidate = NaN;     // time of the zero-crossing being confirmed
    this.lastCrossing = -Infinity;
    this.windowStart = NaN;   // fallback window start
    this.last = null;         // { kind: "cycle" | "window", startS, endS, stats: Map(channel → { peak, mean }) }
    this.cycles = 0;
  }

  /** Processes the samples pushed since the last call. */
  update() {
    const ring = this.ring, fresh = Math.min(ring.total - this.seen, ring.count);
    for (let i = ring.count - fresh; i < ring.count; i++) {
      const k = ring.at(i), t = ring.t[k];
      if (this.trigger >= 0) this.step(t, ring.v[this.trigger][k], ring.total - (ring.count - i));
      this.fallback(t);
    }
    this.seen = ring.total;
  }

  step(t, y, n) {
    if (n % 15 === 0) this.h = this.hysteresis * this.range(t - this.maxS);
    if (y < -this.h) this.phase = "below";
    else if (this.phase === "below" && y >= 0) {
      // Interpolate the crossing between the previous sample and this one.
      this.candidate = Number.isFinite(this.prevY) && y !== this.prevY ? this.prevT + (t - this.prevT) * (0 - this.prevY) / (y - this.prevY) : t;
      this.phase = "rising";
    }
    if (this.phase === "rising" && y > this.h) {
      this.phase = "above";
      const c = this.candidate, d = c - this.lastCrossing;
      if (d >= this.minS && d <= this.maxS) this.close(this.lastCrossing, c, "cycle");
      if (d >= this.minS) this.lastCrossing = c; // a crossing sooner than minS is a wobble, not a new stride
    }
    this.prevY = y; this.prevT = t;
  }

  fallback(t) {
    if (t - this.lastCrossing <= this.maxS) { this.windowStart = NaN; return; }
    if (!Number.isFinite(this.windowStart)) this.windowStart = t;
    if (t - this.windowStart >= this.fallbackS) { this.close(this.windowStart, t, "window"); this.windowStart = t; }
  }

  range(fromT) {
    const ring = this.ring, v = ring.v[this.trigger];
    let lo = Infinity, hi = -Infinity;
    for (let i = ring.firstFrom(fromT); i < ring.count; i++) { const y = v[ring.at(i)]; if (y < lo) lo = y; if (y > hi) hi = y; }
    return hi > lo ? hi - lo : 0;
  }

  /** Peak (the signed value of largest magnitude) and mean of every channel over [startS, endS]. */
  close(startS, endS, kind) {
    const ring = this.ring, stats = new Map();
    for (const c of this.channels) stats.set(c, { peak: NaN, mean: NaN, sum: 0, n: 0 });
    for (let i = ring.firstFrom(startS); i < ring.count; i++) {
      const k = ring.at(i);
      if (ring.t[k] > endS) break;
      for (const c of this.channels) {
        const s = stats.get(c), y = ring.v[c][k];
        if (!(Math.abs(y) <= Math.abs(s.peak))) s.peak = y;
        s.sum += y; s.n++;
      }
    }
    for (const s of stats.values()) { s.mean = s.n ? s.sum / s.n : NaN; delete s.sum; }
    this.last = { kind, startS, endS, stats };
    this.cycles++;
  }
}

window.GaitCycles = { CycleDetector };
