// A tiny element builder: h('td', {class: 'num'}, '3.671'). Text is always set as text, never as HTML.

export function h(tag, attrs = {}, ...children) {
  // 'svg:a' is a link inside an SVG drawing.
  const svg = tag === 'svg' || SVG_TAGS.has(tag) || tag.startsWith('svg:');
  const el = svg
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.replace('svg:', ''))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.slice(2), v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return el;
}

const SVG_TAGS = new Set(['path', 'circle', 'g', 'title', 'rect', 'text', 'polyline']);

/** The link to a node's page. */
export function nodeHref(path, params) {
  const qs = params ? new URLSearchParams(params).toString() : '';
  return '#/' + path.split('/').map(encodeURIComponent).join('/') + (qs ? '?' + qs : '');
}
