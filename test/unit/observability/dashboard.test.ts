import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metric } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { LivemigConfig } from '../../../src/config/livemig-config';
import { ClusterGaugesCollector } from '../../../src/migration/metrics/cluster-gauges.collector';
import { MigrationMetricSet } from '../../../src/migration/metrics/migration-metric-set';
import type { MetricsReadsRepository } from '../../../src/migration/metrics/repositories/metrics-reads.repository';
import { MetricsRegistry } from '../../../src/observability/metrics.registry';

const DASHBOARD = join(__dirname, '../../../deploy/grafana/livemig.json');
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

interface Selector {
  name: string;
  labels: string[];
}

/** The metric selectors of a PromQL expression: names with their matchers' label names. */
export function selectorsOf(expr: string): Selector[] {
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const found: Selector[] = [];
  for (const m of s.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?(\s*\()?/g)) {
    const [, name, braces, call] = m;
    if (call || KEYWORDS.has(name)) continue;
    found.push({ name, labels: [...(braces ?? '').matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!=|!~|=)/g)].map((l) => l[1]) });
  }
  return found;
}

/** Every series name the controller's registry exports, with the label names each allows. */
async function exported(): Promise<Map<string, Set<string>>> {
  const metrics = new MetricsRegistry();
  new MigrationMetricSet(metrics);
  const reads = { clusterRows: async () => ({ activeMigrations: [], hosts: [], drains: [], rebalanceRuns: [] }) };
  const config = {
    migration: { parallelMigrationsPerCluster: 5, parallelOutboundMigrationsPerHost: 2, parallelInboundMigrationsPerHost: 2 },
  };
  new ClusterGaugesCollector(metrics, reads as unknown as MetricsReadsRepository, config as LivemigConfig);
  const names = new Map<string, Set<string>>();
  for (const metric of metrics.registry.getMetricsAsArray() as unknown as Metric[]) {
    const got = await metric.get();
    const labels = new Set<string>((metric as unknown as { labelNames: string[] }).labelNames);
    if (String(got.type) === 'histogram') {
      names.set(`${got.name}_bucket`, new Set([...labels, 'le']));
      names.set(`${got.name}_sum`, labels);
      names.set(`${got.name}_count`, labels);
    } else names.set(got.name, labels);
  }
  metrics.onModuleDestroy();
  return names;
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { query?: unknown }[] } };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('finds the selectors of PromQL expressions', () => {
    expect(
      selectorsOf(
        'histogram_quantile(0.95, sum by (le, flavor) (rate(livemig_x_bucket{flavor=~"$flavor",a!="b"}[$__rate_interval]))) / 1e9',
      ),
    ).toEqual([{ name: 'livemig_x_bucket', labels: ['flavor', 'a'] }]);
    expect(selectorsOf('count(max by (host) (livemig_agent_up) == 0) or vector(0)')).toEqual([{ name: 'livemig_agent_up', labels: [] }]);
  });

  it('has panels for running migrations, downtime, drains and agents', () => {
    expect(exprs.length).toBeGreaterThanOrEqual(20);
    const all = exprs.map((e) => e.expr).join('\n');
    for (const name of [
      'livemig_migrations_running',
      'livemig_migration_downtime_seconds_bucket',
      'livemig_drain_progress_ratio',
      'livemig_agent_up',
    ])
      expect(all).toContain(name);
  });

  it('queries only metrics and labels the controller exports', async () => {
    const names = await exported();
    const wrong: string[] = [];
    for (const { panel, expr } of exprs) {
      const selectors = selectorsOf(expr);
      if (selectors.length === 0) wrong.push(`${panel}: no metric in ${expr}`);
      for (const s of selectors) {
        const labels = names.get(s.name);
        if (!labels) wrong.push(`${panel}: ${s.name} is not exported`);
        else for (const l of s.labels) if (!labels.has(l)) wrong.push(`${panel}: ${s.name} has no label ${l}`);
      }
    }
    for (const v of dashboard.templating.list) {
      const m = typeof v.query === 'string' ? /label_values\((\w+),\s*(\w+)\)/.exec(v.query) : null;
      if (m && !names.get(m[1])?.has(m[2])) wrong.push(`variable: ${m[1]} has no label ${m[2]}`);
    }
    expect(wrong).toEqual([]);
  });
});
