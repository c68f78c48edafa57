/**
 * The dataset card (README.md, where data hubs look for it): what is in a dataset, how it was made, its prevalence and the
 * ways it differs from real mailboxes — the things users of synthetic datasets ask first.
 */
import type { FileEntry, Manifest } from '../../datasets/format.js';
import { parseDate } from '../core/time.js';
import type { IncidentTruth } from '../traffic/mailbox.js';
import { frontMatter, loadItSection } from './hub.js';
import type { Scenario } from '../scenarios/schema.js';
import type { World } from '../world/world.js';

/** Manual hijacking rate in the wild: ~9 incidents per million users per day (Bursztein et al., IMC 2014). */
const REAL_ATO_PER_1000_MAILBOX_DAYS = 9e-6 * 1000;

function pct(n: number, d: number): string {
  return d === 0 ? '0 %' : `${((100 * n) / d).toFixed(1)} %`;
}

function table(head: string[], rows: Array<Array<string | number>>): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The command that makes the dataset again, run in its folder: it runs as printed. */
export function reproduceCommand(m: Pick<Manifest, 'formats'>): string {
  return `ato-bench generate --config manifest.json --formats ${m.formats.join(',')} --out ../copy`;
}

/**
 * The template redesigns as this dataset's window saw them. A split's config carries the
 * benchmark's redesigns whatever its window: one after the window did not happen in it (train
 * ends before the 2025-12-01 redesign), one before it was in effect from the start (test).
 */
export function driftLine(world: World): string {
  const DAY = 86_400;
  const seen: string[] = [];
  const after: string[] = [];
  for (const d of world.config.drift) {
    const on = parseDate(d.on);
    const done = on + (d.rolloutDays ?? 0) * DAY;
    const what = `${d.brand}'s ${d.edition} edition`;
    if (on >= world.end) after.push(`${what} (from ${d.on})`);
    else if (done <= world.start) seen.push(`${d.brand} sends its ${d.edition} edition throughout (it switched on ${d.on}, before the window)`);
    else if (on < world.start) seen.push(`${d.brand} is rolling out its ${d.edition} edition as the window opens (from ${d.on}, over ${d.rolloutDays} days)`);
    else seen.push(`${d.brand} switches to its ${d.edition} edition on ${d.on}${d.rolloutDays ? ` (rolled out over ${d.rolloutDays} days)` : ''}`);
  }
  const inWindow = world.config.drift.some((d) => {
    const on = parseDate(d.on);
    return on >= world.start && on < world.end;
  });
  const note = inWindow
    ? ': new subjects and field labels; truth/labels.jsonl gives each mail its `template` version, and the scorer reports recall before and after each date'
    : '';
  const later = after.length ? `${after.join(', ')} comes after the window ends, so nothing in it changes` : '';
  if (!seen.length) return later ? `none in this window: ${later}` : 'none (every sender keeps its first edition)';
  return `${seen.join('; ')}${note}${later ? `; ${later}` : ''}`;
}

/** What the card tells of each incident (the simulation's truth, or truth/incidents.jsonl read back). */
export type CardIncident = Pick<IncidentTruth, 'kind' | 'scenario' | 'difficulty'>;

/** Takeovers per 1,000 mailbox-days here and in the wild, and how many times denser they are here. */
export function prevalence(
  m: Pick<Manifest, 'counts'>,
  truths: readonly CardIncident[],
): { atoCount: number; atoPer1000: number; realPer1000: number; factor: number } {
  const atoCount = truths.filter((t) => t.kind === 'ato').length;
  const atoPer1000 = (1000 * atoCount) / m.counts.mailboxDays;
  return { atoCount, atoPer1000, realPer1000: REAL_ATO_PER_1000_MAILBOX_DAYS, factor: Math.round(atoPer1000 / REAL_ATO_PER_1000_MAILBOX_DAYS) };
}

export function datasetCard(opts: {
  world: World;
  scenarios: readonly Scenario[];
  manifest: Omit<Manifest, 'files'>;
  /** The files written so far (the data and truth; Parquet if any): their sizes go in the front matter. */
  files: Record<string, FileEntry>;
  truths: readonly CardIncident[];
}): string {
  const { world, scenarios, manifest, truths } = opts;
  const c = manifest.counts;
  const personas = world.mailboxes;
  const accounts = personas.filter((p) => p.marketplace);
  const share = (f: (p: (typeof personas)[number]) => boolean, of = personas): string => pct(of.filter(f).length, of.length);
  const { atoCount, atoPer1000: atoRate, factor } = prevalence(manifest, truths);
  const byScenario = new Map<string, number>();
  for (const t of truths) byScenario.set(t.scenario, (byScenario.get(t.scenario) ?? 0) + 1);
  const difficulty = (kind: string): string =>
    (['easy', 'medium', 'hard'] as const).map((d) => `${d} ${truths.filter((t) => t.kind === kind && t.difficulty === d).length}`).join(', ');

  return `${frontMatter(manifest, opts.files, world.config.split)}
# ato-bench dataset card

Synthetic mailbox streams with injected, labeled account-takeover incidents, generated by
ato-bench ${manifest.generator.version} (dataset format ${manifest.formatVersion}).
Everything in it is fictional: people, brands, sellers and banks are invented, and every
domain is reserved by RFC 2606. Nothing here describes a real person or mailbox.

## Reproduce

- seed: \`${manifest.seed}\`
- config hash (sha256 of the resolved config, keys sorted): \`${manifest.configHash}\`
- in this folder, \`${reproduceCommand(manifest)}\` writes the same bytes into ../copy with the same
  ato-bench version (the config and seed are in manifest.json); \`ato-bench verify ../copy\` checks them.

## Contents

${world.config.split ? `- split: **${world.config.split}** of the benchmark's protocol (train and dev to tune on, test to report on; each has its own seed, so its own mailboxes, and test comes after the others in time)\n` : ''}- window: ${manifest.window.start} to ${manifest.window.end} (${manifest.window.days} days; the first ${world.config.warmupDays} days are warm-up: no takeover or look-alike starts in them, phishing campaigns may)
- mailboxes: ${c.mailboxes} (${c.mailboxDays} mailbox-days), locales: ${share((p) => p.locale === 'ja')} ja, ${share((p) => p.locale === 'en')} en
- emails: ${c.emails} (${(c.emails / c.mailboxDays).toFixed(2)} per mailbox-day)
- template drift: ${driftLine(world)}

${table(
  ['label', 'emails', 'share'],
  Object.entries(c.labels).map(([k, v]) => [k, v, pct(v, c.emails)]),
)}

## Incidents

${table(
  ['scenario', 'kind', 'incidents', 'title'],
  scenarios.map((s) => [s.id, s.kind, byScenario.get(s.id) ?? 0, s.title]),
)}

By difficulty (truth/incidents.jsonl: \`difficulty\`, from the usual takeover \`signals\` each
incident shows): takeovers ${difficulty('ato')} (a takeover showing few signals is hard);
look-alikes ${difficulty('lookalike')} (a look-alike showing many is hard).

**Prevalence is far above real life.** This dataset has ${atoCount} takeover incidents, ${atoRate.toFixed(2)}
per 1,000 mailbox-days; manual account hijacking in the wild runs at about
${REAL_ATO_PER_1000_MAILBOX_DAYS.toFixed(3)} per 1,000 user-days (~9 per million users per day, Bursztein et al.,
IMC 2014), so incidents here are about ${factor} times denser. The density makes recall measurable on a
small dataset; it also flatters precision. Compare detectors with false alarms per 1,000
mailbox-days, which do not depend on prevalence, and set \`scenarios.<id>.count\` to change it.

Look-alike incidents (kind \`lookalike\`) are benign activity that resembles a takeover (a sale-event
shopping spree, a genuine cross-border order); their mail is labeled \`lookalike\`. Phishing
campaigns imitate the marketplace's mail; phishing is a different threat and is labeled
\`phishing\`, never \`ato\`.

## Mailboxes (hidden attributes, in truth/mailboxes.jsonl)

- marketplace account: ${share((p) => p.marketplace !== null)}; of accounts: dormant ${share((p) => p.marketplace!.dormant, accounts)}, with a stale saved address ${share((p) => p.marketplace!.staleAddress, accounts)}, 2-step verification ${share((p) => p.marketplace!.twoFactor, accounts)}
- passwords of accounts: numeric ${share((p) => p.marketplace!.password === 'numeric', accounts)}, weak ${share((p) => p.marketplace!.password === 'weak', accounts)}, strong ${share((p) => p.marketplace!.password === 'strong', accounts)}
- activity (volume multiplier) is log-normal with sigma ${world.config.persona.activitySigma}: a few mailboxes receive most of the mail

## How it was made

A world (personas, sellers, newsletter lists, sale events, incidents, phishing campaigns) is
drawn from the seed. Each mailbox is then simulated as a discrete-event process: newsletters on
their lists' schedules, marketplace orders in sessions (order, shipping and delivery notices
with carrier tracking numbers whose check digits are valid), bank and card notices, social
notifications, personal threads with replies, owner-caused security notices, and spam, each
as a cascading non-homogeneous Poisson process with daily and weekly rhythms in the relevant
zone. Scenarios (generator/scenarios/library/*.json) add the incidents. Every random draw
comes from a stream derived from (seed, entity, purpose).

${loadItSection(manifest, world.config.split)}
## Licence

This dataset is dedicated to the public domain (CC0 1.0): copy, modify and share it, commercially
or not, without asking. Everything in it was generated and is fictional. The generator that made
it is MIT-licensed.

## Known limitations

- Volume per mailbox is scaled down (a few mails a day) so the default dataset stays small.
- Mail bodies come from templates and short vocabularies; do not train language models on them.
- Only the marketplace's mail is modelled in depth; other senders are simpler.
- Detectors must read only emails.jsonl (or mbox/); everything under truth/ is the answer key.
`;
}
