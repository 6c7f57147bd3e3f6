// Oddities a reader accepts, as libpcap and Wireshark do, counted per kind with the offset of the first one:
// a file with a million odd records gives one line, not a million.
export class RecordWarnings {
  private readonly kinds = new Map<string, { count: number; firstOffset: number }>();

  note(what: string, offset: number): void {
    const kind = this.kinds.get(what);
    if (kind === undefined) this.kinds.set(what, { count: 1, firstOffset: offset });
    else kind.count += 1;
  }

  /** One line per kind, e.g. "capture.pcap: 3 records: captured length above the original length, read as is (first at byte offset 24)". */
  lines(file: string): string[] {
    return [...this.kinds].map(
      ([what, k]) => `${file}: ${k.count} ${k.count === 1 ? 'record' : 'records'}: ${what} (first at byte offset ${k.firstOffset})`,
    );
  }
}
