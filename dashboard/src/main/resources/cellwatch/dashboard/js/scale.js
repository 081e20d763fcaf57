// Colour scale for cells: viridis (readable with the common colour-vision deficiencies and in greyscale).

const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b',
  '#fde725'];

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

const STOPS = VIRIDIS.map(rgb);

/** The colour of {@code t} in [0, 1]. */
export function colour(t) {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0.5)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const c = STOPS[i].map((v, k) => Math.round(v + (STOPS[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Dark text on the light end of the scale, light text on the dark end. */
export function textColour(t) {
  return t > 0.55 ? '#111' : '#fff';
}

/** A CSS gradient of the whole scale, for the legend. */
export const GRADIENT = 'linear-gradient(to right, ' + VIRIDIS.join(', ') + ')';

/** Maps values to [0, 1] over [min, max]; a flat pack sits in the middle. */
export function domain(min, max) {
  const span = max - min;
  return (v) => (span > 0 ? (v - min) / span : 0.5);
}
