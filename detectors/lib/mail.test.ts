/**
 * The built-in detectors' mail parsers against every way the generator writes the marketplace's
 * mail: each template version (web, app, gift, several sellers) of each edition (classic, and the
 * redesign the preset's drift switches to). The test reads the truth to know what each mail is;
 * the parsers never do. A redesign that changes wording the parsers rely on fails here, naming the
 * version, before it silently costs recall.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import type { EmailRecord, LabelRecord } from '../../datasets/format.js';
import { loadPreset } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { jsonl, tempDir } from '../../generator/testing/test-helpers.js';
import { allWording } from '../../generator/vocab/mail/index.js';
import { MARKETPLACE } from '../../generator/world/brands.js';
import { ADDRESS_ADDED_SUBJECT, marketplaceMail, orderFacts } from './mail.js';

let mails: Array<{ e: EmailRecord; l: LabelRecord }>;

beforeAll(async () => {
  const dir = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: dir });
  const labels = jsonl<LabelRecord>(join(dir, FILES.labels));
  mails = jsonl<EmailRecord>(join(dir, FILES.emails)).map((e, i) => ({ e, l: labels[i]! }));
}, 120_000);

const KIND: Record<string, string> = {
  'marketplace.order-confirmation': 'order',
  'marketplace.shipped': 'shipped',
  'marketplace.delivered': 'delivered',
  'marketplace.account-change': 'account-change',
  'marketplace.password-changed': 'password-changed',
  'marketplace.new-sign-in': 'sign-in',
};

describe('marketplace mail parsers, every template version', () => {
  it('the preset writes both editions', () => {
    const versions = new Set(mails.filter((m) => m.l.type === 'marketplace.order-confirmation').map((m) => m.l.template));
    expect([...versions].sort()).toEqual(expect.arrayContaining(['classic/app', 'classic/web', 'redesign/app', 'redesign/web']));
  });

  it('classify each mail as what it is, in every edition', () => {
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const { e, l } of mails) {
      const kind = KIND[l.type];
      if (!kind || l.label === 'phishing') continue;
      seen.add(`${l.type} ${l.template}`);
      const m = marketplaceMail(e);
      if (m?.kind !== kind || !m.genuine) wrong.push(`${l.type} ${l.template}: ${JSON.stringify(e.subject)} -> ${m?.kind ?? 'not the marketplace'}`);
    }
    expect(wrong).toEqual([]);
    // The frequent types appear in both editions (the rarer ones, when they do, are checked above).
    for (const t of ['marketplace.order-confirmation', 'marketplace.shipped', 'marketplace.delivered'])
      for (const edition of ['classic', 'redesign'])
        expect(
          [...seen].some((s) => s.startsWith(`${t} ${edition}/`)),
          `${t} ${edition}`,
        ).toBe(true);
  });

  it('know every wording of the address-added notice (too rare to count on in a small dataset: read from the wording itself)', () => {
    const subjects = allWording().flatMap(([loc, w]) => w.marketplaceAccount.addressAdded.subjects.map((x) => x.replace('{brand}', MARKETPLACE.name[loc])));
    expect(subjects.length).toBeGreaterThanOrEqual(4);
    expect(subjects.filter((x) => !ADDRESS_ADDED_SUBJECT.test(x))).toEqual([]);
  });

  it('read the number, card, total, ship-to and sellers of every order confirmation', () => {
    const wrong: string[] = [];
    for (const { e, l } of mails) {
      if (l.type !== 'marketplace.order-confirmation') continue;
      const f = orderFacts(e);
      const missing = [
        f.number === null && 'number',
        f.card === null && 'card',
        f.total === null && 'total',
        f.sellers.length === 0 && 'sellers',
        f.shipTo === '' && !/デジタル|Digital item/.test(e.text) && 'ship-to',
      ].filter(Boolean);
      if (missing.length) wrong.push(`${l.template} ${e.id}: no ${missing.join(', ')}`);
      if (f.number !== null && !e.subject.includes(f.number) && !e.text.includes(f.number)) wrong.push(`${l.template} ${e.id}: number not in the mail`);
    }
    expect(wrong).toEqual([]);
  });
});
