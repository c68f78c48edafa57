import { describe, expect, it } from 'vitest';
import { loadPreset } from '../config.js';
import { mailboxFacts } from './persona.js';
import { buildWorld } from './world.js';

describe('the world keeps facts, not personas', () => {
  const world = buildWorld(loadPreset('tiny'));

  it("keeps every mailbox's facts, equal to those of its persona made again in any order", () => {
    const n = world.mailboxes.length;
    expect(n).toBe(world.config.mailboxes);
    // Backwards, then forwards: a persona depends on the seed and its index, not on what was made before it.
    const backwards = Array.from({ length: n }, (_, k) => world.persona(n - 1 - k)).reverse();
    world.mailboxes.forEach((facts, i) => {
      expect(facts.index).toBe(i);
      expect(mailboxFacts(backwards[i]!)).toEqual(facts);
      const again = world.persona(i);
      expect(again).not.toBe(backwards[i]);
      expect(again).toEqual(backwards[i]);
    });
  });

  it('refuses a mailbox the world does not have', () => {
    for (const bad of [-1, world.mailboxes.length, 1.5, Number.NaN]) expect(() => world.persona(bad)).toThrow(RangeError);
  });
});
