/**
 * Charts as inline SVG for the self-contained HTML pages (the bench report, the dataset report):
 * vega-lite specs rendered in Node, deterministically. No network (the vega loader refuses every
 * URL), no fonts (text is measured with fixed per-character widths, those of DejaVu Sans, wide
 * enough for the common sans-serif fonts), no dates, locale-free number formats, and the SVG
 * definition ids (gradients, clip paths) are renumbered per chart, so the same data give the same
 * bytes and several charts on one page never share an id. Strings from the data reach a chart
 * only as data values (vega escapes text and attributes when it writes SVG) and reach the page
 * only through `escapeHtml`.
 */
import type { TopLevelSpec } from 'vega-lite';

const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The one way data reaches the page: the HTML specials become character references (safe in text
 * and in quoted attributes), and control characters HTML does not allow become U+FFFD.
 */
export function escapeHtml(s: unknown): string {
  return String(s)
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[&<>"']/g, (ch) => HTML_ENTITY[ch]!);
}

const h = escapeHtml;

// ---------------------------------------------------------------------------------------------
// Rendering vega-lite to SVG

export const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

/** Advance widths in em of DejaVu Sans (Verdana is within a few percent; Helvetica and Arial are narrower). */
const CHAR_EM: Record<string, number> = {};
for (const [chars, em] of [
  ['il', 0.278],
  ['jI', 0.295],
  [" .,:;!|'·", 0.318],
  ['f', 0.352],
  ['-', 0.361],
  ['()[]{}', 0.39],
  ['t/', 0.392],
  ['r', 0.411],
  ['_', 0.5],
  ['s', 0.521],
  ['z', 0.525],
  ['c', 0.55],
  ['L', 0.557],
  ['k', 0.579],
  ['FT', 0.6],
  ['vxy', 0.592],
  ['PY', 0.611],
  ['aeo', 0.613],
  ['E', 0.632],
  ['S', 0.635],
  ['bdghnpqu0123456789#$?', 0.636],
  ['K', 0.656],
  ['ABRVXZ', 0.686],
  ['C', 0.698],
  ['U', 0.732],
  ['HN', 0.75],
  ['DGOQ', 0.78],
  ['&', 0.78],
  ['w', 0.818],
  ['+<=>×−~', 0.838],
  ['M', 0.863],
  ['%', 0.95],
  ['m', 0.974],
  ['W…@', 1.0],
] as const) {
  for (const ch of chars) CHAR_EM[ch] = em;
}

function textWidth(text: string, fontSize: number, bold: boolean): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    em +=
      CHAR_EM[ch] ??
      (cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        cp >= 0x1f300)
        ? 1
        : 0.65);
  }
  return em * fontSize * (bold ? 1.1 : 1);
}

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}
type WidthFn = (item: TextItem, text: unknown) => number;

/** What vega measures text with (absent from its typings). */
function vegaTextMetrics(vega: object): { width: WidthFn } | null {
  const tm = (vega as { textMetrics?: { width: WidthFn } }).textMetrics;
  return tm && typeof tm.width === 'function' ? tm : null;
}

/** Fixed widths instead of a canvas or vega's rough estimate: the layout depends on nothing installed. */
const fixedWidth: WidthFn = (item, text) => {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  const w = textWidth(text == null ? '' : String(text).trim(), size, bold);
  // Vega truncates text to `limit` pixels with its own loop over this function; a cut text is at most `limit` wide.
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
};

let renderQueue: Promise<unknown> = Promise.resolve();

/** Run renders one at a time: vega's text metrics and definition counters are module-wide. */
function serialized<T>(f: () => Promise<T>): Promise<T> {
  const run = renderQueue.then(f, f);
  renderQueue = run.catch(() => undefined);
  return run;
}

/** Rename the SVG's definition ids (gradients, clip paths) to `<prefix>-d<n>`, in order of appearance, inside tags only. */
function renumberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  // Vega escapes '<' and '>' in text and attribute values, so every '<...>' is a tag.
  svg.replace(/<[^>]*>/g, (tag) => {
    const m = /\sid="([^"]*)"/.exec(tag);
    if (m && !ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-d${ids.size}`);
    return tag;
  });
  if (!ids.size) return svg;
  return svg.replace(/<[^>]*>/g, (tag) =>
    tag
      .replace(/(\sid=")([^"]*)"/g, (m, a: string, id: string) => (ids.has(id) ? `${a}${ids.get(id)}"` : m))
      .replace(/url\(#([^)]*)\)/g, (m, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : m))
      .replace(/(href=")#([^"]*)"/g, (m, a: string, id: string) => (ids.has(id) ? `${a}#${ids.get(id)}"` : m)),
  );
}

/**
 * A vega-lite spec as an SVG string with `role="img"` and an `aria-label`. Nothing is loaded:
 * every data value must be inline.
 */
export async function renderChart(spec: TopLevelSpec, opts: { id: string; label: string }): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec).spec;
  return serialized(async () => {
    const base = vega.loader();
    const refuse = async (uri: string): Promise<never> => {
      throw new Error(`the report's charts load nothing (asked for ${uri})`);
    };
    const loader = { ...base, load: refuse, sanitize: refuse, http: refuse, file: refuse };
    const tm = vegaTextMetrics(vega);
    const previous = tm?.width;
    if (tm) tm.width = fixedWidth;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
    try {
      vega.resetSVGDefIds();
      const svg = await view.toSVG();
      const labelled = svg.replace(/^<svg /, `<svg role="img" aria-label="${h(opts.label)}" `);
      return renumberIds(labelled, opts.id);
    } finally {
      view.finalize();
      if (tm && previous) tm.width = previous;
    }
  });
}

/** Series colours (Tableau 10). */
export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#17becf'];

/** The look every chart shares. */
export const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 12,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal' as const,
    titleColor: '#333',
    labelColor: '#333',
    domainColor: '#999',
    tickColor: '#999',
    gridColor: '#ececec',
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' as const, labelLimit: 280, symbolStrokeWidth: 2.5 },
};

/**
 * A self-contained page around `body`: inline CSS only, and a Content-Security-Policy that forbids
 * scripts and every external resource, so a report opened from disk loads and runs nothing.
 */
export function selfContainedPage(opts: { title: string; css: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(opts.title)}</title>
<style>${opts.css}</style>
</head>
<body>
${opts.body}
</body>
</html>
`;
}
