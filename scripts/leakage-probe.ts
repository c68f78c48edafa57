/**
 * The leakage probe: do artefacts alone give takeover mail away?
 *
 *   node dist/scripts/leakage-probe.js [DIR] [--bootstrap N] [--seed N]
 *
 * DIR defaults to the default dataset (the one `npm start` uses; generated if not cached).
 *
 * For each artefact feature (Message-ID shape, email id, position in emails.jsonl, sender, hour
 * in the owner's zone, size, header layout), a per-value rate of takeover mail (label 'ato') is
 * fitted on one half of the mailboxes and scored on the other (bench/leakage.ts). Two
 * populations, both after the warm-up (no incident starts earlier):
 *   (a) takeover mail against all other mail: a feature may be legitimately informative here;
 *   (b) takeover mail against other mail of the same truth type, compared within each type:
 *       the leakage question proper.
 * It reports, it is not a gate: exit 0 whatever the verdicts (1 only when the dataset cannot be
 * read, 2 for bad usage).
 */
import { join } from 'node:path';
import { ensureDataset } from '../datasets/cache.js';
import { loadPreset } from '../generator/config.js';
import { FILES } from '../datasets/format.js';
import type { EmailRecord, LabelRecord } from '../datasets/format.js';
import { DatasetError, instant, readJsonl, readManifest } from '../datasets/read.js';
import { decileCuts, decileOf, mailboxSplit, probeFeature } from '../bench/leakage.js';
import type { Observation, ProbeResult } from '../bench/leakage.js';

const DAY_S = 86400;

/** What the probe keeps of one mail after the warm-up. */
interface Mail {
  mailbox: string;
  positive: boolean;
  type: string;
  id: string;
  line: number;
  bytes: number;
  hour: string;
  messageId: string;
  from: string;
  headerNames: string;
}

interface Feature {
  name: string;
  /** The value of a mail; `sizeDecile` places its size among the training deciles of its stratum. */
  value(m: Mail, ctx: { stratum: string; sizeDecile: (m: Mail, stratum: string) => number; lines: number }): string;
}

const msgIdLocal = (id: string): string => id.replace(/^<|>$/g, '').split('@')[0] ?? '';

const FEATURES: Feature[] = [
  { name: 'message-id: first character', value: (m) => msgIdLocal(m.messageId).charAt(0) },
  // The first character after the first '-' or '.': the start of the random part in all three styles.
  { name: 'message-id: first random char', value: (m) => /[-.](.)/.exec(msgIdLocal(m.messageId))?.[1] ?? '' },
  { name: 'message-id: length', value: (m) => String(m.messageId.length) },
  { name: 'message-id: domain', value: (m) => m.messageId.replace(/>$/, '').split('@')[1] ?? '' },
  { name: 'email id: first hex digit', value: (m) => m.id.charAt(0) },
  { name: 'position in file (decile)', value: (m, c) => String(Math.min(9, Math.floor((10 * (m.line - 1)) / c.lines))) },
  { name: 'sender address (From)', value: (m) => m.from },
  { name: "hour (owner's zone)", value: (m) => m.hour },
  { name: 'size in bytes (decile)', value: (m, c) => String(c.sizeDecile(m, c.stratum)) },
  { name: 'header names and order', value: (m) => m.headerNames },
];

function senderAddress(from: string): string {
  const m = /<([^>]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim().toLowerCase();
}

function header(headers: Array<[string, string]>, name: string): string {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return '';
}

async function load(dir: string): Promise<{ mails: Mail[]; lines: number; warmupEnd: number; emails: number; mailboxes: number; warmupDays: number }> {
  const manifest = readManifest(dir);
  const config = (manifest.config ?? {}) as { start?: string; warmupDays?: number };
  const start = config.start ? Date.parse(`${config.start}T00:00:00Z`) / 1000 : instant(manifest.window.start);
  const warmupDays = config.warmupDays ?? 0;
  const warmupEnd = start + warmupDays * DAY_S;
  const emails = readJsonl<EmailRecord>(join(dir, FILES.emails));
  const labels = readJsonl<LabelRecord>(join(dir, FILES.labels));
  const mails: Mail[] = [];
  const mailboxes = new Set<string>();
  const intern = new Map<string, string>();
  const I = (s: string): string => {
    const x = intern.get(s);
    if (x !== undefined) return x;
    intern.set(s, s);
    return s;
  };
  let lines = 0;
  for (;;) {
    const [e, l] = await Promise.all([emails.next(), labels.next()]);
    if (e.done || l.done) {
      if (!e.done || !l.done) throw new DatasetError(`${dir}: ${FILES.emails} and ${FILES.labels} differ in length`);
      break;
    }
    lines++;
    const email = e.value.value;
    const label = l.value.value;
    if (email.id !== label.emailId)
      throw new DatasetError(`${join(dir, FILES.labels)}:${l.value.line}: label of ${label.emailId}, but the email is ${email.id}`);
    mailboxes.add(email.mailbox);
    if (instant(email.receivedAt) < warmupEnd) continue;
    mails.push({
      mailbox: I(email.mailbox),
      positive: label.label === 'ato',
      type: I(label.type),
      id: email.id,
      line: e.value.line,
      bytes: Buffer.byteLength(e.value.raw, 'utf8'),
      hour: email.receivedAt.slice(11, 13),
      messageId: header(email.headers, 'Message-ID'),
      from: I(senderAddress(email.from)),
      headerNames: I(email.headers.map(([k]) => k).join(',')),
    });
  }
  return { mails, lines, warmupEnd, emails: lines, mailboxes: mailboxes.size, warmupDays };
}

interface Row {
  feature: string;
  population: string;
  result: ProbeResult;
}

function run(mails: readonly Mail[], stratumOf: (m: Mail) => string, population: string, lines: number, opts: { bootstrap: number; seed: number }): Row[] {
  // Size deciles from the training mails of each stratum (no label involved).
  const sizes = new Map<string, number[]>();
  for (const m of mails)
    if (mailboxSplit(m.mailbox) === 'train') {
      const k = stratumOf(m);
      const list = sizes.get(k);
      if (list) list.push(m.bytes);
      else sizes.set(k, [m.bytes]);
    }
  const cuts = new Map([...sizes].map(([k, v]) => [k, decileCuts(v)]));
  const sizeDecile = (m: Mail, stratum: string): number => decileOf(m.bytes, cuts.get(stratum) ?? []);
  return FEATURES.map((f) => {
    const obs: Observation[] = mails.map((m) => {
      const stratum = stratumOf(m);
      return { mailbox: m.mailbox, stratum, positive: m.positive, value: f.value(m, { stratum, sizeDecile, lines }) };
    });
    return { feature: f.name, population, result: probeFeature(obs, { bootstrap: opts.bootstrap, seed: opts.seed }) };
  });
}

const n = (x: number): string => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '  n/a');

function table(rows: readonly Row[]): string[] {
  const out = [`  ${'feature'.padEnd(30)} ${'pop'.padEnd(4)} ${'test mails'.padStart(10)} ${'ato'.padStart(5)}   AUC [95% CI]          lift@1%  verdict`];
  for (const r of rows) {
    const x = r.result;
    out.push(
      `  ${r.feature.padEnd(30)} ${r.population.padEnd(4)} ${n(x.testMails).padStart(10)} ${n(x.testPositives).padStart(5)}   ${f3(x.auc)} [${f3(x.lo)}-${f3(x.hi)}]  ${(Number.isFinite(x.lift) ? x.lift.toFixed(1) + 'x' : 'n/a').padStart(7)}  ${x.verdict}`,
    );
  }
  return out;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let dir: string | undefined;
  let bootstrap = 1000;
  let seed = 1;
  let cacheDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--cache-dir') {
      cacheDir = args[++i];
      if (!cacheDir) {
        console.error('leakage-probe: --cache-dir needs a folder');
        return 2;
      }
    } else if (a === '--bootstrap' || a === '--seed') {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 0) {
        console.error(`leakage-probe: ${a} needs a non-negative integer`);
        return 2;
      }
      if (a === '--bootstrap') bootstrap = v;
      else seed = v;
    } else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node dist/scripts/leakage-probe.js [DIR] [--bootstrap N] [--seed N] [--cache-dir DIR]   (DIR defaults to the default dataset, generated once into the dataset cache)',
      );
      return 0;
    } else if (a.startsWith('-')) {
      console.error(`leakage-probe: unknown option ${a}`);
      return 2;
    } else dir = a;
  }
  dir ??= await ensureDataset('default', loadPreset('default'), { cacheDir });
  const t0 = Date.now();
  let data: Awaited<ReturnType<typeof load>>;
  try {
    data = await load(dir);
  } catch (e) {
    if (e instanceof DatasetError) {
      console.error(`leakage-probe: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const { mails, lines } = data;
  const atoTypes = [...new Set(mails.filter((m) => m.positive).map((m) => m.type))].sort();
  const typed = mails.filter((m) => atoTypes.includes(m.type));
  const split = new Map<string, number>();
  for (const mb of new Set(mails.map((m) => m.mailbox))) split.set(mailboxSplit(mb), (split.get(mailboxSplit(mb)) ?? 0) + 1);

  const out: string[] = [];
  out.push(`leakage probe: ${dir}`);
  out.push(
    `  ${n(data.emails)} emails in ${n(data.mailboxes)} mailboxes; after the warm-up (${data.warmupDays} days, to ${new Date(data.warmupEnd * 1000).toISOString().replace('.000', '')}): ${n(mails.length)} emails, ${n(mails.filter((m) => m.positive).length)} takeover`,
  );
  out.push(`  mailboxes split by sha256 of their id: ${split.get('train') ?? 0} train, ${split.get('test') ?? 0} test (mail after the warm-up)`);
  out.push('');
  out.push('populations');
  out.push("  (a) all mail after the warm-up: takeover mail (label 'ato') against every other mail (benign, look-alike, spam, phishing).");
  out.push("      A feature may be informative here for real reasons: takeover mail comes from the marketplace, at the attacker's hours.");
  out.push('  (b) same mail type: takeover mail against the other mail of the same truth type (order confirmations against order');
  out.push('      confirmations, shipping notices against shipping notices, ...), fitted and compared within each type only. This is');
  out.push('      the leakage question: an artefact that separates them gives the labels away. Types:');
  for (const t of atoTypes) {
    const of = typed.filter((m) => m.type === t);
    out.push(
      `        ${t.padEnd(34)} ${n(of.filter((m) => m.positive).length).padStart(5)} takeover, ${n(of.filter((m) => !m.positive).length).padStart(6)} other`,
    );
  }
  out.push('');
  out.push("classifier: the rate of takeover mail per feature value on the training mailboxes (smoothed towards the type's rate),");
  out.push(`scored on the test mailboxes. AUC with a 95 % bootstrap interval over test mailboxes (${bootstrap} resamples);`);
  out.push('lift = precision among the top 1 % by score / the base rate (within each type for (b)).');
  out.push('verdict: OK when the interval contains 0.5 or AUC < 0.55, LEAK otherwise.');
  out.push('');

  const opts = { bootstrap, seed };
  const rowsA = run(mails, () => 'all', '(a)', lines, opts);
  const rowsB = run(typed, (m) => m.type, '(b)', lines, opts);
  const rows: Row[] = [];
  for (let i = 0; i < FEATURES.length; i++) rows.push(rowsA[i]!, rowsB[i]!);
  out.push(...table(rows));

  // (b) type by type, for the types with enough takeover mail to say something.
  const big = atoTypes.filter((t) => typed.filter((m) => m.type === t && m.positive && mailboxSplit(m.mailbox) === 'test').length >= 30);
  for (const t of big) {
    out.push('', `(b) ${t} only`);
    out.push(
      ...table(
        run(
          typed.filter((m) => m.type === t),
          () => t,
          '(b)',
          lines,
          opts,
        ),
      ),
    );
  }

  // (a) separating is expected (takeover mail is marketplace mail at the attacker's hours); only
  // (b) answers the leakage question, so the summary says the two apart.
  const separating = (pop: string): string[] => [...new Set(rows.filter((r) => r.population === pop && r.result.verdict === 'LEAK').map((r) => r.feature))];
  const leaks = separating('(b)');
  const informative = separating('(a)');
  const na = rows.filter((r) => r.result.verdict === 'n/a');
  out.push('');
  out.push(
    leaks.length
      ? `LEAK (b), artefacts give labels away within a mail type: ${leaks.join('; ')}`
      : 'no leak: within each mail type (b), no artefact separates takeover mail beyond the tolerance',
  );
  if (informative.length) out.push(`separating across all mail (a), expected for real reasons: ${informative.join('; ')}`);
  if (na.length) out.push(`n/a (nothing to compare on the test side: too few mailboxes or incidents): ${na.length} of ${rows.length} rows`);
  out.push(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(out.join('\n'));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`leakage-probe: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
