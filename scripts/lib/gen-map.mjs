// scripts/lib/gen-map.mjs — the work of scripts/gen-map (see there):
//   node scripts/lib/gen-map.mjs NODE_MODULES ISO_3166_1_JSON OUT_JSON
// NODE_MODULES holds world-atlas, topojson-client and d3-geo.
//
// OUT_JSON: {"source", "licence", "width", "height", "countries": [
//   {"code": "CL", "d": "M…", "x": 312.4, "y": 801.2, "small": false}, …]}
// code   ISO 3166-1 alpha-2; the 33 states of www/data/countries.json's "lac",
//        and the region's territories Natural Earth draws (French Guiana,
//        Guadeloupe and Martinique are cut out of France's shape);
// d      SVG path data in a width × height box (relative, 0.1 units);
// x, y   where a marker goes: the centre of the country's largest part;
// small  true when the shape is too small to see or to point at on the
//        map, so the page draws a marker (a dot) at x, y as well.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [modules, isoFile, outFile] = process.argv.slice(2);
if (!modules || !isoFile || !outFile) {
  process.stderr.write('usage: gen-map.mjs NODE_MODULES ISO_3166_1_JSON OUT_JSON\n');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), 'x.js'));
const topojson = require('topojson-client');
const d3 = await import(pathToFileURL(path.join(path.resolve(modules), 'd3-geo', 'dist', 'd3-geo.mjs')).href);
const atlasVersion = require('world-atlas/package.json').version;
const world = require('world-atlas/countries-50m.json');

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const { lac } = JSON.parse(fs.readFileSync(path.join(root, 'www', 'data', 'countries.json'), 'utf8'));

// Territories of the region that Natural Earth draws as countries of their own.
const TERRITORIES = ['PR', 'AW', 'CW', 'SX', 'KY', 'TC', 'VG', 'VI', 'AI', 'MS', 'BL', 'MF', 'FK'];
// Parts of France's shape in the region: [code, west, south, east, north].
const FRANCE = [['GF', -55, 1, -51, 6.5], ['GP', -62, 15.8, -60.9, 16.6], ['MQ', -61.3, 14.3, -60.7, 14.95]];
const WIDTH = 1000;
const PAD = 6;
// Shapes under this many square units (of WIDTH²) get a marker too.
const SMALL_AREA = 60;
// Parts (islets) under this area are left out, except a country's largest.
const MIN_PART = 0.4;

function fail(msg) {
  process.stderr.write(`gen-map: ${msg}\n`);
  process.exit(1);
}

const iso = JSON.parse(fs.readFileSync(isoFile, 'utf8'))['3166-1'];
const alpha2 = new Map(iso.map((e) => [e.numeric, e.alpha_2]));

const byCode = new Map();
for (const g of world.objects.countries.geometries) {
  const code = alpha2.get(g.id);
  if (code) byCode.set(code, topojson.feature(world, g));
}

/** A feature's polygons as separate features. */
function parts(f) {
  const g = f.geometry;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } }));
}

function multi(polys) {
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'MultiPolygon', coordinates: polys.map((p) => p.geometry.coordinates) },
  };
}

const features = [];
for (const code of [...lac, ...TERRITORIES]) {
  const f = byCode.get(code);
  if (!f) {
    if (lac.includes(code)) fail(`${code} is not in world-atlas's countries-50m`);
    continue; // a territory Natural Earth does not draw: the page's table lists it
  }
  features.push({ code, feature: f });
}
const france = byCode.get('FR');
if (!france) fail('FR is not in world-atlas');
for (const [code, w, s, e, n] of FRANCE) {
  const inside = parts(france).filter((p) => {
    const [x, y] = d3.geoCentroid(p);
    return x >= w && x <= e && y >= s && y <= n;
  });
  if (inside.length === 0) fail(`no part of France's shape in ${code}'s box`);
  features.push({ code, feature: multi(inside) });
}

// An equal-area projection centred on the region, fitted to the states alone
// (territories far off, such as the Falklands, stay inside anyway).
const projection = d3.geoAzimuthalEqualArea().rotate([78, 8]);
const states = { type: 'FeatureCollection', features: features.filter((f) => lac.includes(f.code)).map((f) => f.feature) };
projection.fitWidth(WIDTH - 2 * PAD, states);
const all = { type: 'FeatureCollection', features: features.map((f) => f.feature) };
const [[x0, y0], [x1, y1]] = d3.geoPath(projection).bounds(all);
projection.translate([projection.translate()[0] - x0 + PAD, projection.translate()[1] - y0 + PAD]);
const height = Math.ceil(y1 - y0 + 2 * PAD);

const round = (v) => Math.round(v * 10) / 10;
const num = (v) => String(round(v)).replace(/^(-?)0\./, '$1.');

/** A d3 path context writing compact relative SVG path data. */
function relativePath() {
  const out = [];
  let x = 0;
  let y = 0;
  let sx = 0;
  let sy = 0;
  let last = '';
  const cmd = (c, a, b) => {
    const nums = `${num(a)}${b < 0 ? '' : ' '}${num(b)}`;
    out.push(c === last ? `${a < 0 ? '' : ' '}${nums}` : `${c}${nums}`);
    last = c;
  };
  return {
    moveTo(px, py) {
      x = sx = round(px);
      y = sy = round(py);
      out.push(`M${num(x)}${y < 0 ? '' : ' '}${num(y)}`);
      last = 'M';
    },
    lineTo(px, py) {
      const nx = round(px);
      const ny = round(py);
      if (nx === x && ny === y) return;
      cmd('l', nx - x, ny - y);
      x = nx;
      y = ny;
    },
    closePath() {
      out.push('z');
      last = 'z';
      x = sx;
      y = sy;
    },
    arc() {},
    toString() {
      return out.join('');
    },
  };
}

const area = d3.geoPath(projection);
const countries = features.map(({ code, feature }) => {
  const ps = parts(feature).map((p) => ({ p, a: area.area(p) })).sort((a, b) => b.a - a.a);
  const kept = ps.filter((x, i) => i === 0 || x.a >= MIN_PART).map((x) => x.p);
  const ctx = relativePath();
  d3.geoPath(projection, ctx)(multi(kept));
  const [cx, cy] = area.centroid(ps[0].p);
  return { code, d: ctx.toString(), x: round(cx), y: round(cy), small: area.area(feature) < SMALL_AREA };
});
countries.sort((a, b) => (a.code < b.code ? -1 : 1));

const text = `${JSON.stringify({
  source: `Natural Earth 1:50m Admin 0 countries (public domain), from world-atlas ${atlasVersion}; `
    + 'projected (azimuthal equal-area) by scripts/gen-map; see LICENSE-map.txt',
  width: WIDTH,
  height,
  countries: [],
}, null, 1).replace('"countries": []', `"countries": [\n${countries.map((c) => JSON.stringify(c)).join(',\n')}\n ]`)}\n`;
JSON.parse(text);
fs.writeFileSync(outFile, text);
process.stdout.write(`gen-map: ${outFile}: ${countries.length} shapes, ${countries.filter((c) => c.small).map((c) => c.code).join(' ')} with markers, ${text.length} bytes\n`);
