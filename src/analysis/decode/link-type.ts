// LINKTYPE_* values from the pcap/pcapng registries that the decoder understands.
export const LinkType = {
  Null: 0,
  Ethernet: 1,
  RawOpenBsd: 12,
  Raw: 101,
  LinuxSll: 113,
  Ipv4: 228,
  Ipv6: 229,
  LinuxSll2: 276,
} as const;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
