import { CaptureAnalyzer } from './core/capture-analyzer';
import { PacketSource } from './packet-source';

// Feeds the analyzer from several captures in timestamp order (k-way merge; k is small, so a linear scan).
// Within one capture, packets keep file order even when timestamps step back. (One capture alone is fed
// directly, PacketSource.drain.)
export async function feedInTimeOrder(sources: PacketSource[], analyzer: CaptureAnalyzer): Promise<void> {
  const live: PacketSource[] = [];
  for (const source of sources) if (await source.fill()) live.push(source);
  while (live.length > 0) {
    let best = live[0];
    let head = best.records[best.index];
    for (let i = 1; i < live.length; i++) {
      const other = live[i].records[live[i].index];
      if (other.tsSec < head.tsSec || (other.tsSec === head.tsSec && other.tsNs < head.tsNs)) {
        best = live[i];
        head = other;
      }
    }
    analyzer.ingest(head);
    best.index += 1;
    if (best.index === best.count && !(await best.fill())) live.splice(live.indexOf(best), 1);
  }
}
