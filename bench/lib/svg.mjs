// A horizontal bar chart as hand-written SVG: one row per category, one bar per series.

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * rows: [{label, values: [number|null per series], texts?: [string per series]}];
 * series: names (a legend is drawn when there are several); note: a line under the title;
 * marker: {value, label}, a dashed vertical line such as a target.
 */
export function barChart({ title, note = '', series, rows, format = (v) => String(v), marker = null }) {
  const W = 760, LABEL = 270, BAR = 16, GAP = 10, TOP = (note ? 58 : 40) + (marker ? 14 : 0), RIGHT = 150;
  const max = Math.max(...rows.flatMap((r) => r.values.filter((v) => v != null)), marker?.value ?? 0, 1e-9);
  const plot = W - LABEL - RIGHT;
  const rowH = series.length * BAR + GAP;
  // Legend entries flow left to right, wrapping; ~7 px per character at 12 px.
  const legend = [];
  let lx = LABEL, ly = 0;
  for (const name of series.length > 1 ? series : []) {
    const w = 16 + name.length * 7 + 20;
    if (lx + w > W && lx > LABEL) { lx = LABEL; ly += 18; }
    legend.push({ name, x: lx, dy: ly });
    lx += w;
  }
  const legendH = legend.length ? ly + 24 : 0;
  const H = TOP + rows.length * rowH + legendH + 10;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  if (note) out.push(`<text x="10" y="42" fill="#555">${esc(note)}</text>`);
  rows.forEach((row, i) => {
    const y0 = TOP + i * rowH;
    out.push(`<text x="${LABEL - 8}" y="${y0 + (series.length * BAR) / 2 + 4}" text-anchor="end">${esc(row.label)}</text>`);
    row.values.forEach((v, s) => {
      if (v == null) return;
      const y = y0 + s * BAR;
      const w = Math.max(1, (v / max) * plot);
      out.push(`<rect x="${LABEL}" y="${y + 1}" width="${w.toFixed(1)}" height="${BAR - 2}" fill="${COLORS[s % COLORS.length]}"/>`);
      out.push(`<text x="${(LABEL + w + 4).toFixed(1)}" y="${y + BAR - 4}">${esc(row.texts?.[s] ?? format(v))}</text>`);
    });
  });
  legend.forEach(({ name, x, dy }, s) => {
    const y = TOP + rows.length * rowH + 8 + dy;
    out.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${COLORS[s % COLORS.length]}"/>`);
    out.push(`<text x="${x + 16}" y="${y + 10}">${esc(name)}</text>`);
  });
  if (marker) {
    const x = (LABEL + (marker.value / max) * plot).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${TOP + rows.length * rowH - GAP}" stroke="#d62728" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x}" y="${TOP - 9}" fill="#d62728" text-anchor="middle">${esc(marker.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
