/**
 * Headless Chromium for the tests of the HTML pages (the bench report, the dataset report):
 * Debian's package, installed when missing; the rendered DOM, screenshots decoded with node:zlib
 * (no dependency), and a page section by id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ensureDebianPackage, run } from './debian.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium at /usr/bin/chromium, installed with apt-get when missing; fails loudly when it cannot be. */
export const ensureChromium = (): Promise<void> => ensureDebianPackage(CHROMIUM, 'chromium', 'A browser test');

export async function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'ato-bench-chromium-'));
  try {
    const r = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      60_000,
    );
    if (r.code !== 0) throw new Error(`chromium ${args.join(' ')} failed (exit ${r.code}): ${(r.error?.message ?? '') + r.stderr.slice(-3000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface Png {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  rgba: Uint8Array;
}

/** A minimal PNG decoder: 8-bit greyscale, RGB or RGBA (with or without alpha), not interlaced. */
export function decodePng(buf: Buffer): Png {
  const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8]!;
      colorType = data[9]!;
      const interlace = data[12]!;
      if (depth !== 8 || interlace !== 0 || ![0, 2, 4, 6].includes(colorType))
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType as 0 | 2 | 4 | 6];
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[out + i - channels]! : 0;
      const b = y > 0 ? px[out - stride + i]! : 0;
      const c = y > 0 && i >= channels ? px[out - stride + i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter} on line ${y}`);
      px[out + i] = v & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    const [r, g, b, al] =
      channels === 1
        ? [px[s]!, px[s]!, px[s]!, 255]
        : channels === 2
          ? [px[s]!, px[s]!, px[s]!, px[s + 1]!]
          : [px[s]!, px[s + 1]!, px[s + 2]!, channels === 4 ? px[s + 3]! : 255];
    rgba.set([r, g, b, al], p * 4);
  }
  return { width, height, rgba };
}

/** The markup of `<section id="...">` up to its end (sections are not nested). */
export function section(dom: string, id: string): string {
  const start = dom.indexOf(`<section id="${id}"`);
  if (start < 0) return '';
  const end = dom.indexOf('</section>', start);
  return dom.slice(start, end < 0 ? undefined : end);
}
