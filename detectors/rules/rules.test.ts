import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { mergeConfig, parseConfig, presetInput } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { ROOT, committedJson, tempDir, jsonl } from '../../generator/testing/test-helpers.js';
import type { EmailRecord } from '../../datasets/format.js';
import { marketplaceRules } from '../builtin/marketplace-rules.js';
import { securityRules } from '../builtin/security-rules.js';
import { rulesDetector } from '../builtin/rules.js';
import type { Alert, Detector } from '../types.js';
import { createRuleEngine } from './engine.js';
import { EVENT_FIELDS, extractEvents, mailEvent } from '../lib/events.js';
import type { EventName } from '../lib/events.js';
import { RuleFileError, checkRuleFiles, loadRules, rulesDir } from './load.js';
import { RuleSchema, ruleJsonSchema } from './schema.js';

function allRuleFiles(dir = rulesDir()): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allRuleFiles(p));
    else if (/\.(ya?ml|json)$/.test(name)) out.push({ file: relative(rulesDir(), p), text: readFileSync(p, 'utf8') });
  }
  return out;
}

describe('rule files', () => {
  it('every rule file is valid: one run lists every offender', () => {
    const files = allRuleFiles();
    expect(files.length).toBeGreaterThanOrEqual(10);
    const { rules, problems } = checkRuleFiles(files);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(rules.length).toBe(files.length);
    for (const r of rules) {
      expect(r.references.length, r.id).toBeGreaterThan(0);
      expect(r.falsePositives.length, r.id).toBeGreaterThan(0);
    }
  });

  it('collects every problem of broken rule files before failing', () => {
    const good = allRuleFiles().find((f) => f.file.endsWith('marketplace-founding-pattern.yaml'))!;
    const { problems } = checkRuleFiles([
      good,
      { file: 'dup.yaml', text: good.text },
      { file: 'bad-event.yaml', text: good.text.replace('on: marketplace.order', 'on: marketplace.odrer') },
      { file: 'no-fps.yaml', text: good.text.replace(/falsePositives:\n(\s+- .*\n)+/, '').replace('id: marketplace-founding-pattern', 'id: other-id') },
      {
        file: 'bad-window.yaml',
        text: good.text.replace('within: 24h, atLeast: 2', 'within: 1 day, atLeast: 2').replace('id: marketplace-founding-pattern', 'id: third-id'),
      },
      { file: 'broken.yaml', text: 'id: [unclosed' },
    ]);
    const text = problems.join('\n');
    expect(text).toMatch(/dup\.yaml: duplicate id marketplace-founding-pattern/);
    expect(text).toMatch(/dup\.yaml: the file is named after its rule's id: rename it marketplace-founding-pattern\.yaml/);
    expect(text).toMatch(/bad-event\.yaml: on: unknown event "marketplace\.odrer"; did you mean marketplace\.order\? \(ato-bench rules events lists them\)/);
    expect(text).toMatch(/no-fps\.yaml: falsePositives/);
    expect(text).toMatch(/bad-window\.yaml: when/);
    expect(text).toMatch(/broken\.yaml: cannot parse/);
    expect(() => loadRules({ dir: join(tempDir(), 'nothing-here') })).toThrow(RuleFileError);
    // A plural, deep in a condition, is found too; a name far from every event gets no guess.
    const deep = checkRuleFiles([
      { file: 'marketplace-founding-pattern.yaml', text: good.text.replace('event: marketplace.order', 'event: marketplace.orders') },
      { file: 'x.yaml', text: good.text.replace('on: marketplace.order', 'on: zzzz').replace('id: marketplace-founding-pattern', 'id: x') },
    ]).problems.join('\n');
    expect(deep).toMatch(/marketplace-founding-pattern\.yaml: when\.\d+\.\w+\.event: unknown event "marketplace\.orders"; did you mean marketplace\.order\?/);
    expect(deep).toMatch(/x\.yaml: on: unknown event "zzzz" \(ato-bench rules events/);
    // A field the event does not have, wherever a rule names one.
    const fields = checkRuleFiles([
      {
        file: 'marketplace-founding-pattern.yaml',
        text: good.text.replace('within: 24h, field: foreign', 'within: 24h, field: foriegn').replace('field: shipTo', 'field: shipto'),
      },
    ]).problems.join('\n');
    expect(fields).toMatch(
      /when\.\d+\.every\.field: marketplace\.order has no field "foriegn"; did you mean foreign\? \(fields: card, shipTo, foreign, value, digital, currency\)/,
    );
    expect(fields).toMatch(/has no field "shipto"; did you mean shipTo\?/);
  });
});

describe('the rule file JSON Schema', () => {
  const SCHEMA = join(ROOT, 'docs', 'rule.schema.json');
  it('docs/rule.schema.json is ruleJsonSchema()', async () => {
    const { have, want } = await committedJson(SCHEMA, ruleJsonSchema());
    expect(
      have,
      'docs/rule.schema.json is missing or differs from ruleJsonSchema() (detectors/rules/schema.ts): regenerate it with UPDATE_SCHEMA=1 npx vitest run detectors/rules, and commit it with the change',
    ).toStrictEqual(want);
  });
});

describe('the rule engine', () => {
  const rule = (o: Record<string, unknown>) =>
    RuleSchema.parse({ id: 'r', title: 't', description: 'd', severity: 'low', references: ['x'], falsePositives: ['y'], score: 0.5, ...o });
  const mail = (id: string, mailbox: string, at: string, over: Partial<EmailRecord> = {}): EmailRecord => ({
    id,
    mailbox,
    receivedAt: at,
    headers: [['Authentication-Results', 'mx; dmarc=pass']],
    from: 'ハナマート <auto-confirm@hanamart.co.jp.example>',
    to: 'x <x@example.com>',
    subject: 'ハナマート ご注文の確認 「x」',
    text: '注文番号: 503-1234567-1234567\nお届け先:\n林 様\n〒1\n\n出品者: XINGYUEJIA\n注文合計(税込): ￥30,000\nお支払い方法: VISA 末尾 1234',
    html: null,
    ...over,
  });

  const fired = (out: unknown): Alert[] => (out === undefined || out === null ? [] : Array.isArray(out) ? (out as Alert[]) : [out as Alert]);

  it('counts the triggering mail in a window, never in a sequence', () => {
    const countRule = rule({ on: 'marketplace.order', when: [{ count: { event: 'marketplace.order', within: '24h', atLeast: 2 } }] });
    const afterRule = rule({ id: 'a', on: 'marketplace.order', when: [{ after: { event: 'marketplace.order', within: '24h' } }], group: 'other' });
    const eng = createRuleEngine([countRule, afterRule]);
    expect(fired(eng.onEmail(mail('0000000000000001', 'm', '2025-11-01T10:00:00+09:00')))).toEqual([]);
    const second = fired(eng.onEmail(mail('0000000000000002', 'm', '2025-11-01T11:00:00+09:00')));
    expect(second.map((a) => a.reason.split(':')[0]).sort()).toEqual(['a', 'r']);
  });

  it('windows are strict: exactly 24 h before is outside', () => {
    const r = rule({ on: 'marketplace.order', when: [{ after: { event: 'marketplace.order', within: '24h' } }] });
    const exactly = createRuleEngine([r]);
    exactly.onEmail(mail('0000000000000001', 'm', '2025-11-01T10:00:00+09:00'));
    expect(fired(exactly.onEmail(mail('0000000000000002', 'm', '2025-11-02T10:00:00+09:00')))).toEqual([]);
    const justUnder = createRuleEngine([r]);
    justUnder.onEmail(mail('0000000000000001', 'm', '2025-11-01T10:00:00+09:00'));
    expect(fired(justUnder.onEmail(mail('0000000000000003', 'm', '2025-11-02T09:59:59+09:00'))).length).toBe(1);
  });

  it("quiet counts from the mailbox's first mail when the event never happened", () => {
    const eng = createRuleEngine([rule({ on: 'marketplace.order', when: [{ quiet: { event: 'marketplace.order', olderThan: '24h', for: '30d' } }] })]);
    eng.onEmail(mail('0000000000000001', 'm', '2025-11-01T10:00:00+09:00', { from: 'a <a@example.net>', subject: 'hello' }));
    expect(fired(eng.onEmail(mail('0000000000000002', 'm', '2025-11-20T10:00:00+09:00')))).toEqual([]); // 19 days of history
    expect(fired(eng.onEmail(mail('0000000000000003', 'n', '2025-11-01T10:00:00+09:00', { from: 'a <a@example.net>', subject: 'hi' })))).toEqual([]);
    expect(fired(eng.onEmail(mail('0000000000000004', 'n', '2025-12-03T10:00:00+09:00'))).length).toBe(1); // 31 days, no order
  });

  it('matches subjects and headers, and finds senders new to the mailbox (mail.any)', () => {
    const newSender = rule({
      on: 'mail.any',
      when: [
        { match: { subject: 'ご注文', header: { name: 'Authentication-Results', pattern: 'dmarc=pass' } } },
        { unseen: { field: 'domain', in: [{ event: 'mail.any', field: 'domain' }] } },
      ],
      suppress: '1min',
    });
    const eng = createRuleEngine([newSender]);
    expect(fired(eng.onEmail(mail('0000000000000001', 'm', '2025-11-01T10:00:00+09:00'))).length).toBe(1); // first mail from this domain
    expect(fired(eng.onEmail(mail('0000000000000002', 'm', '2025-11-01T11:00:00+09:00')))).toEqual([]); // known now
    expect(fired(eng.onEmail(mail('0000000000000003', 'm', '2025-11-01T12:00:00+09:00', { from: 'x <x@other.example>', subject: 'hello' })))).toEqual([]); // new, but no match
    expect(fired(eng.onEmail(mail('0000000000000004', 'n', '2025-11-01T12:00:00+09:00', { headers: [['Authentication-Results', 'mx; dmarc=fail']] })))).toEqual(
      [],
    );
  });

  it('a group stays quiet after an alert', () => {
    const eng = createRuleEngine([rule({ on: 'marketplace.order', suppress: '72h' })]);
    expect(fired(eng.onEmail(mail('0000000000000001', 'm', '2025-11-01T10:00:00+09:00'))).length).toBe(1);
    expect(fired(eng.onEmail(mail('0000000000000002', 'm', '2025-11-03T10:00:00+09:00')))).toEqual([]);
    expect(fired(eng.onEmail(mail('0000000000000003', 'm', '2025-11-04T10:00:01+09:00'))).length).toBe(1);
  });
});

describe('the hand-written rule detectors, expressed as rule files, score the same', () => {
  let emails: EmailRecord[] = [];
  beforeAll(async () => {
    const dir = join(tempDir(), 'rules-world');
    // Every scenario of the library, at the default preset's mix, in a smaller world.
    const config = parseConfig(mergeConfig(presetInput('default'), { mailboxes: 250, seed: 7 }));
    await generateDataset({ config, out: dir, workers: 1 });
    emails = jsonl<EmailRecord>(join(dir, 'emails.jsonl'));
  });

  it('every event read off the mail has exactly the fields the catalogue lists (what rules may name)', () => {
    const seen = new Map<string, Set<string>>();
    for (const e of emails)
      for (const ev of [mailEvent(e), ...extractEvents(e, true)]) {
        let f = seen.get(ev.name);
        if (!f) seen.set(ev.name, (f = new Set()));
        for (const k of Object.keys(ev.fields)) f.add(k);
      }
    expect(seen.size).toBeGreaterThan(10);
    for (const [name, fields] of seen) expect([...fields].sort(), name).toEqual(Object.keys(EVENT_FIELDS[name as EventName]).sort());
  });

  function run(d: Detector, params: Record<string, string> = {}): string[] {
    const prepared = d.prepare ? d.prepare(params) : params;
    const inst = d.create({ seed: 1, params: prepared });
    const out: string[] = [];
    for (const e of emails) {
      const r = inst.onEmail(e);
      for (const a of r === undefined || r === null ? [] : Array.isArray(r) ? r : [r])
        out.push(`${e.id} ${(a as Alert).mailbox} ${(a as Alert).score.toFixed(9)}`);
    }
    return out;
  }

  it('detectors/rules/marketplace == marketplace-rules, alert for alert', () => {
    const hand = run(marketplaceRules);
    expect(hand.length).toBeGreaterThan(10);
    expect(run(rulesDetector, { sets: 'marketplace' })).toEqual(hand);
  });

  it('detectors/rules/security == security-rules, alert for alert', () => {
    const hand = run(securityRules);
    expect(hand.length).toBeGreaterThan(5);
    expect(run(rulesDetector, { sets: 'security' })).toEqual(hand);
  });

  it('both sets together raise the union of both; all rule files raise at least that', () => {
    const union = [...run(marketplaceRules), ...run(securityRules)].sort();
    expect(run(rulesDetector, { sets: 'marketplace+security' }).sort()).toEqual(union);
    const all = new Set(run(rulesDetector));
    for (const a of union) expect(all.has(a), a).toBe(true);
  });
});
