/**
 * Which edition of a brand's mail a template writes: the brand's first edition until a config
 * `drift` switches it on its date. A staged rollout (`rolloutDays`) moves mailboxes over one by
 * one: each mailbox has its own place in the queue, so its mail never flips back and forth.
 */
import { TEMPLATE_EDITIONS } from '../../config.js';
import type { DriftBrand } from '../../config.js';
import type { TemplateContext } from './types.js';

export function editionAt(ctx: TemplateContext, brand: DriftBrand): string {
  let edition: string = TEMPLATE_EDITIONS[brand][0];
  for (const d of ctx.world.drift) {
    if (d.brand !== brand) continue;
    if (ctx.at < d.at) break;
    if (d.rollout > 0 && ctx.at < d.at + d.rollout) {
      const place = ctx.world.root.child('rollout', d.brand, d.on, ctx.persona.id).float();
      if ((ctx.at - d.at) / d.rollout < place) break;
    }
    edition = d.edition;
  }
  return edition;
}
