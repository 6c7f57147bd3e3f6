import { closeSync, openSync, writeSync } from 'node:fs';
import { echoPacket, etherTypeOf, IpPacket, linkHeader, TCP, tcpPacket } from './frames';

// Writes big classic pcap (µs) captures fast for the bench: record templates are built once and only the
// timestamps are patched. The mix is a migration stream (data + acks) with an ICMP probe stream beside it.

export interface BulkCaptureSpec {
  packets: number;
  snaplen: number;
  startSec: number;
  segmentGapUs: number;
  payloadPerSegment: number;
  probeIntervalMs: number;
  probeRttUs: number;
}

export interface BulkTruth {
  packets: number;
  payloadBytes: number;
  probesSent: number;
  bytesWritten: number;
}

function template(packet: IpPacket, snaplen: number): Buffer {
  const header = linkHeader('ethernet', etherTypeOf(packet));
  const wire = header.length + packet.ipBytes;
  const captured = Math.min(wire, snaplen);
  const record = Buffer.alloc(16 + captured);
  record.writeUInt32LE(captured, 8);
  record.writeUInt32LE(wire, 12);
  header.copy(record, 16);
  packet.headers.copy(record, 16 + header.length, 0, Math.min(packet.headers.length, captured - header.length));
  return record;
}

export function writeBulkPcap(path: string, spec: BulkCaptureSpec): BulkTruth {
  const fwd = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 51234, dstPort: 49152, timestampOption: true };
  const rev = { src: '10.0.0.2', dst: '10.0.0.1', srcPort: 49152, dstPort: 51234, timestampOption: true };
  const data = template(tcpPacket({ ...fwd, flags: TCP.ACK | TCP.PSH, payloadBytes: spec.payloadPerSegment }), spec.snaplen);
  const ack = template(tcpPacket({ ...rev, flags: TCP.ACK, payloadBytes: 0 }), spec.snaplen);
  const request = template(echoPacket('10.0.0.100', '10.0.0.50', false, 1, 0), spec.snaplen);
  const reply = template(echoPacket('10.0.0.50', '10.0.0.100', true, 1, 0), spec.snaplen);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(spec.snaplen, 16);
  header.writeUInt32LE(1, 20);

  const fd = openSync(path, 'w');
  const out = Buffer.alloc(8 * 1024 * 1024);
  let used = 0;
  let bytesWritten = 0;
  const flush = (): void => {
    writeSync(fd, out, 0, used);
    bytesWritten += used;
    used = 0;
  };
  // Offsets inside a record: pcap header 16, Ethernet 14, IPv4 20, then ICMP or TCP.
  const L4 = 16 + 14 + 20;
  const emit = (record: Buffer, tUs: number, icmpSeq?: number, tcpSeq?: number, tcpAck?: number): void => {
    if (used + record.length > out.length) flush();
    record.copy(out, used);
    out.writeUInt32LE(spec.startSec + Math.floor(tUs / 1e6), used);
    out.writeUInt32LE(tUs % 1e6, used + 4);
    if (icmpSeq !== undefined) out.writeUInt16BE(icmpSeq & 0xffff, used + L4 + 6);
    // Real sequence numbers, or tshark's TCP analysis sees every segment as a retransmission.
    if (tcpSeq !== undefined) out.writeUInt32BE(tcpSeq >>> 0, used + L4 + 4);
    if (tcpAck !== undefined) out.writeUInt32BE(tcpAck >>> 0, used + L4 + 8);
    used += record.length;
  };
  try {
    writeSync(fd, header);
    bytesWritten += header.length;
    const probeGapUs = spec.probeIntervalMs * 1000;
    let packets = 0;
    let payloadBytes = 0;
    let probesSent = 0;
    let nextProbeUs = 0;
    let replyDueUs = Infinity;
    for (let k = 0; packets < spec.packets; k++) {
      const tUs = k * spec.segmentGapUs;
      // Probe traffic whose time has come, in time order with the stream.
      while (packets < spec.packets && Math.min(nextProbeUs, replyDueUs) <= tUs) {
        if (replyDueUs <= nextProbeUs) {
          emit(reply, replyDueUs, probesSent);
          replyDueUs = Infinity;
        } else {
          probesSent += 1;
          emit(request, nextProbeUs, probesSent);
          replyDueUs = nextProbeUs + spec.probeRttUs;
          nextProbeUs += probeGapUs;
        }
        packets += 1;
      }
      if (packets >= spec.packets) break;
      emit(data, tUs, undefined, (payloadBytes + 1) % 2 ** 32, 1);
      payloadBytes += spec.payloadPerSegment;
      packets += 1;
      if (k % 2 === 1 && packets < spec.packets) {
        emit(ack, tUs + 1, undefined, 1, (payloadBytes + 1) % 2 ** 32);
        packets += 1;
      }
    }
    flush();
    return { packets, payloadBytes, probesSent, bytesWritten };
  } finally {
    closeSync(fd);
  }
}
