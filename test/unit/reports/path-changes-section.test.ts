import { describe, expect, it } from 'vitest';
import { renderPathChangesSection } from '../../../src/reports/path-changes-section';

describe('the report page lists the peers whose path class changed', () => {
  it('says when nothing was computed or nothing changed', () => {
    expect(renderPathChangesSection(null)).toContain('not computed');
    expect(renderPathChangesSection([])).toContain('no peer changed class');
  });

  it('names each peer with its before and after class, escaped', () => {
    const html = renderPathChangesSection([
      {
        portId: 'p-1',
        peer: { kind: 'port', portId: 'p-2', instanceId: null, fixedIp: '10.0.0.5', host: 'host<b>' },
        from: 'inter-node-intra-subnet',
        to: 'intra-node-intra-subnet',
      },
      { portId: 'p-1', peer: { kind: 'external' }, from: 'north-south-floating-ip', to: 'unreachable' },
    ]);
    expect(html).toContain('<td class="text">10.0.0.5 on host&lt;b&gt;</td><td class="text">inter-node-intra-subnet</td>');
    expect(html).toContain(
      '<td class="text">external network</td><td class="text">north-south-floating-ip</td><td class="text">unreachable</td>',
    );
  });
});
