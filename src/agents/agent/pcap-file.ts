import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StreamableFile } from '@nestjs/common';

export const PCAP_MEDIA_TYPE = 'application/vnd.tcpdump.pcap';

export async function pcapStream(path: string, downloadName: string): Promise<StreamableFile> {
  const { size } = await stat(path);
  return new StreamableFile(createReadStream(path), {
    type: PCAP_MEDIA_TYPE,
    length: size,
    disposition: `attachment; filename="${downloadName}"`,
  });
}
