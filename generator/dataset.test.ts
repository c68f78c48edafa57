/**
 * Properties every generated dataset must have, checked on small datasets from random seeds
 * (fast-check prints the seed of a failure; replay with { seed, path } in fc.assert).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../datasets/format.js';
import type { EmailRecord, IncidentRecord, LabelRecord } from '../datasets/format.js';
import { verifyDataset } from '../datasets/verify.js';
import { loadPreset, mergeConfig, parseConfig, presetInput } from './config.js';
import type { Config } from './config.js';
import { parseMboxrd } from './mail/mbox.js';
import { isValidImpb, isValidJapanPostRegistered, isValidJpDomestic, isValidS10, isValidUps } from './world/carriers.js';
import { generateDataset } from './pipeline/generate.js';
import { difficultyOf } from './scenarios/expand.js';
import { PlanError, planWorld } from './scenarios/plan.js';
import { jsonl, tempDir } from './testing/test-helpers.js';
import { buildWorld } from './world/world.js';

/** A small world where every scenario fits: a few seconds per dataset. */
function smallConfig(seed: number): Config {
  return parseConfig(
    mergeConfig(presetInput('tiny'), {
      seed,
      mailboxes: 16,
      days: 24,
      warmupDays: 7,
      drift: [{ brand: 'marketplace', on: '2025-11-24', edition: 'redesign', rolloutDays: 2 }],
      persona: { dormant: 0.5, staleAddress: 0.8 },
      scenarios: {
        'ato-marketplace-dormant-burst': { count: 2 },
        'lookalike-sale-spree': { count: 1 },
        'lookalike-cross-border-order': { count: 1 },
        'phishing-fake-order-confirmation': { count: 1 },
        'phishing-fake-security-notice': { count: 1 },
      },
    }),
  );
}

interface Loaded {
  config: Config;
  dir: string;
  emails: EmailRecord[];
  labels: LabelRecord[];
  incidents: IncidentRecord[];
}

async function generate(seed: number): Promise<Loaded | null> {
  const config = smallConfig(seed);
  const dir = join(tempDir(), 'ds');
  try {
    await generateDataset({ config, out: dir, formats: ['jsonl', 'mbox'] });
  } catch (e) {
    if (e instanceof PlanError) return null; // this seed's world cannot host the incidents
    throw e;
  }
  return {
    config,
    dir,
    emails: jsonl<EmailRecord>(join(dir, FILES.emails)),
    labels: jsonl<LabelRecord>(join(dir, FILES.labels)),
    incidents: jsonl<IncidentRecord>(join(dir, FILES.incidents)),
  };
}

const seeds = fc.integer({ min: 0, max: 2 ** 32 - 1 });

/** Check a property on datasets generated from random seeds (3 runs: each dataset takes ~0.3 s). */
function forGeneratedDatasets(check: (d: Loaded) => Promise<void> | void): Promise<void> {
  return fc.assert(
    fc.asyncProperty(seeds, async (seed) => {
      const d = await generate(seed);
      fc.pre(d !== null);
      await check(d!);
    }),
    { numRuns: 3 },
  );
}

const RESERVED = /(^|\.)(example|test|invalid|localhost)$|(^|\.)example\.(com|net|org)$/;

/** Every host name a mail mentions: addresses, URLs and the hosts of Received/Message-ID. */
function hostsOf(e: EmailRecord): string[] {
  const text = [...e.headers.map(([, v]) => v), e.text, e.html ?? ''].join('\n');
  const out = new Set<string>();
  for (const m of text.matchAll(/@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g)) out.add(m[1]!.toLowerCase());
  for (const m of text.matchAll(/https?:\/\/([^/\s"'<>?#]+)/g)) out.add(m[1]!.toLowerCase());
  for (const [name, v] of e.headers) {
    if (name === 'Received') for (const m of v.matchAll(/(?:from|by) ([A-Za-z0-9.-]+\.[A-Za-z]+)/g)) out.add(m[1]!.toLowerCase());
  }
  return [...out];
}

describe('generated datasets (random seeds)', () => {
  it('verify: every file matches the manifest, records parse, arrival order holds, every truth id resolves', async () => {
    await forGeneratedDatasets(async (d) => {
      const r = await verifyDataset(d.dir);
      expect(r.problems).toEqual([]);
      const ids = new Set(d.emails.map((e) => e.id));
      for (const inc of d.incidents) for (const id of inc.emailIds) expect(ids.has(id)).toBe(true);
      for (const l of d.labels) if (l.incident) expect(d.incidents.some((i) => i.id === l.incident)).toBe(true);
      const times = d.emails.map((e) => Date.parse(e.receivedAt));
      for (let i = 1; i < times.length; i++) {
        expect(times[i]! > times[i - 1]! || (times[i] === times[i - 1] && d.emails[i]!.id > d.emails[i - 1]!.id)).toBe(true);
      }
    });
  });

  it('each incident carries its signals, and its difficulty follows from them', async () => {
    await forGeneratedDatasets(async (d) => {
      for (const inc of d.incidents) {
        expect(inc.difficulty).toBe(difficultyOf(inc.kind, inc.signals.length, inc.params.style as string | undefined));
        expect([...inc.signals].sort()).toEqual(inc.signals);
      }
      // The founding pattern shows its burst and its dormant account.
      for (const inc of d.incidents.filter((i) => i.scenario === 'ato-marketplace-dormant-burst'))
        expect(inc.signals).toEqual(expect.arrayContaining(['order-burst', 'dormant-account']));
    });
  });

  it('every raw mail parses (postal-mime) to the from, to, subject, date, text and attachments of its JSONL record', async () => {
    let attachments = 0;
    await forGeneratedDatasets(async (d) => {
      const byMailbox = new Map<string, EmailRecord[]>();
      for (const e of d.emails) byMailbox.set(e.mailbox, [...(byMailbox.get(e.mailbox) ?? []), e]);
      const files = readdirSync(join(d.dir, 'mbox'));
      expect(files.length).toBe(byMailbox.size);
      for (const f of files) {
        const raws = parseMboxrd(readFileSync(join(d.dir, 'mbox', f), 'latin1'));
        const records = byMailbox.get(f.replace(/\.mbox$/, ''))!;
        expect(raws.length).toBe(records.length);
        for (let i = 0; i < raws.length; i++) {
          const rec = records[i]!;
          const parsed = await PostalMime.parse(Buffer.from(raws[i]!, 'latin1'));
          expect(parsed.subject).toBe(rec.subject);
          const from = rec.from.match(/^(?:"?(.*?)"?\s)?<([^>]+)>$/);
          expect(parsed.from?.address).toBe(from ? from[2] : rec.from);
          if (from?.[1]) expect(parsed.from?.name).toBe(from[1].replace(/\\(["\\])/g, '$1'));
          expect(parsed.to?.[0]?.address).toBe(rec.to.match(/<([^>]+)>$/)?.[1] ?? rec.to);
          const date = rec.headers.find(([n]) => n === 'Date')![1];
          expect(Date.parse(parsed.date!)).toBe(Date.parse(date));
          expect(parsed.messageId).toBe(rec.headers.find(([n]) => n === 'Message-ID')![1]);
          // MIME bodies are CRLF on the wire (postal-mime keeps that for base64 parts) and postal-mime
          // adds a final newline to 7bit parts: compare with LF line ends, without trailing newlines.
          const norm = (s: string): string => s.replace(/\r\n/g, '\n').replace(/\n+$/, '');
          expect(norm(parsed.text ?? '')).toBe(norm(rec.text));
          if (rec.html !== null) expect(norm(parsed.html ?? '')).toBe(norm(rec.html));
          // Attachments: what the record lists is what the raw message carries, byte for byte.
          const files = parsed.attachments.map((a) => {
            const bytes = Buffer.from(typeof a.content === 'string' ? Buffer.from(a.content) : new Uint8Array(a.content));
            return { filename: a.filename, contentType: a.mimeType, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
          });
          expect(files).toEqual(rec.attachments ?? []);
          attachments += files.length;
        }
      }
    });
    expect(attachments, 'the datasets hold attachments to check').toBeGreaterThan(0);
  });

  it('every tracking number in every mail passes its check digit, and every domain is reserved', async () => {
    await forGeneratedDatasets(async (d) => {
      let tracked = 0;
      const badHosts: string[] = [];
      d.emails.forEach((e, i) => {
        for (const h of hostsOf(e)) if (!RESERVED.test(h)) badHosts.push(`${e.id}: ${h}`);
        if (!d.labels[i]!.type.endsWith('shipped')) return;
        const m = e.text.match(/(?:お問い合わせ伝票番号|追跡番号|Tracking ID|伝票番号|Tracking number): (\S+)/);
        expect(m, e.text).not.toBeNull();
        const n = m![1]!;
        tracked++;
        if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(n)) expect(isValidS10(n), n).toBe(true);
        else if (/^\d{4}-\d{4}-\d{4}$/.test(n)) expect(isValidJpDomestic(n.replace(/-/g, '')), n).toBe(true);
        else if (n.startsWith('1Z')) expect(isValidUps(n), n).toBe(true);
        else if (/^\d{22}$/.test(n)) expect(isValidImpb(n), n).toBe(true);
        else if (/^\d{11}$/.test(n)) expect(isValidJapanPostRegistered(n), n).toBe(true);
        else expect(n, 'unknown tracking format').toMatch(/^HMA\d{12}$/);
      });
      expect(tracked).toBeGreaterThan(0);
      expect(badHosts).toEqual([]);
    });
  });

  it('the founding takeover reproduces the numbers of seed-incident.md', async () => {
    await forGeneratedDatasets(async (d) => {
      const world = buildWorld(d.config);
      const byId = new Map(d.emails.map((e, i) => [e.id, { e, l: d.labels[i]! }]));
      const founding = d.incidents.filter((i) => i.scenario === 'ato-marketplace-dormant-burst');
      expect(founding.length).toBeGreaterThan(0);
      for (const inc of founding) {
        const mails = inc.emailIds.map((id) => byId.get(id)!);
        const at = (x: { e: EmailRecord }): number => Date.parse(x.e.receivedAt) / 3.6e6;
        const orders = mails.filter((m) => m.l.role === 'fraud-order');
        const notice = mails.find((m) => m.l.role === 'platform-notice');
        const shipped = mails.filter((m) => m.l.role === 'shipped-anyway');
        // 10+ order confirmations within one day, all from third-party (foreign) sellers.
        expect(orders.length).toBeGreaterThanOrEqual(10);
        expect(at(orders[orders.length - 1]!) - at(orders[0]!)).toBeLessThanOrEqual(24);
        for (const o of orders) {
          expect(o.e.text).toMatch(/(出品者|Sold by): /);
          expect(o.e.text).not.toMatch(/(販売: ハナマート|Sold by: Hanamart)\n/);
        }
        // Over 100,000 JPY in total.
        expect(inc.params['orders.totalJpy'] as number).toBeGreaterThan(100000);
        const yen = orders.map((o) => o.e.text.match(/注文合計\(税込\): ￥([\d,]+)/)?.[1]).filter(Boolean);
        if (yen.length === orders.length) expect(yen.reduce((s, y) => s + Number(y!.replace(/,/g, '')), 0)).toBeGreaterThan(100000);
        // Shipped to the stale address, never the current one.
        const persona = world.persona(world.mailboxes.find((p) => p.id === inc.mailbox)!.index);
        expect(persona.marketplace?.dormant).toBe(true);
        const stale = persona.marketplace!.staleAddress!.lines.join('\n');
        for (const o of orders) if (!/デジタル|Digital item/.test(o.e.text)) expect(o.e.text).toContain(stale);
        // The platform's notice ~15 h after the first order (8..24 h).
        expect(notice).toBeDefined();
        const noticeDelay = at(notice!) - at(orders[0]!);
        expect(noticeDelay).toBeGreaterThanOrEqual(8);
        expect(noticeDelay).toBeLessThanOrEqual(24.1);
        expect(notice!.e.subject).toMatch(/最近の変更|Recent changes/);
        // 10+ shipping notices ~13 h after the notice (6..24 h), by foreign post or courier.
        expect(shipped.length).toBeGreaterThanOrEqual(10);
        const shipDelay = at(shipped[0]!) - at(notice!);
        expect(shipDelay).toBeGreaterThanOrEqual(6);
        expect(shipDelay).toBeLessThanOrEqual(24.1);
        for (const s of shipped) expect(s.e.text).toMatch(/中国郵政|韓国郵政|シンガポールポスト|China Post|Korea Post|Singapore Post|UPS/);
      }
    });
  });
});

describe('the default preset world', () => {
  it('puts the founding incidents on dormant accounts with a stale address, favouring weak passwords', () => {
    const w = buildWorld(loadPreset('default'));
    const founding = planWorld(w).incidents.filter((i) => i.scenario.id === 'ato-marketplace-dormant-burst');
    const personas = w.mailboxes.map((m) => w.persona(m.index));
    const victims = founding.map((inc) => personas.find((p) => p.id === inc.mailbox)!.marketplace!);
    for (const m of victims) {
      expect(m.dormant).toBe(true);
      expect(m.staleAddress).not.toBeNull();
    }
    const weak = (ms: typeof victims): number => ms.filter((m) => m.password !== 'strong' && !m.twoFactor).length / ms.length;
    const pool = personas.map((p) => p.marketplace).filter((m): m is NonNullable<typeof m> => m !== null && m.dormant && m.staleAddress !== null);
    expect(weak(victims)).toBeGreaterThan(weak(pool));
  });
});
