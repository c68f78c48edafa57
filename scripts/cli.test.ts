import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, cli, tempDir, treeHashes } from '../generator/testing/test-helpers.js';

describe('ato-bench CLI: bad input gets one clear message and a non-zero exit', () => {
  it('an invalid config names the field and the value, exit 2, nothing written', () => {
    const dir = tempDir();
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ extends: 'tiny', mailboxes: -3, traffic: { spamPerDay: { median: 'lots' } } }));
    const r = cli(['generate', '--config', cfg, '--out', join(dir, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mailboxes: .*\(got -3\)/);
    expect(r.stderr).toMatch(/traffic\.spamPerDay\.median: .*\(got "lots"\)/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('unknown presets, bad numbers and unknown formats are usage errors', () => {
    const dir = tempDir();
    const unknown = cli(['generate', '--preset', 'huge', '--out', join(dir, 'o')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown preset "huge"; known presets: default, dev, test, tiny, train/);
    const workers = cli(['generate', '--preset', 'tiny', '--workers', 'two', '--out', join(dir, 'o')]);
    expect(workers.status).toBe(2);
    expect(workers.stderr).toMatch(/--workers must be a whole number/);
    const formats = cli(['generate', '--preset', 'tiny', '--formats', 'jsonl,pst', '--out', join(dir, 'o')]);
    expect(formats.status).toBe(2);
    expect(formats.stderr).toMatch(/unknown format "pst"/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('generate --config DIR/manifest.json makes that dataset again, byte for byte', () => {
    const dir = tempDir();
    const first = join(dir, 'first');
    expect(cli(['generate', '--preset', 'tiny', '--seed', '77', '--out', first]).status).toBe(0);
    const again = cli(['generate', '--config', join(first, 'manifest.json'), '--out', join(dir, 'again')]);
    expect(again.status, again.stderr).toBe(0);
    expect(treeHashes(join(dir, 'again'))).toEqual(treeHashes(first));
    const manifest = JSON.parse(readFileSync(join(first, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...manifest, formatVersion: 1 }));
    const old = cli(['generate', '--config', join(dir, 'old.json'), '--out', join(dir, 'old')]);
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/manifest of a dataset of format 1; this ato-bench writes format \d+/);
  });

  it('every subcommand’s --help ends with examples of itself', async () => {
    const { buildProgram } = await import('./cli.js');
    const names = buildProgram({ out: () => {}, err: () => {}, isTTY: false }).commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) {
      const r = cli([name, '--help']);
      expect(r.status, name).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`\\nExamples:\\n(  .*\\n)*  ato-bench ${name}\\b`));
    }
  });

  it('rules validate lists every offender of a rule folder, exit 2; the bundled rules pass; rules events lists the events', () => {
    const dir = tempDir();
    const good = readFileSync(join(ROOT, 'detectors', 'rules', 'marketplace', 'marketplace-founding-pattern.yaml'), 'utf8');
    writeFileSync(join(dir, 'marketplace-founding-pattern.yaml'), good.replace('on: marketplace.order', 'on: marketplace.orders'));
    writeFileSync(join(dir, 'renamed.yaml'), good.replace('id: marketplace-founding-pattern', 'id: my-copy'));
    writeFileSync(join(dir, 'broken.yaml'), 'id: [unclosed');
    const r = cli(['rules', 'validate', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/marketplace-founding-pattern\.yaml: on: unknown event "marketplace\.orders"; did you mean marketplace\.order\?/);
    expect(r.stderr).toMatch(/renamed\.yaml: the file is named after its rule's id: rename it my-copy\.yaml/);
    expect(r.stderr).toMatch(/broken\.yaml: cannot parse/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const bundled = cli(['rules', 'validate', join(ROOT, 'detectors', 'rules')]);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(bundled.stdout).toMatch(/^OK: \d+ rules/);
    const events = cli(['rules', 'events']);
    expect(events.status).toBe(0);
    expect(events.stdout).toMatch(/^marketplace\.order +a genuine order confirmation/m);
  });

  it('an existing --out is refused untouched; --force replaces it', () => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    expect(cli(['generate', '--preset', 'tiny', '--out', out]).status).toBe(0);
    const before = treeHashes(out);
    const again = cli(['generate', '--preset', 'tiny', '--seed', '5', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists.*--force/);
    expect(treeHashes(out)).toEqual(before);
    const forced = cli(['generate', '--preset', 'tiny', '--seed', '5', '--out', out, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(treeHashes(out)['emails.jsonl']).not.toBe(before['emails.jsonl']);
    expect(readdirSync(dir)).toEqual(['ds']);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('an interrupted run (%s) stops at once and leaves no directory, half-written or otherwise', async (signal, status) => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    const child = spawn(process.execPath, [CLI, 'generate', '--preset', 'default', '--formats', 'jsonl,mbox', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Wait until the run has started writing, then interrupt it.
    const partial = (): string | undefined => readdirSync(dir).find((f) => f.includes('.partial-'));
    for (
      let i = 0;
      i < 200 && !(partial() && existsSync(join(dir, partial()!, 'emails.jsonl')) && statSync(join(dir, partial()!, 'emails.jsonl')).size > 0);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(partial()).toBeDefined();
    const killedAt = Date.now();
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(status);
    expect(Date.now() - killedAt).toBeLessThan(3000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('verify names the file and line of a corrupt or truncated dataset, exit 1', () => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    expect(cli(['generate', '--preset', 'tiny', '--out', out]).status).toBe(0);
    expect(cli(['verify', out]).stdout).toMatch(/^OK: /);

    const emails = join(out, 'emails.jsonl');
    const original = readFileSync(emails);
    const flipped = Buffer.from(original);
    const at = flipped.indexOf('"receivedAt":"') + 16; // a digit of the year: same size, other bytes
    flipped[at] = flipped[at] === 0x30 ? 0x31 : 0x30;
    writeFileSync(emails, flipped);
    const tampered = cli(['verify', out]);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/emails\.jsonl: sha256 .* manifest says/);

    truncateSync(emails, original.length - 100);
    const cut = cli(['verify', out]);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/emails\.jsonl: \d+ bytes, manifest says \d+/);

    writeFileSync(emails, original);
    appendFileSync(join(out, 'truth', 'stray.txt'), 'x');
    const stray = cli(['verify', out]);
    expect(stray.status).toBe(1);
    expect(stray.stderr).toMatch(/truth\/stray\.txt: not listed in the manifest/);

    const missing = cli(['verify', join(dir, 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no such dataset directory/);
  });

  it('export --to parquet adds Parquet in place; bad input is one line, and a manifest naming a file outside the dataset is refused', () => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    expect(cli(['generate', '--preset', 'tiny', '--out', out]).status).toBe(0);
    const added = cli(['export', out, '--to', 'parquet']);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^added parquet to .*ds: 4 files, [\d.]+ MiB; [\d.]+ s\n$/);
    expect(existsSync(join(out, 'emails', 'part-00000.parquet'))).toBe(true);
    expect(cli(['verify', out]).status).toBe(0);
    expect(cli(['export', out, '--to', 'parquet']).stdout).toMatch(/already has parquet; nothing to do/);
    const unknown = cli(['export', out, '--to', 'csv']);
    expect([unknown.status, unknown.stderr]).toEqual([1, 'ato-bench: cannot export to "csv": export adds parquet\n']);
    expect(cli(['export', join(dir, 'nope'), '--to', 'parquet']).stderr).toMatch(/^ato-bench: .*nope: no such dataset directory\n$/);

    // A manifest is data from disk: one listing "../victim" would have export link (or copy) a
    // file from outside the dataset, and readers join it to the folder. Refused before any work.
    const other = join(dir, 'other');
    expect(cli(['generate', '--preset', 'tiny', '--seed', '5', '--out', other]).status).toBe(0);
    writeFileSync(join(dir, 'victim'), 'precious');
    const manifest = JSON.parse(readFileSync(join(other, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    manifest.files['../victim'] = { sha256: '0'.repeat(64), bytes: 8 };
    writeFileSync(join(other, 'manifest.json'), JSON.stringify(manifest));
    const before = treeHashes(dir);
    for (const args of [
      ['export', other, '--to', 'parquet'],
      ['verify', other],
    ]) {
      const r = cli(args);
      expect(r.status, args[0]).toBe(1);
      expect(r.stderr).toMatch(/manifest\.json: files: "\.\.\/victim" is not a path inside the dataset folder/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(treeHashes(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('precious');
  });

  it('inspect prints counts by label, category and week, and the incidents', () => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    expect(cli(['generate', '--preset', 'tiny', '--out', out]).status).toBe(0);
    const r = cli(['inspect', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/by label\n\s+benign\s+\d+/);
    expect(r.stdout).toMatch(/ato-marketplace-dormant-burst\s+2 incidents/);
    expect(r.stdout).toMatch(/by week/);
  });
});

describe('ato-bench bench and detectors', () => {
  it('lists the built-in detectors, the oracle marked as reading the truth', () => {
    const r = cli(['detectors']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^null\s/m);
    expect(r.stdout).toMatch(/^marketplace-rules\s+rule/m);
    expect(r.stdout).toMatch(/^oracle\s.*\[reads truth\]/m);
  });

  it('prints the leaderboard and writes the results, replacing an existing file', () => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    expect(cli(['generate', '--preset', 'tiny', '--out', out]).status).toBe(0);
    const results = join(dir, 'results.json');
    writeFileSync(results, 'previous run');
    const r = cli(['bench', '--data', out, '--detectors', 'null,marketplace-rules,naive-burst:n=5', '--bootstrap', '50', '--out', results]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^marketplace-rules\s+\d+% \[\d+%-\d+%\]/m);
    expect(r.stdout).toMatch(/per scenario/);
    const json = JSON.parse(readFileSync(results, 'utf8')) as {
      schema: string;
      schemaVersion: number;
      detectors: Array<{ id: string }>;
      dataset: { seed: number };
    };
    expect(json.schema).toBe('ato-bench/results');
    expect(json.detectors.map((d) => d.id)).toEqual(['null', 'marketplace-rules', 'naive-burst']);
    expect(readdirSync(dir).sort()).toEqual(['ds', 'results.json']);
  });

  it('an unknown detector lists the known ones, exit 2', () => {
    const dir = tempDir();
    const r = cli(['bench', '--data', dir, '--detectors', 'crystal-ball']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown detector "crystal-ball"; known detectors: null, random/);
  });

  it('a dataset that does not match its manifest is refused, naming the file and line, exit 1', () => {
    const dir = tempDir();
    const out = join(dir, 'ds');
    expect(cli(['generate', '--preset', 'tiny', '--out', out]).status).toBe(0);
    const path = join(out, 'emails.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(/\n\{/, '\n['));
    const r = cli(['bench', '--data', out, '--detectors', 'null']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/emails\.jsonl does not match the dataset's manifest .*emails\.jsonl:2: not valid JSON/);
  });
});
