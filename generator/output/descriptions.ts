/**
 * The files that describe a dataset rather than hold it: the card (README.md) and croissant.json,
 * written last, from the data files.
 */
import { join } from 'node:path';
import { FILES } from '../../datasets/format.js';
import type { FileEntry, Manifest } from '../../datasets/format.js';
import { datasetCard } from './card.js';
import type { CardIncident } from './card.js';
import { croissantMetadata } from './croissant.js';
import { writeHashed } from './files.js';
import type { Scenario } from '../scenarios/schema.js';
import type { World } from '../world/world.js';

/** Their paths in the dataset. */
export const DESCRIPTIONS: readonly string[] = [FILES.card, FILES.croissant];

/**
 * Write the card (README.md) and croissant.json into `dir`, from the data files written so far,
 * and return their manifest entries. Neither lists the other's hash: both describe the data.
 */
export function writeDescriptions(
  dir: string,
  opts: { world: World; scenarios: readonly Scenario[]; manifest: Omit<Manifest, 'files'>; files: Record<string, FileEntry>; truths: readonly CardIncident[] },
): Record<string, FileEntry> {
  const data = { ...opts.files };
  return {
    [FILES.card]: writeHashed(join(dir, FILES.card), datasetCard({ ...opts, files: data })),
    [FILES.croissant]: writeHashed(join(dir, FILES.croissant), croissantMetadata({ ...opts, files: data })),
  };
}
