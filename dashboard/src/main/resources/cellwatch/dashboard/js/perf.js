// The page's own script time by kind of work, read by the frame-budget benchmark as window.cellwatchPerf: "frame"
// (storing a live frame's samples), "render" (a view's redraw), "chart" (a history chart's live tail), "parse" (JSON
// of a live frame), "alerts" (the alerts panel's and the title/favicon's redraw, in the same animation frame). The benchmark resets it after its warm-up and then also has every interval logged.

/** Counters of one kind of work: how often, total and longest milliseconds. */
function counter() {
  return { count: 0, ms: 0, maxMs: 0 };
}

export const perf = {
  // updates / scriptMs / maxScriptMs: redraws, frame + alerts + render time, longest redraw with the alerts panel's
  // (the benchmark's first figures).
  updates: 0, messages: 0, scriptMs: 0, maxScriptMs: 0,
  kinds: { parse: counter(), frame: counter(), render: counter(), chart: counter(), alerts: counter() },
};
window.cellwatchPerf = perf;

/** Runs {@code work} and counts its time under {@code kind}; returns its result. */
export function timed(kind, work) {
  const start = performance.now();
  try {
    return work();
  } finally {
    const ms = performance.now() - start;
    const c = perf.kinds[kind];
    // The benchmark sets a log to tell the page's script from other work inside a long frame gap.
    if (perf.log) perf.log.push(start, start + ms);
    c.count++;
    c.ms += ms;
    if (ms > c.maxMs) c.maxMs = ms;
  }
}
