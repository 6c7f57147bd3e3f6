import type { NftTableObserved } from './observed-state';
import { execIn, inNs, type PlanBuilder } from './network-plan';

// nftables are reconciled rule by rule: every livemig rule carries a comment
// that spells out what it does, so a changed rule shows as one extra and one
// missing, and rules without a livemig comment in a livemig table are extras.

export interface NftChainSpec {
  name: string;
  /** e.g. ['type', 'nat', 'hook', 'prerouting', 'priority', 'dstnat']; named priorities keep `-100` out of argv. */
  spec: string[];
}

export interface NftRuleSpec {
  chain: string;
  comment: string;
  expr: string[];
}

export interface NftTableSpec {
  family: 'ip' | 'bridge';
  name: string;
  chains: NftChainSpec[];
  rules: NftRuleSpec[];
}

const chainArgs = (t: NftTableSpec, c: NftChainSpec) => [
  'nft',
  'add',
  'chain',
  t.family,
  t.name,
  c.name,
  '{',
  ...c.spec,
  ';',
  'policy',
  'accept',
  ';',
  '}',
];
const ruleArgs = (t: NftTableSpec, r: NftRuleSpec) => [
  'nft',
  'add',
  'rule',
  t.family,
  t.name,
  r.chain,
  ...r.expr,
  'comment',
  `"${r.comment}"`,
];

/** An empty spec removes the table. */
export function planNftTable(b: PlanBuilder, ns: string | undefined, want: NftTableSpec, observed: NftTableObserved[]): void {
  const found = observed.find((t) => t.family === want.family && t.name === want.name);
  const tableSubject = inNs(`table ${want.family} ${want.name}`, ns);
  if (want.rules.length === 0) {
    if (found) b.change('nft', tableSubject, 'extra', [execIn(ns, ['nft', 'delete', 'table', want.family, want.name])]);
    return;
  }
  if (!found) {
    b.change('nft', tableSubject, 'missing', [
      execIn(ns, ['nft', 'add', 'table', want.family, want.name]),
      ...want.chains.map((c) => execIn(ns, chainArgs(want, c))),
      ...want.rules.map((r) => execIn(ns, ruleArgs(want, r))),
    ]);
    return;
  }
  for (const chain of want.chains) {
    if (!found.chains.includes(chain.name))
      b.change('nft', inNs(`chain ${want.family} ${want.name} ${chain.name}`, ns), 'missing', [execIn(ns, chainArgs(want, chain))]);
  }
  const wanted = new Set(want.rules.map((r) => `${r.chain}\u0000${r.comment}`));
  const seen = new Set<string>();
  for (const rule of found.rules) {
    const key = `${rule.chain}\u0000${rule.comment ?? ''}`;
    if (rule.comment !== undefined && wanted.has(key) && !seen.has(key)) {
      seen.add(key);
      continue;
    }
    b.change('nft', inNs(`rule ${want.name} ${rule.chain} "${rule.comment ?? `handle ${rule.handle}`}"`, ns), 'extra', [
      execIn(ns, ['nft', 'delete', 'rule', want.family, want.name, rule.chain, 'handle', String(rule.handle)]),
    ]);
  }
  for (const rule of want.rules) {
    if (!seen.has(`${rule.chain}\u0000${rule.comment}`))
      b.change('nft', inNs(`rule ${want.name} ${rule.chain} "${rule.comment}"`, ns), 'missing', [execIn(ns, ruleArgs(want, rule))]);
  }
}
