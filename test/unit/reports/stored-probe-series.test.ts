import { describe, expect, it } from 'vitest';
import { composeNetworkReport } from '../../../src/capture/migration-report';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';

const endpoints = { sourceAddress: '10.0.0.1', destinationAddress: '10.0.0.2' };

describe('stored report: probe window and series', () => {
  it('keeps the probe capture series and the downtime window', async () => {
    const analysis = await analyzeBuffers([
      encodeCapture(buildScenario(defaultScenario()).events, { format: 'pcap-us', link: 'ethernet' }),
    ]);
    const stored = composeNetworkReport(analysis, analysis, endpoints);
    expect(stored.probeSeries).toEqual(analysis.probeSeries);
    expect(stored.probeSeries).toHaveLength(250);
    expect(stored.probe?.gapStartTs).toBe(analysis.probe?.gapStartTs);
    expect(stored.notes.filter((n) => n.includes('downsampled'))).toEqual([]);

    const downsampled = { ...analysis, probeSeries: analysis.probeSeries?.slice(0, 100) };
    expect(composeNetworkReport(analysis, downsampled, endpoints).notes).toContain(
      'probe series for charts downsampled: 100 of 250 requests',
    );
  });

  it('has an empty series without a probe capture', () => {
    expect(composeNetworkReport(null, null, endpoints).probeSeries).toEqual([]);
  });
});
