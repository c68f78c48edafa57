/**
 * `exportDataset`: add a derived format (Parquet) to a dataset written without it. The result is
 * the dataset `generate --formats <its formats>,<format>` writes, byte for byte: the same derived
 * files, the same card and Croissant file (rebuilt from the manifest's config and the truth) and
 * the same manifest.
 *
 * The dataset is replaced as generate replaces one: the next version is built in a temporary
 * sibling (the unchanged files hard-linked, not copied) and swapped in once complete, after
 * checking that the dataset did not change meanwhile. The files Parquet is derived from are
 * checked against the manifest first, so a damaged dataset is not exported.
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FILES, IncidentRecordSchema, canonicalJson } from '../../datasets/format.js';
import type { FileEntry, Manifest } from '../../datasets/format.js';
import { DatasetError, readJsonl, readManifest } from '../../datasets/read.js';
import { parseConfig } from '../config.js';
import { DESCRIPTIONS, writeDescriptions } from '../output/descriptions.js';
import type { CardIncident } from '../output/card.js';
import { hashFile } from '../output/files.js';
import { formatById, formatIds } from '../output/formats.js';
import { planWorld } from '../scenarios/plan.js';
import { buildWorld } from '../world/world.js';
import { configHash } from './generate.js';
import { writeDatasetDir } from '../../datasets/output-dir.js';

export interface ExportResult {
  dir: string;
  /** False when the dataset already had the format: nothing was written. */
  written: boolean;
  files: Record<string, FileEntry>;
}

/** Formats `export --to` can add: those derived from the JSONL files. */
export function exportableFormats(): string[] {
  return formatIds().filter((id) => formatById(id)!.derive);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

export async function exportDataset(opts: { dir: string; to: string }): Promise<ExportResult> {
  const dir = resolve(opts.dir);
  const format = formatById(opts.to);
  if (!format?.derive) throw new DatasetError(`cannot export to "${opts.to}": export adds ${exportableFormats().join(', ')}`);
  const manifest: Manifest = readManifest(dir);
  const manifestBytes = readFileSync(join(dir, FILES.manifest));
  if (manifest.formats.includes(format.id)) return { dir, written: false, files: {} };
  const config = parseConfig(manifest.config, `${join(dir, FILES.manifest)} (config)`);
  if (configHash(config) !== manifest.configHash)
    throw new DatasetError(`${join(dir, FILES.manifest)}: its config does not hash to its configHash; the manifest was edited (run ato-bench verify ${dir})`);
  // The sources must be what the manifest says, or the export would carry damage into new files.
  for (const path of [FILES.emails, FILES.labels, FILES.incidents, FILES.mailboxes]) {
    const want = manifest.files[path];
    const got = hashFile(join(dir, path));
    if (!want || got.sha256 !== want.sha256 || got.bytes !== want.bytes)
      throw new DatasetError(`${join(dir, path)} does not match the manifest; the dataset is damaged (run ato-bench verify ${dir})`);
  }
  const world = buildWorld(config);
  const plan = planWorld(world);
  const truths: CardIncident[] = [];
  for await (const { value } of readJsonl(join(dir, FILES.incidents), IncidentRecordSchema)) truths.push(value);

  const files = await writeDatasetDir(
    dir,
    {
      force: true,
      purpose: 'export',
      beforeSwap: () => {
        if (!readFileSync(join(dir, FILES.manifest)).equals(manifestBytes))
          throw new DatasetError(`${dir} changed while it was exported; nothing was replaced`);
      },
    },
    async (tmp) => {
      // Everything but the descriptions (card, Croissant) and the manifest stays as it is: linked into the next version.
      for (const path of Object.keys(manifest.files)) {
        if (DESCRIPTIONS.includes(path)) continue;
        mkdirSync(dirname(join(tmp, path)), { recursive: true });
        try {
          linkSync(join(dir, path), join(tmp, path));
        } catch {
          copyFileSync(join(dir, path), join(tmp, path)); // a file system without hard links
        }
      }
      const added = await format.derive!(dir, tmp, { formatVersion: manifest.formatVersion, seed: manifest.seed, configHash: manifest.configHash });
      const files: Record<string, FileEntry> = { ...manifest.files, ...added };
      for (const path of DESCRIPTIONS) delete files[path];
      const { files: _old, ...base } = manifest;
      const next: Omit<Manifest, 'files'> = { ...base, formats: [...manifest.formats, format.id].sort() };
      Object.assign(files, writeDescriptions(tmp, { world, scenarios: plan.scenarios, manifest: next, files, truths }));
      writeFileSync(join(tmp, FILES.manifest), canonicalJson({ ...next, files: sortKeys(files) }, 2) + '\n');
      return added;
    },
  );
  return { dir, written: true, files };
}
