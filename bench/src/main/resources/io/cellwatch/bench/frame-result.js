// Read by DashboardFrameBenchmark at the end of a scenario. A gap between two animation frames longer than 1.5 × the
// median interval counts as round(gap / median) − 1 dropped frames; each such gap is split by whether the page's own
// script (window.cellwatchPerf.log: parse, frame, render, chart) ran inside it. Long animation frames are split by
// whether a script of the page's origin ran in them.
const fb = window.frameBench;
const f = fb.frames;
const gaps = [];
for (let i = 1; i < f.length; i++) gaps.push(f[i] - f[i - 1]);
const sorted = [...gaps].sort((a, b) => a - b);
const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
const p = window.cellwatchPerf || { updates: 0, messages: 0, scriptMs: 0, maxScriptMs: 0, kinds: {}, log: [] };
const log = p.log || [];
let dropped = 0;
// Frames closer than half the median: the frame clock catching up, so "frames" then overstates frames shown.
const shortGaps = gaps.filter((g) => g < 0.5 * median).length;
const gapsWith = { count: 0, dropped: 0, maxScriptMs: 0, scriptMs: 0 };
const gapsWithout = { count: 0, dropped: 0 };
let j = 0;
for (let i = 0; i < gaps.length; i++) {
  const g = gaps[i];
  if (!(g > 1.5 * median)) continue;
  const d = Math.round(g / median) - 1;
  dropped += d;
  const from = f[i];
  const to = f[i + 1];
  // log is [start, end, start, end, …] in time order.
  while (j < log.length && log[j + 1] < from) j += 2;
  let script = 0;
  for (let k = j; k < log.length && log[k] < to; k += 2) {
    script += Math.min(to, log[k + 1]) - Math.max(from, log[k]);
  }
  if (script > 0) {
    gapsWith.count++;
    gapsWith.dropped += d;
    gapsWith.scriptMs += script;
    gapsWith.maxScriptMs = Math.max(gapsWith.maxScriptMs, script);
  } else {
    gapsWithout.count++;
    gapsWithout.dropped += d;
  }
}
const origin = location.origin;
const long = { kind: fb.kind, count: 0, over: 0, withPage: 0, withOther: 0, noScript: 0, maxDurationMs: 0,
  maxPageScriptMs: 0, pageScriptMs: 0, maxRenderMs: 0, byFunction: {} };
for (const e of fb.long) {
  long.count++;
  long.maxDurationMs = Math.max(long.maxDurationMs, e.duration);
  // Style, layout and paint at the frame's end.
  if (e.renderStart > 0) long.maxRenderMs = Math.max(long.maxRenderMs, e.start + e.duration - e.renderStart);
  let page = 0;
  let other = 0;
  for (const s of e.scripts) {
    if (s.source && s.source.startsWith(origin)) {
      page += s.duration;
      const key = s.source.slice(origin.length) + ' ' + (s.fn || s.invoker || '?');
      long.byFunction[key] = (long.byFunction[key] || 0) + s.duration;
    } else {
      other += s.duration;
    }
  }
  if (page > 0) long.withPage++;
  else if (other > 0) long.withOther++;
  else long.noScript++;
  long.pageScriptMs += page;
  long.maxPageScriptMs = Math.max(long.maxPageScriptMs, page);
}
return { frames: f.length, spanMs: f.length > 1 ? f[f.length - 1] - f[0] : 0, medianMs: median, maxGapMs: sorted.length ? sorted[sorted.length - 1] : 0, dropped, shortGaps,
  gapsWith, gapsWithout, long, updates: p.updates, messages: p.messages, scriptMs: p.scriptMs,
  maxScriptMs: p.maxScriptMs, kinds: p.kinds };
