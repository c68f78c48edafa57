/**
 * `verifyDataset`: is a dataset directory exactly what its manifest says, and does its truth
 * line up with its data? Recomputes every hash, parses every record, checks the order of
 * emails.jsonl, and that every id in the truth resolves (the LANL red-team complaint: truth
 * pointing at records that do not exist).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FILES } from './format.js';
import { EmailRecordSchema, IncidentRecordSchema, LabelRecordSchema } from './format.js';
import { DatasetError, instant, readJsonl, readManifest } from './read.js';
import { IdMap } from './id-map.js';

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  emails: number;
  incidents: number;
  files: number;
}

async function sha256(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p).split('\\').join('/'));
  }
  return out;
}

const MAX_PROBLEMS = 50;

/**
 * `filesOnly`: stop after the files (every hash and size against the manifest), without reading
 * the records: enough to reuse a dataset this machine generated (its cache), at a fraction of the
 * time and memory.
 */
export async function verifyDataset(dir: string, opts: { filesOnly?: boolean } = {}): Promise<VerifyResult> {
  const problems: string[] = [];
  const add = (p: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    else if (problems.length === MAX_PROBLEMS) problems.push('... more problems not shown');
  };
  const manifest = readManifest(dir);

  // 1. Files: exactly those listed, with their sizes and hashes.
  const listed = Object.keys(manifest.files).sort();
  const present = listFiles(dir).filter((f) => f !== FILES.manifest);
  for (const f of present) if (!manifest.files[f]) add(`${f}: not listed in the manifest`);
  for (const f of listed) {
    const p = join(dir, f);
    if (!existsSync(p)) {
      add(`${f}: listed in the manifest but missing`);
      continue;
    }
    const got = await sha256(p);
    const want = manifest.files[f]!;
    const changed = got.bytes !== want.bytes || got.sha256 !== want.sha256;
    // The card is the README data hubs show, and the first file someone edits by hand.
    if (changed && f === FILES.card)
      add(
        `${f}: the dataset card was edited; it is part of the dataset (regenerate it with the command it prints, and keep notes of your own outside the folder)`,
      );
    else if (got.bytes !== want.bytes) add(`${f}: ${got.bytes} bytes, manifest says ${want.bytes}`);
    else if (got.sha256 !== want.sha256) add(`${f}: sha256 ${got.sha256.slice(0, 12)}..., manifest says ${want.sha256.slice(0, 12)}...`);
  }
  if (problems.length) return { ok: false, problems, emails: 0, incidents: 0, files: listed.length };
  if (opts.filesOnly) return { ok: true, problems, emails: manifest.counts.emails, incidents: 0, files: listed.length };

  // 2. Records: parse, order, unique ids; labels line up one to one.
  const emailPath = join(dir, FILES.emails);
  const labelPath = join(dir, FILES.labels);
  const emails = new IdMap<{ mailbox: string; at: number; line: number }>();
  const ids: string[] = []; // the order of emails.jsonl (an IdMap does not keep it)
  const byMailbox = new Map<string, number>();
  let prev: { at: number; id: string } | null = null;
  for await (const { value: e, line } of readJsonl(emailPath, EmailRecordSchema)) {
    const at = instant(e.receivedAt);
    if (emails.has(e.id)) add(`${FILES.emails}:${line}: duplicate id ${e.id}`);
    if (prev && (at < prev.at || (at === prev.at && e.id < prev.id))) add(`${FILES.emails}:${line}: out of order (arrival, id) after ${prev.id}`);
    prev = { at, id: e.id };
    emails.set(e.id, { mailbox: e.mailbox, at, line });
    ids.push(e.id);
    byMailbox.set(e.mailbox, (byMailbox.get(e.mailbox) ?? 0) + 1);
  }
  const labels = new IdMap<{ label: string; incident?: string }>();
  let n = 0;
  for await (const { value: l, line } of readJsonl(labelPath, LabelRecordSchema)) {
    if (ids[n] !== l.emailId) add(`${FILES.labels}:${line}: emailId ${l.emailId} but line ${line} of ${FILES.emails} is ${ids[n] ?? 'missing'}`);
    labels.set(l.emailId, { label: l.label, ...(l.incident ? { incident: l.incident } : {}) });
    n++;
  }
  if (n !== ids.length) add(`${FILES.labels}: ${n} labels for ${ids.length} emails`);
  if (ids.length !== manifest.counts.emails) add(`${FILES.emails}: ${ids.length} emails, manifest counts ${manifest.counts.emails}`);

  // 3. Truth resolves: every incident's emails exist, belong to its mailbox, carry its id.
  let incidents = 0;
  const seenIncidents = new Set<string>();
  for await (const { value: inc, line } of readJsonl(join(dir, FILES.incidents), IncidentRecordSchema)) {
    incidents++;
    const where = `${FILES.incidents}:${line} (${inc.id})`;
    if (seenIncidents.has(inc.id)) add(`${where}: duplicate incident id`);
    seenIncidents.add(inc.id);
    const times: number[] = [];
    for (const id of inc.emailIds) {
      const e = emails.get(id);
      if (!e) {
        add(`${where}: email ${id} does not exist`);
        continue;
      }
      if (e.mailbox !== inc.mailbox) add(`${where}: email ${id} is in mailbox ${e.mailbox}, not ${inc.mailbox}`);
      const l = labels.get(id);
      if (l?.incident !== inc.id) add(`${where}: email ${id} is not labeled with this incident`);
      times.push(e.at);
    }
    if (times.length && (Math.min(...times) !== instant(inc.onset) || Math.max(...times) !== instant(inc.end)))
      add(`${where}: onset/end do not match its emails`);
  }
  for (const [id, l] of labels) if (l.incident && !seenIncidents.has(l.incident)) add(`${FILES.labels}: email ${id} names unknown incident ${l.incident}`);

  // 4. mbox files hold as many messages as the mailbox has emails.
  for (const f of listed.filter((x) => x.startsWith(`${FILES.mboxDir}/`))) {
    const mailbox = f.slice(FILES.mboxDir.length + 1).replace(/\.mbox$/, '');
    const text = readFileSync(join(dir, f), 'latin1');
    const count = (text.match(/^From /gm) ?? []).length;
    if (count !== (byMailbox.get(mailbox) ?? 0)) add(`${f}: ${count} messages, emails.jsonl has ${byMailbox.get(mailbox) ?? 0} for ${mailbox}`);
  }
  return { ok: problems.length === 0, problems, emails: ids.length, incidents, files: listed.length };
}

export { DatasetError };
