// The plants map: the bundled Natural Earth land outline (world-atlas, 1:110m) in an equirectangular projection,
// and one pin per site whose retained meta carries a location. Nothing is fetched from outside the server.

import { h, nodeHref } from './dom.js';

let landPath = null;

async function land() {
  if (landPath === null) {
    const topology = await (await fetch('vendor/world-atlas/land-110m.json')).json();
    const geo = window.topojson.feature(topology, topology.objects.land);
    const parts = [];
    for (const feature of geo.features || [geo]) {
      const g = feature.geometry;
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      for (const polygon of polygons) {
        for (const ring of polygon) {
          parts.push(ringPath(ring));
        }
      }
    }
    landPath = parts.join('');
  }
  return landPath;
}

// A ring that runs along the antimeridian (Antarctica, Chukotka) would draw a line across the whole map at the
// jump from +180 to -180: start a new subpath there instead.
function ringPath(ring) {
  let d = '';
  let previous = null;
  for (const [lon, lat] of ring) {
    const jump = previous === null || Math.abs(lon - previous) > 180;
    d += (jump ? 'M' : 'L') + (lon + 180).toFixed(2) + ',' + (90 - lat).toFixed(2);
    previous = lon;
  }
  return d + 'Z';
}

/** Draws {@code plants} ({path, name, lat, lon}) into {@code container}. */
export async function drawMap(container, plants) {
  const d = await land();
  const pins = plants.filter((p) => p.lat !== undefined).map((p) => {
    const label = p.name || p.path.split('/').pop();
    return h('svg:a', { href: nodeHref(p.path), class: 'pin', 'data-path': p.path },
      h('circle', { cx: (p.lon + 180).toFixed(2), cy: (90 - p.lat).toFixed(2), r: 2.4 }),
      h('title', {}, `${label} (${p.lat.toFixed(2)}, ${p.lon.toFixed(2)})`));
  });
  const svg = h('svg', { viewBox: '0 0 360 180', class: 'world', role: 'img', 'aria-label': 'Plants map' },
    h('rect', { x: 0, y: 0, width: 360, height: 180, class: 'sea' }),
    h('path', { d, class: 'land' }),
    pins);
  const missing = plants.filter((p) => p.error);
  container.replaceChildren(svg,
    missing.length ? h('p', { class: 'note' }, missing.map((p) => `${p.path.split('/').pop()}: ${p.error}`).join('; ')) : '');
}
