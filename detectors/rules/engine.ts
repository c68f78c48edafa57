/**
 * The rule engine: evaluates rule files (schema.ts) over a stream, one mail at a time, with a
 * small state per mailbox — its recent events, the first time each value of a watched field
 * was seen, and each group's quiet period. It sees what a detector sees and nothing more.
 */
import type { Alert, DetectorInstance, EmailRecord } from '../types.js';
import { arrival, extractEvents, mailEvent } from '../lib/events.js';
import type { EventName, FieldValue, MailEvent } from '../lib/events.js';
import { sender } from '../lib/mail.js';
import { durationMs } from './schema.js';
import type { Condition, Rule } from './schema.js';

interface Past {
  t: number;
  id: string;
  name: EventName;
  fields: Record<string, FieldValue>;
}

interface MailboxState {
  firstSeen: number;
  domains: Map<string, number>;
  /** Events within the horizon, oldest first. */
  events: Past[];
  /** First time each event name was seen. */
  firstOf: Map<string, number>;
  /** First time each value of an (event, field) was seen: for novelty over the whole history. */
  firstValue: Map<string, Map<FieldValue, number>>;
  quietUntil: Map<string, number>;
}

interface Source {
  event: EventName | EventName[];
  field?: string;
  where?: Record<string, string | number | boolean>;
  within?: string;
  olderThan?: string;
}

const names = (e: EventName | EventName[]): EventName[] => (Array.isArray(e) ? e : [e]);

/** Every duration a rule mentions, to size the history kept per mailbox. */
function horizonOf(rules: readonly Rule[]): number {
  let max = 0;
  const visit = (x: unknown): void => {
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      let sum = 0;
      for (const k of ['within', 'olderThan', 'for']) if (typeof o[k] === 'string') sum += durationMs(o[k] as string);
      max = Math.max(max, sum);
      for (const v of Object.values(o)) visit(v);
    }
  };
  visit(rules);
  return max + 3_600_000;
}

/** (event, field) pairs whose value history `unseen` needs. */
function watchedFields(rules: readonly Rule[]): Set<string> {
  const out = new Set<string>();
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.unseen && typeof o.unseen === 'object') {
      for (const s of (o.unseen as { in: Source[] }).in) for (const n of names(s.event)) out.add(`${n}/${s.field}`);
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(rules);
  return out;
}

export function createRuleEngine(rules: readonly Rule[]): DetectorInstance {
  const boxes = new Map<string, MailboxState>();
  const horizon = horizonOf(rules);
  const watched = watchedFields(rules);
  // The generic event of every mail costs a history entry per mail: recorded only when used.
  const usesMailAny = JSON.stringify(rules).includes('"mail.any"');
  // Rules by triggering event, each group's rules in order.
  const byEvent = new Map<EventName, Map<string, Rule[]>>();
  for (const r of [...rules].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))) {
    for (const n of names(r.on)) {
      let groups = byEvent.get(n);
      if (!groups) byEvent.set(n, (groups = new Map()));
      const list = groups.get(r.group) ?? [];
      list.push(r);
      groups.set(r.group, list);
    }
  }

  function matches(p: Past, src: Source, t: number): boolean {
    if (!names(src.event).includes(p.name)) return false;
    if (src.within !== undefined && !(t - p.t < durationMs(src.within))) return false;
    if (src.olderThan !== undefined && !(t - p.t >= durationMs(src.olderThan))) return false;
    if (src.where) for (const [k, v] of Object.entries(src.where)) if (p.fields[k] !== v) return false;
    return true;
  }

  function select(s: MailboxState, src: Source, t: number, trigger: Past, includeTrigger: boolean): Past[] {
    const out: Past[] = [];
    for (const p of s.events) if ((includeTrigger || p !== trigger) && matches(p, src, t)) out.push(p);
    return out;
  }

  const regexCache = new Map<string, RegExp>();
  const re = (pattern: string): RegExp => {
    let r = regexCache.get(pattern);
    if (!r) regexCache.set(pattern, (r = new RegExp(pattern, 'u')));
    return r;
  };
  let current: EmailRecord | null = null;

  function holds(c: Condition, s: MailboxState, trigger: Past): boolean {
    const t = trigger.t;
    if ('all' in c) return c.all.every((x) => holds(x, s, trigger));
    if ('any' in c) return c.any.some((x) => holds(x, s, trigger));
    if ('not' in c) return !holds(c.not, s, trigger);
    if ('match' in c) {
      const e = current!;
      if (c.match.subject !== undefined && !re(c.match.subject).test(e.subject)) return false;
      if (c.match.from !== undefined && !re(c.match.from).test(e.from)) return false;
      if (c.match.text !== undefined && !re(c.match.text).test(e.text)) return false;
      if (c.match.header) {
        const name = c.match.header.name.toLowerCase();
        const h = e.headers.find(([n]) => n.toLowerCase() === name);
        if (!h || !re(c.match.header.pattern).test(h[1])) return false;
      }
      return true;
    }
    if ('field' in c) {
      const v = trigger.fields[c.field.name];
      if (c.field.is !== undefined && v !== c.field.is) return false;
      if (c.field.atLeast !== undefined && !(typeof v === 'number' && v >= c.field.atLeast)) return false;
      return true;
    }
    if ('count' in c) {
      const n = select(s, c.count, t, trigger, true).length;
      return (c.count.atLeast === undefined || n >= c.count.atLeast) && (c.count.atMost === undefined || n <= c.count.atMost);
    }
    if ('every' in c) return select(s, c.every, t, trigger, true).every((p) => p.fields[c.every.field] === true);
    if ('sum' in c) return select(s, c.sum, t, trigger, true).reduce((a, p) => a + (Number(p.fields[c.sum.field]) || 0), 0) >= c.sum.atLeast;
    if ('distinct' in c) {
      const n = new Set(select(s, c.distinct, t, trigger, true).map((p) => p.fields[c.distinct.field])).size;
      return (c.distinct.atLeast === undefined || n >= c.distinct.atLeast) && (c.distinct.atMost === undefined || n <= c.distinct.atMost);
    }
    if ('after' in c) return select(s, c.after, t, trigger, false).length > 0;
    if ('unseen' in c) {
      const value = trigger.fields[c.unseen.field];
      if (value === null || value === undefined) return false;
      if (c.unseen.history === 'required') {
        // At least one source event must exist (whatever its field), or novelty means nothing.
        const any = c.unseen.in.some((src) =>
          names(src.event).some((n) => {
            const first = s.firstOf.get(n);
            return first !== undefined && (src.olderThan === undefined ? first <= t : t - first >= durationMs(src.olderThan));
          }),
        );
        if (!any) return false;
      }
      for (const src of c.unseen.in) {
        if (src.within !== undefined || src.where !== undefined) {
          if (select(s, src, t, trigger, false).some((p) => p.fields[src.field] === value)) return false;
          continue;
        }
        for (const n of names(src.event)) {
          const first = s.firstValue.get(`${n}/${src.field}`)?.get(value);
          if (first === undefined) continue;
          if (src.olderThan === undefined ? first <= t : t - first >= durationMs(src.olderThan)) return false;
        }
      }
      return true;
    }
    if ('quiet' in c) {
      const older = durationMs(c.quiet.olderThan);
      const span = durationMs(c.quiet.for);
      let last = -Infinity;
      for (const p of s.events) if (names(c.quiet.event).includes(p.name) && t - p.t >= older && p.t > last) last = p.t;
      if (last === -Infinity) {
        // Nothing in the kept history: either never, or long enough ago (the horizon covers olderThan + for).
        const seenBefore = names(c.quiet.event).some((n) => (s.firstOf.get(n) ?? Infinity) <= t - older);
        last = seenBefore ? -Infinity : s.firstSeen;
      }
      return t - older - last >= span;
    }
    return false;
  }

  return {
    onEmail(email: EmailRecord) {
      const t = arrival(email);
      let s = boxes.get(email.mailbox);
      if (!s)
        boxes.set(email.mailbox, (s = { firstSeen: t, domains: new Map(), events: [], firstOf: new Map(), firstValue: new Map(), quietUntil: new Map() }));
      const domain = sender(email).domain;
      const seen = s.domains.get(domain) ?? 0;
      s.domains.set(domain, seen + 1);
      current = email;
      const events: MailEvent[] = extractEvents(email, seen > 0);
      if (usesMailAny) events.unshift(mailEvent(email));
      if (events.length === 0) return;
      const alerts: Alert[] = [];
      for (const ev of events) {
        const past: Past = { t, id: email.id, name: ev.name, fields: ev.fields };
        s.events.push(past);
        while (s.events.length && t - s.events[0]!.t > horizon) s.events.shift();
        const groups = byEvent.get(ev.name);
        if (groups) {
          for (const [group, list] of groups) {
            if (t < (s.quietUntil.get(group) ?? 0)) continue;
            for (const rule of list) {
              if (!rule.when.every((c) => holds(c, s, past))) continue;
              let score = rule.score;
              const why: string[] = [];
              for (const b of rule.bonus) {
                if (b.when.every((c) => holds(c, s, past))) {
                  score += b.add;
                  why.push(`+${b.add}`);
                }
              }
              s.quietUntil.set(group, t + durationMs(rule.suppress));
              const evidence = [
                ...new Set([...s.events.filter((p) => p !== past && t - p.t < 86_400_000 && names(rule.on).includes(p.name)).map((p) => p.id), email.id]),
              ];
              alerts.push({
                mailbox: email.mailbox,
                score: Math.min(1, Math.max(0, score)),
                reason: `${rule.id}: ${rule.title}${why.length ? ` (${why.join(' ')})` : ''}`,
                evidence,
                rule: rule.id,
              });
              break;
            }
          }
        }
        // Remember values only after the rules ran, so "unseen" compares with the past.
        if (!s.firstOf.has(ev.name)) s.firstOf.set(ev.name, t);
        for (const [k, v] of Object.entries(ev.fields)) {
          const key = `${ev.name}/${k}`;
          if (!watched.has(key) || v === null) continue;
          let m = s.firstValue.get(key);
          if (!m) s.firstValue.set(key, (m = new Map()));
          if (!m.has(v)) m.set(v, t);
        }
      }
      return alerts;
    },
  };
}
