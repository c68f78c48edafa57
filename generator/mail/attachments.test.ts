/**
 * The attachment files are real files: poppler's pdftotext reads the PDFs' text back (Latin and
 * Japanese) and Info-ZIP's unzip tests the archives' CRCs and extracts their bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage, run } from '../testing/debian.js';
import { tempDir } from '../testing/test-helpers.js';
import { pdfDocument, zipArchive } from './attachments.js';

const AT = Date.UTC(2025, 10, 3, 9, 30, 12) / 1000;

beforeAll(async () => {
  await ensureDebianPackage('/usr/bin/pdftotext', 'poppler-utils', 'the PDF attachment test');
  // The CMaps of the standard Japanese fonts (UniJIS-UCS2-H) are in poppler-data.
  await ensureDebianPackage('/usr/share/poppler/cMap/Adobe-Japan1/UniJIS-UCS2-H', 'poppler-data', 'the Japanese PDF attachment test');
  await ensureDebianPackage('/usr/bin/unzip', 'unzip', 'the ZIP attachment test');
}, 600_000);

/** The non-empty lines pdftotext reads from a PDF, trimmed. */
async function pdfLines(bytes: Uint8Array): Promise<string[]> {
  return (await pdfText(bytes))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const file = join(tempDir(), 'doc.pdf');
  writeFileSync(file, bytes);
  const r = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], 30_000);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('pdfDocument', () => {
  it('writes Latin lines that pdftotext reads back, in order', async () => {
    const lines = ['INVOICE', 'Invoice no. INV-2025-00042', 'Total: $12.99 (tax incl.)', 'Back\\slash (parenthesised)'];
    expect(await pdfLines(pdfDocument('Invoice INV-2025-00042', lines, AT))).toEqual(lines);
  });

  it('writes Japanese lines through the standard Japanese font that pdftotext reads back', async () => {
    const lines = ['請求書', 'ご請求金額: ￥3,980(税込)', 'お支払い期限: 2025年11月30日'];
    expect(await pdfLines(pdfDocument('請求書', lines, AT))).toEqual(lines);
  });

  it('is a pure function of its input, with the creation date given', async () => {
    const a = pdfDocument('x', ['one'], AT);
    expect(Buffer.from(pdfDocument('x', ['one'], AT)).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(a).toString('latin1')).toContain('/CreationDate (D:20251103093012Z)');
    const file = join(tempDir(), 'info.pdf');
    writeFileSync(file, a);
    const info = await run('pdfinfo', [file], 30_000);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/^Pages:\s+1$/m);
    expect(info.stdout).toMatch(/^Title:\s+x$/m);
  });
});

describe('zipArchive', () => {
  it('writes an archive unzip tests and extracts byte for byte', async () => {
    const page = Buffer.from('<!doctype html><form action="https://login.example/x"></form>\n', 'utf8');
    const note = Buffer.from('read me\n', 'utf8');
    const dir = tempDir();
    const file = join(dir, 'a.zip');
    writeFileSync(
      file,
      zipArchive(
        [
          { name: 'Invoice_0042.html', content: page },
          { name: 'readme.txt', content: note },
        ],
        AT,
      ),
    );
    const test = await run('unzip', ['-t', file], 30_000);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('No errors detected');
    const list = await run('unzip', ['-l', file], 30_000);
    expect(list.stdout).toMatch(/2025-11-03 09:30\s+Invoice_0042\.html/);
    const out = join(dir, 'out');
    expect((await run('unzip', ['-q', file, '-d', out], 30_000)).code).toBe(0);
    expect(readFileSync(join(out, 'Invoice_0042.html')).equals(page)).toBe(true);
    expect(readFileSync(join(out, 'readme.txt')).equals(note)).toBe(true);
  });

  it('refuses a name that is not printable ASCII', () => {
    expect(() => zipArchive([{ name: '請求書.html', content: new Uint8Array(1) }], AT)).toThrow(/printable ASCII/);
  });
});
