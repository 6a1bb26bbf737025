#!/usr/bin/env node
// Draws Reverie's icons from geometry, with no image tool: a crescent moon and three sparkles on a
// night-blue rounded square (icon.svg is the same drawing as a vector). Writes every file the app
// and electron-builder use:
//   icon.png (1024), png/NxN.png (Linux icon set), icon.ico (Windows), icon.icns (macOS),
//   tray.png + tray@2x.png (Windows/Linux, colour), trayTemplate.png + @2x (macOS, black + alpha).
// Run: node resources/icons/generate.mjs   (deterministic: the same bytes every time)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding (RGBA, 8 bits, no interlace) ----
const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---- The drawing, in a 1024-unit square; shapes are signed distance functions (negative inside) ----
const sdCircle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
function sdRoundRect(x, y, x0, y0, x1, y1, r) {
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, hx = (x1 - x0) / 2 - r, hy = (y1 - y0) / 2 - r;
  const qx = Math.abs(x - cx) - hx, qy = Math.abs(y - cy) - hy;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
// The crescent: a disc minus a disc shifted up and right.
const sdMoon = (x, y) => Math.max(sdCircle(x, y, 470, 540, 250), -sdCircle(x, y, 590, 440, 215));
// A four-pointed sparkle: distance to a concave star shape, approximated by an L^0.5 "astroid".
function sdSparkle(x, y, cx, cy, r) {
  const dx = Math.abs(x - cx) / r, dy = Math.abs(y - cy) / r;
  const v = Math.sqrt(dx) + Math.sqrt(dy);
  return (v - 1) * r * 0.5;
}
const SPARKLES = [[740, 300, 70], [800, 560, 42], [700, 770, 30]];

const mix = (a, b, t) => a + (b - a) * t;
const coverage = (d, px) => Math.min(1, Math.max(0, 0.5 - d / px));

function over(dst, r, g, b, a) {
  const oa = a + dst[3] * (1 - a);
  if (oa === 0) return [0, 0, 0, 0];
  return [(r * a + dst[0] * dst[3] * (1 - a)) / oa, (g * a + dst[1] * dst[3] * (1 - a)) / oa, (b * a + dst[2] * dst[3] * (1 - a)) / oa, oa];
}

/** kind: 'app' (full icon), 'tray' (colour moon and sparkle, no background), 'template' (black). */
function render(size, kind) {
  const px = 1024 / size; // drawing units per pixel, for anti-aliasing
  const out = Buffer.alloc(size * size * 4);
  const moonScale = kind === 'app' ? 1 : 1.45; // small tray icons need a bolder moon
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) * px, y = (j + 0.5) * px;
      let c = [0, 0, 0, 0];
      if (kind === 'app') {
        const bg = coverage(sdRoundRect(x, y, 40, 40, 984, 984, 220), px);
        const t = y / 1024;
        c = over(c, mix(0x23, 0x5a, t), mix(0x22, 0x46, t), mix(0x5e, 0xb4, t), bg);
      }
      const mx = (x - 512) / moonScale + 512 + (kind === 'app' ? 0 : 40), my = (y - 512) / moonScale + 512;
      const moon = coverage(sdMoon(mx, my) * moonScale, px);
      if (kind === 'template') c = over(c, 0, 0, 0, moon);
      else c = over(c, 0xff, 0xe7, 0xa3, moon);
      const sparkles = kind === 'app' ? SPARKLES : [[760, 250, 150]];
      for (const [sx, sy, r] of sparkles) {
        const s = coverage(sdSparkle(x, y, sx, sy, r), px);
        c = kind === 'template' ? over(c, 0, 0, 0, s) : over(c, 0xff, 0xf6, 0xdc, s);
      }
      const o = (j * size + i) * 4;
      out[o] = Math.round(c[0]);
      out[o + 1] = Math.round(c[1]);
      out[o + 2] = Math.round(c[2]);
      out[o + 3] = Math.round(c[3] * 255);
    }
  }
  return encodePng(size, size, out);
}

// ---- Containers: ICO and ICNS both accept PNG payloads ----
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(([size, png], k) => {
    const e = 6 + 16 * k;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map(([, png]) => png)]);
}
function icns(entries) {
  const parts = entries.map(([type, png]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

const write = (name, data) => {
  fs.mkdirSync(path.dirname(path.join(here, name)), { recursive: true });
  fs.writeFileSync(path.join(here, name), data);
  console.log(`${name}  ${data.length} bytes`);
};

const app = new Map([16, 32, 48, 64, 128, 256, 512, 1024].map((s) => [s, render(s, 'app')]));
write('icon.png', app.get(1024));
for (const s of [16, 32, 48, 64, 128, 256, 512]) write(`png/${s}x${s}.png`, app.get(s));
write('icon.ico', ico([16, 32, 48, 256].map((s) => [s, app.get(s)])));
// ic07 128, ic08 256, ic09 512, ic10 1024 (512@2x): the PNG-payload types macOS reads.
write('icon.icns', icns([['ic07', app.get(128)], ['ic08', app.get(256)], ['ic09', app.get(512)], ['ic10', app.get(1024)]]));
write('tray.png', render(32, 'tray'));
write('tray@2x.png', render(64, 'tray'));
write('trayTemplate.png', render(16, 'template'));
write('trayTemplate@2x.png', render(32, 'template'));
