/**
 * The bytes of the files mails carry: a one-page PDF (an invoice) and a ZIP archive (what
 * phishing kits wrap a page in). Both are written by hand, byte for byte, because their bytes land
 * in the dataset: no library version, clock or compression level can change them. Both are real
 * files: the tests open them with poppler's pdftotext and Info-ZIP's unzip.
 */
import { crc32 } from 'node:zlib';

/** A page of A4 in PDF points. */
const A4 = { width: 595, height: 842 } as const;

/** PDF date string `D:YYYYMMDDHHmmSSZ` of an epoch time (UTC, no Intl). */
function pdfDate(epochSeconds: number): string {
  return 'D:' + new Date(Math.floor(epochSeconds) * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/** True when every character is printable ASCII (the standard Helvetica font covers it). */
function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** A literal string `( ... )` with `\`, `(` and `)` escaped (PDF 32000-1 7.3.4.2). */
function literal(s: string): string {
  return '(' + s.replace(/([\\()])/g, '\\$1') + ')';
}

/** A hex string of UTF-16BE code units, for a Unicode-keyed CID font (UniJIS-UCS2-H). */
function utf16Hex(s: string): string {
  let out = '<';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out + '>';
}

/**
 * A one-page PDF 1.4 with the given lines, top to bottom. Latin text uses the standard
 * Helvetica; a document with any other character uses the standard Japanese font
 * KozMinPr6N-Regular through the UniJIS-UCS2-H CMap, not embedded (PDF readers substitute it, as
 * they do for Japanese invoices from billing systems). `title` and `createdAt` go to the
 * document information dictionary.
 */
export function pdfDocument(title: string, lines: readonly string[], createdAt: number): Uint8Array {
  const latin = lines.every(isAscii);
  const show = (s: string): string => (latin ? literal(s) : utf16Hex(s));
  const content = ['BT', '/F1 11 Tf', '16 TL', `56 ${A4.height - 72} Td`, ...lines.map((l, i) => `${i === 0 ? '' : 'T* '}${show(l)} Tj`), 'ET'].join('\n');
  const font = latin
    ? ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>']
    : [
        '<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /UniJIS-UCS2-H /DescendantFonts [7 0 R] >>',
        '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 8 0 R /DW 1000 >>',
        '<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 6 /FontBBox [-437 -340 1147 1317] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 742 /StemV 80 >>',
      ];
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>`,
    font[0]!,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    `<< /Title ${isAscii(title) ? literal(title) : `<FEFF${utf16Hex(title).slice(1, -1)}>`} /Producer (ato-bench) /CreationDate (${pdfDate(createdAt)}) >>`,
    ...font.slice(1),
  ];
  // The binary comment on line 2 tells transfer programs the file is binary (PDF 32000-1 7.5.2).
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  // Each cross-reference entry is exactly 20 bytes: 10 digits, space, 5 digits, space, type, CR LF.
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** MS-DOS date and time of an epoch time (UTC): what a ZIP entry records. */
function dosDateTime(epochSeconds: number): { date: number; time: number } {
  const d = new Date(Math.floor(epochSeconds) * 1000);
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/**
 * A ZIP archive (APPNOTE 6.3.10) of the given files, stored without compression: local headers,
 * the data, the central directory and its end record. Names are ASCII.
 */
export function zipArchive(files: ReadonlyArray<{ name: string; content: Uint8Array }>, modifiedAt: number): Uint8Array {
  const { date, time } = dosDateTime(modifiedAt);
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(f.name)) throw new Error(`zip entry name ${JSON.stringify(f.name)} must be printable ASCII`);
    const name = Buffer.from(f.name, 'latin1');
    const crc = crc32(f.content);
    const size = f.content.byteLength;
    // The local header and the central directory entry share these 26 bytes (APPNOTE 4.3.7, 4.3.12):
    // version needed 2.0, no flags, stored, the time, the CRC, both sizes, the name's length.
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0);
    common.writeUInt16LE(time, 6);
    common.writeUInt16LE(date, 8);
    common.writeUInt32LE(crc, 10);
    common.writeUInt32LE(size, 14);
    common.writeUInt32LE(size, 18);
    common.writeUInt16LE(name.length, 22);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    common.copy(head, 4);
    local.push(head, name, Buffer.from(f.content));
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    common.copy(entry, 6);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + size;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dir, end]);
}
