// Started by DashboardFrameBenchmark after its warm-up: records every animation frame's start, Chromium's long
// animation frames (>= 50 ms, with the scripts that ran in them) or, where those are not supported, long tasks, and
// resets the page's own script counters (window.cellwatchPerf) and starts its log of script intervals.
const fb = window.frameBench = { frames: [], long: [], kind: 'none' };
const types = PerformanceObserver.supportedEntryTypes || [];
if (types.includes('long-animation-frame')) {
  fb.kind = 'long-animation-frame';
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      fb.long.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
        renderStart: e.renderStart, styleStart: e.styleAndLayoutStart,
        scripts: e.scripts.map((s) => ({ duration: s.duration, invoker: s.invoker, source: s.sourceURL,
          fn: s.sourceFunctionName, forcedLayout: s.forcedStyleAndLayoutDuration })) });
    }
  }).observe({ type: 'long-animation-frame' });
} else if (types.includes('longtask')) {
  fb.kind = 'longtask';
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      fb.long.push({ start: e.startTime, duration: e.duration, blocking: Math.max(0, e.duration - 50),
        scripts: e.attribution.map((a) => ({ duration: e.duration, invoker: a.name, source: a.containerSrc || '',
          fn: '' })) });
    }
  }).observe({ type: 'longtask' });
}
requestAnimationFrame(function tick(t) { fb.frames.push(t); requestAnimationFrame(tick); });
const p = window.cellwatchPerf;
if (p) {
  Object.assign(p, { updates: 0, messages: 0, scriptMs: 0, maxScriptMs: 0, log: [] });
  for (const k of Object.values(p.kinds)) Object.assign(k, { count: 0, ms: 0, maxMs: 0 });
}
