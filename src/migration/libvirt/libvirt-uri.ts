/** Connection URIs livemig opens: local system QEMU, remote QEMU over tcp/ssh/tls, and libvirt's test driver. */
const SCHEMES = new Set(['qemu:', 'qemu+tcp:', 'qemu+ssh:', 'qemu+tls:', 'qemu+unix:', 'test:']);
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
const QUERY_KEY = /^[a-z_]+$/;

/** Pure: throws a RangeError unless `uri` is a libvirt URI livemig is willing to open. */
export function assertLibvirtUri(uri: string): string {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new RangeError(`not a libvirt URI: ${JSON.stringify(uri)}`);
  }
  if (!SCHEMES.has(parsed.protocol)) throw new RangeError(`unsupported libvirt URI scheme ${parsed.protocol}`);
  const remote = parsed.protocol !== 'qemu:' && parsed.protocol !== 'test:' && parsed.protocol !== 'qemu+unix:';
  if (remote && !HOST.test(parsed.hostname)) throw new RangeError(`invalid host in libvirt URI: ${JSON.stringify(parsed.hostname)}`);
  if (!remote && parsed.hostname !== '') throw new RangeError(`${parsed.protocol} URIs take no host`);
  const validPath = parsed.protocol === 'test:' ? /^\/[A-Za-z0-9._/-]*$/.test(parsed.pathname) : ['/system', '/session'].includes(parsed.pathname);
  if (!validPath) throw new RangeError(`invalid path in libvirt URI: ${JSON.stringify(parsed.pathname)}`);
  for (const key of parsed.searchParams.keys()) {
    if (!QUERY_KEY.test(key)) throw new RangeError(`invalid query parameter in libvirt URI: ${JSON.stringify(key)}`);
  }
  return uri;
}
