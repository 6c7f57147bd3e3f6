import { FrameRecord, pcapHeader, pcapngHeader, PcapngInterface, pcapngRecord, pcapRecord } from './capture-writers';
import { etherTypeOf, LINK_TYPE, LinkKind, linkHeader } from './frames';
import { ScenarioEvent } from './scenario';

export type CaptureFormat = 'pcap-us' | 'pcap-ns' | 'pcapng';

export interface EncodeOptions {
  format: CaptureFormat;
  link: LinkKind;
  snaplen?: number;
  bigEndian?: boolean;
  /** pcapng only: if_tsresol per interface; scenario channels map onto interfaces round-robin. */
  tsresols?: number[];
  tsOffsetSec?: number;
  /** pcapng only: Simple Packet Blocks (no timestamp, interface 0) instead of EPBs. */
  simple?: boolean;
}

export function toFrameRecord(event: ScenarioEvent, link: LinkKind, snaplen: number, iface: number): FrameRecord {
  const header = linkHeader(link, etherTypeOf(event.packet));
  const wireBytes = header.length + event.packet.ipBytes;
  const captured = Buffer.alloc(Math.min(snaplen, wireBytes));
  header.copy(captured, 0);
  event.packet.headers.copy(
    captured,
    header.length,
    0,
    Math.max(0, Math.min(event.packet.headers.length, captured.length - header.length)),
  );
  return { tsNs: event.tsNs, captured, wireBytes, iface };
}

/** The whole capture in memory: fine for tests; the bench streams instead. */
export function encodeCapture(events: ScenarioEvent[], o: EncodeOptions): Buffer {
  const snaplen = o.snaplen ?? 128;
  const linkType = LINK_TYPE[o.link];
  const usable = o.link === 'raw' ? events.filter((e) => etherTypeOf(e.packet) !== 0x0806) : events;
  if (o.format === 'pcapng') {
    const interfaces: PcapngInterface[] = (o.tsresols ?? [6]).map((tsresol) => ({
      linkType,
      snaplen,
      tsresol,
      tsOffsetSec: o.tsOffsetSec,
    }));
    const options = { bigEndian: o.bigEndian, interfaces, simple: o.simple };
    return Buffer.concat([
      pcapngHeader(options),
      ...usable.map((e) => pcapngRecord(options, toFrameRecord(e, o.link, snaplen, e.channel % interfaces.length))),
    ]);
  }
  const options = { nanos: o.format === 'pcap-ns', bigEndian: o.bigEndian, linkType, snaplen };
  return Buffer.concat([pcapHeader(options), ...usable.map((e) => pcapRecord(options, toFrameRecord(e, o.link, snaplen, 0)))]);
}

/** How many frames encodeCapture writes for this link (raw IP cannot carry the ARP noise). */
export function framesWritten(events: ScenarioEvent[], link: LinkKind): number {
  return link === 'raw' ? events.filter((e) => etherTypeOf(e.packet) !== 0x0806).length : events.length;
}
