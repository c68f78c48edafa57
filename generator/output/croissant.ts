/**
 * croissant.json: the dataset described in Croissant 1.1 (MLCommons' JSON-LD vocabulary for ML
 * datasets, https://mlcommons.org/croissant/1.1) with its Responsible AI extension
 * (http://mlcommons.org/croissant/RAI/1.0), which dataset tracks ask submissions for. It lists
 * every data file with its sha256 (a folder of part files as a FileSet), one RecordSet per table
 * over the same files as the card's hub configs (Parquet when the dataset has it, else the JSONL),
 * every column with its type and where it comes from, and the RAI fields: how the data was made,
 * its biases and limitations, what it is for, and that nobody real is in it.
 *
 * No date of publication: the bytes depend on nothing but the seed, the config and the version,
 * and a generator does not know when someone publishes what it wrote.
 */
import { canonicalJson } from '../../datasets/format.js';
import type { FileEntry, Manifest } from '../../datasets/format.js';
import type { CardIncident } from './card.js';
import { prevalence } from './card.js';
import { bytesUnder, parquetGlob, tableFiles } from './hub.js';
import { PARQUET_TABLES } from './parquet.js';
import type { ColumnType, ParquetTable } from './parquet.js';
import type { World } from '../world/world.js';

const CONTEXT = {
  '@language': 'en',
  '@vocab': 'https://schema.org/',
  sc: 'https://schema.org/',
  cr: 'http://mlcommons.org/croissant/',
  rai: 'http://mlcommons.org/croissant/RAI/',
  dct: 'http://purl.org/dc/terms/',
  equivalentProperty: 'cr:equivalentProperty',
  samplingRate: 'cr:samplingRate',
  arrayShape: 'cr:arrayShape',
  citeAs: 'cr:citeAs',
  column: 'cr:column',
  conformsTo: 'dct:conformsTo',
  containedIn: 'cr:containedIn',
  data: { '@id': 'cr:data', '@type': '@json' },
  dataType: { '@id': 'cr:dataType', '@type': '@vocab' },
  examples: { '@id': 'cr:examples', '@type': '@json' },
  extract: 'cr:extract',
  field: 'cr:field',
  fileProperty: 'cr:fileProperty',
  fileObject: 'cr:fileObject',
  fileSet: 'cr:fileSet',
  format: 'cr:format',
  includes: 'cr:includes',
  isArray: 'cr:isArray',
  isLiveDataset: 'cr:isLiveDataset',
  jsonPath: 'cr:jsonPath',
  key: 'cr:key',
  md5: 'cr:md5',
  parentField: 'cr:parentField',
  path: 'cr:path',
  recordSet: 'cr:recordSet',
  references: 'cr:references',
  regex: 'cr:regex',
  repeated: 'cr:repeated',
  replace: 'cr:replace',
  sdVersion: 'cr:sdVersion',
  separator: 'cr:separator',
  source: 'cr:source',
  subField: 'cr:subField',
  transform: 'cr:transform',
} as const;

const MEDIA = { jsonl: 'application/jsonlines', parquet: 'application/x-parquet', mbox: 'application/mbox' } as const;

/** The key of each table's records. */
const KEY: Record<string, { jsonl: string; parquet: string }> = {
  emails: { jsonl: 'id', parquet: 'id' },
  labels: { jsonl: 'emailId', parquet: 'email_id' },
  incidents: { jsonl: 'id', parquet: 'id' },
  mailboxes: { jsonl: 'mailbox', parquet: 'mailbox' },
};

/** JSONL fields whose Parquet column is typed differently. */
const JSONL_DOC: Record<string, string> = {
  receivedAt: "arrival, RFC 3339 in the owner's zone",
  onset: 'arrival of its first mail, RFC 3339 in UTC',
  end: 'arrival of its last mail, RFC 3339 in UTC',
  platformNoticeAt: "arrival of the platform's notice, if it sent one",
  headers: 'every header as [name, value], decoded and unfolded, in wire order',
  attachments: 'files attached (absent when none): name, type, decoded size, sha256',
};

function dataType(t: Exclude<ColumnType, object>): string {
  switch (t) {
    case 'string':
    case 'json':
      return 'sc:Text';
    case 'int16':
    case 'int32':
    case 'int64':
      return 'sc:Integer';
    case 'float64':
      return 'sc:Float';
    case 'bool':
      return 'sc:Boolean';
    case 'instant':
    case 'local-time':
      return 'sc:DateTime';
  }
}

type Json = Record<string, unknown>;

/** A column as a Croissant Field: scalars typed, lists as arrays, structs as sub-fields read by JSON path. */
function field(id: string, column: string, t: ColumnType, distribution: string, kind: 'fileObject' | 'fileSet', description: string, path?: string): Json {
  const source: Json = { [kind]: { '@id': distribution }, extract: { column } };
  if (path) source.transform = { jsonPath: path };
  const out: Json = {
    '@type': 'cr:Field',
    '@id': id,
    name: id.slice(id.lastIndexOf('/') + 1),
    description: t === 'json' ? `${description} (a JSON document, as text)` : description,
  };
  let inner = t;
  if (typeof inner === 'object' && 'list' in inner) {
    out.isArray = true;
    inner = inner.list;
    if (typeof inner === 'object' && 'list' in inner) {
      // headers in the JSONL: [[name, value], ...]
      out.arrayShape = '-1,-1';
      inner = inner.list;
    }
  }
  if (typeof inner === 'object' && 'list' in inner) throw new Error(`column ${column}: lists three deep have no Croissant field`);
  if (typeof inner === 'object') {
    out.dataType = 'sc:StructuredValue';
    out.subField = inner.struct.map((f) =>
      field(`${id}/${f.name}`, column, f.type, distribution, kind, `${f.name} of ${column}`, `${path ? `${path}.` : ''}${f.name}`),
    );
  } else out.dataType = dataType(inner);
  out.source = source;
  return out;
}

function distributionOf(t: ParquetTable, m: Omit<Manifest, 'files'>, files: Record<string, FileEntry>): Json {
  const { path, parquet } = tableFiles(t, m);
  const id = `${t.name}-${parquet ? 'parquet' : 'jsonl'}`;
  if (path.endsWith('*.parquet'))
    return {
      '@type': 'cr:FileSet',
      '@id': id,
      name: id,
      description: `the ${t.name} table in Parquet part files, in row order (${bytesUnder(files, path)} bytes)`,
      encodingFormat: MEDIA.parquet,
      includes: path,
    };
  const entry = files[path];
  if (!entry) throw new Error(`croissant: ${path} is not among the dataset's files`);
  return {
    '@type': 'cr:FileObject',
    '@id': id,
    name: id,
    description: `the ${t.name} table${parquet ? ' in Parquet' : ', one JSON record per line'}`,
    contentUrl: path,
    contentSize: `${entry.bytes} B`,
    encodingFormat: parquet ? MEDIA.parquet : MEDIA.jsonl,
    sha256: entry.sha256,
  };
}

export function croissantMetadata(opts: {
  world: World;
  manifest: Omit<Manifest, 'files'>;
  /** The dataset's data files (JSONL, Parquet, mbox), hashed. */
  files: Record<string, FileEntry>;
  truths: readonly CardIncident[];
}): string {
  const { world, manifest: m, files, truths } = opts;
  const split = world.config.split;
  const version = m.generator.version;
  const home = 'https://www.npmjs.com/package/ato-bench';
  const p = prevalence(m, truths);

  const distribution: Json[] = [];
  const recordSet: Json[] = [];
  for (const t of PARQUET_TABLES) {
    const dist = distributionOf(t, m, files);
    // With Parquet, the JSONL copy is listed too: it is the canonical form (what detectors read).
    if (m.formats.includes('parquet') && files[t.source])
      distribution.push({
        '@type': 'cr:FileObject',
        '@id': `${t.name}-jsonl`,
        name: `${t.name}-jsonl`,
        description: `the ${t.name} table, one JSON record per line (the same records as ${parquetGlob(t)})`,
        contentUrl: t.source,
        contentSize: `${files[t.source]!.bytes} B`,
        encodingFormat: MEDIA.jsonl,
        sha256: files[t.source]!.sha256,
      });
    distribution.push(dist);
    const { parquet, columns: all } = tableFiles(t, m);
    // A JSONL object whose keys vary from record to record (params) has no Croissant type; its
    // Parquet column is JSON text, a string.
    const untyped = parquet ? [] : all.filter((c) => c.type === 'json').map((c) => c.name);
    const columns = all.filter((c) => !untyped.includes(c.name));
    const kind = dist['@type'] === 'cr:FileSet' ? 'fileSet' : 'fileObject';
    // A JSONL field shares the doc of the Parquet column read from it unchanged.
    const doc = new Map(
      t.columns.map((c) => [parquet ? c.name : c.sql.replaceAll('"', ''), parquet || c.type === t.read[c.sql.replaceAll('"', '')] ? c.doc : null]),
    );
    recordSet.push({
      '@type': 'cr:RecordSet',
      '@id': t.name,
      name: t.name,
      description: `${t.name}: ${parquet ? `the Parquet table (${parquetGlob(t)})` : `the JSONL records as written (${t.source})`}; ${{ emails: 'what detectors see, in arrival order', labels: 'one label per mail, the answer key', incidents: 'the incidents, the answer key', mailboxes: "the mailboxes' hidden persona attributes" }[t.name] ?? ''}${untyped.length ? `; not described: ${untyped.join(', ')}, an object whose keys depend on the scenario (JSON text in the Parquet table)` : ''}`,
      key: { '@id': `${t.name}/${KEY[t.name]![parquet ? 'parquet' : 'jsonl']}` },
      field: columns.map((c) =>
        field(
          `${t.name}/${c.name}`,
          c.name,
          c.rfc3339 ? 'instant' : c.type,
          dist['@id'] as string,
          kind,
          doc.get(c.name) ?? JSONL_DOC[c.name] ?? `${c.name}, as written`,
        ),
      ),
    });
  }
  if (m.formats.includes('mbox'))
    distribution.push({
      '@type': 'cr:FileSet',
      '@id': 'mbox',
      name: 'mbox',
      description: 'the same mail as raw RFC 5322 messages, one mboxrd file per mailbox',
      encodingFormat: MEDIA.mbox,
      includes: 'mbox/*.mbox',
    });

  const doc = {
    '@context': CONTEXT,
    '@type': 'sc:Dataset',
    conformsTo: ['http://mlcommons.org/croissant/1.1', 'http://mlcommons.org/croissant/RAI/1.0'],
    name: `ato-bench-seed-${m.seed}${split ? `-${split}` : ''}`,
    description:
      `Synthetic mailbox streams with injected, labeled account-takeover incidents, generated by ato-bench ${version} ` +
      `(dataset format ${m.formatVersion}) from seed ${m.seed}${split ? `, the ${split} split of the benchmark's protocol` : ''}: ` +
      `${m.counts.emails} emails in ${m.counts.mailboxes} mailboxes over ${m.window.days} days, ${p.atoCount} takeovers. ` +
      'Everything in it is fictional. README.md is the dataset card.',
    license: 'https://creativecommons.org/publicdomain/zero/1.0/',
    url: home,
    creator: { '@type': 'sc:Organization', name: 'ato-bench', url: home },
    version,
    citeAs: `@misc{ato-bench-seed-${m.seed}${split ? `-${split}` : ''}, title = {ato-bench synthetic mailboxes (seed ${m.seed}${split ? `, ${split} split` : ''})}, note = {generated by ato-bench ${version}, dataset format ${m.formatVersion}, config sha256 ${m.configHash}}, howpublished = {${home}}}`,
    keywords: ['synthetic', 'email', 'security', 'account takeover', 'fraud detection', 'anomaly detection', 'benchmark'],
    inLanguage: ['en', 'ja'],
    isLiveDataset: false,
    distribution,
    recordSet,
    'rai:dataCollection':
      `Nothing was collected: every record was generated by ato-bench ${version} from seed ${m.seed} and the config in manifest.json ` +
      `(sha256 ${m.configHash}). A world of invented personas, sellers, newsletter lists, sale events, incidents and phishing ` +
      'campaigns is drawn from the seed; each mailbox is then simulated as a discrete-event process with daily and weekly rhythms, ' +
      'and scenario files add the takeover incidents and their benign look-alikes.',
    'rai:dataCollectionType': ['Others: synthetic data from a seeded simulation'],
    'rai:dataCollectionRawData': 'None: no real mailbox, message or person was used. Wording comes from short hand-written template vocabularies.',
    'rai:dataCollectionMissingData':
      'None by construction. Optional fields are absent where they do not apply: attachments on mail without files, platformNoticeAt when the platform sent no notice, incident, role and template on labels outside incidents or of single-template senders.',
    'rai:dataCollectionTimeframe': [m.window.start, m.window.end],
    'rai:dataPreprocessingProtocol': [
      'None: records are written as generated. The Parquet tables, when present, are derived from the JSONL by DuckDB, casting every column to its declared type.',
    ],
    'rai:dataManipulationProtocol': 'None: the same seed, config and ato-bench version give the same bytes (manifest.json lists the sha256 of every file).',
    'rai:dataImputationProtocol': 'None: nothing is imputed.',
    'rai:dataAnnotationProtocol': [
      "Labels are the simulation's truth, not annotations: each mail is labeled by the process that wrote it (benign, ato, lookalike, phishing or spam), with its incident and role. An incident's difficulty follows from the usual takeover signals it shows.",
    ],
    'rai:dataAnnotationPlatform': ['None: no annotation platform; the labels come from the generator.'],
    'rai:dataAnnotationAnalysis': ['None needed: one label per mail, exact by construction; there are no annotators to disagree.'],
    'rai:annotationsPerItem': "1 (the generator's truth)",
    'rai:annotatorDemographics': ['None: no human annotators.'],
    'rai:machineAnnotationTools': [`ato-bench ${version} (the generator itself)`],
    'rai:dataBiases': [
      `Prevalence is far above real life: ${p.atoPer1000.toFixed(2)} takeovers per 1,000 mailbox-days against about ${p.realPer1000.toFixed(3)} in the wild (Bursztein et al., IMC 2014), about ${p.factor} times denser. It makes recall measurable on a small dataset and flatters precision; compare detectors with false alarms per 1,000 mailbox-days.`,
      "Only Japanese and English mailboxes; the marketplace's mail is modelled in depth, other senders more simply; persona attributes (activity, dormancy, password strength, two-step verification) follow distributions chosen by the authors.",
    ],
    'rai:dataLimitations': [
      'Volume per mailbox is scaled down (a few mails a day).',
      'Mail bodies come from templates and short vocabularies: do not train language models on them.',
      'Detectors must read only emails.jsonl (or mbox/, or the emails table); everything under truth/ is the answer key.',
    ],
    'rai:dataUseCases': [
      'Testing and comparing detectors of account takeover that read a mailbox one mail at a time (the ato-bench harness scores them).',
      'Tuning on the train and dev splits and reporting on the test split, each with its own seed and mailboxes.',
    ],
    'rai:dataSocialImpact':
      "Meant to let detectors of account takeover be compared openly without exposing anyone's mail. The scenarios describe well-known takeover patterns; they give an attacker nothing beyond public reports.",
    'rai:personalSensitiveInformation': [
      "None: people, brands, sellers and banks are invented and every domain is reserved by RFC 2606. The mailboxes' hidden attributes (locale, time zone, password strength, two-step verification) describe invented personas.",
    ],
    'rai:dataReleaseMaintenancePlan':
      'Versioned with the generator: the same seed, config and ato-bench version give byte-identical data, and the dataset format version in manifest.json changes whenever the bytes would. Regenerate rather than patch.',
  };
  return canonicalJson(doc, 2) + '\n';
}
