/** Connection URIs livemig opens: local system QEMU, remote QEMU over tcp/ssh/tls, and libvirt's test driver. */
const SCHEMES = new Set(['qemu:', 'qemu+tcp:', 'qemu+ssh:', 'qemu+libssh2:', 'qemu+libssh:', 'qemu+tls:', 'qemu+unix:', 'test:']);
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
// libvirt's transport options, minus `command` and `netcat`, which name programs to run.
const QUERY_KEYS = new Set([
  'socket',
  'no_tty',
  'no_verify',
  'keyfile',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'pkipath',
  'tls_priority',
  'mode',
  'proxy',
  'name',
]);

/** Pure: throws a RangeError unless `uri` is a libvirt URI livemig is willing to open. */
export function assertLibvirtUri(uri: string): string {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new RangeError(`not a libvirt URI: ${JSON.stringify(uri)}`);
  }
  if (!SCHEMES.has(parsed.protocol)) throw new RangeError(`unsupported libvirt URI scheme ${parsed.protocol}`);
  // A transport (qemu+tcp, ...) needs a host; bare qemu:// may name one (libvirt then uses TLS); a UNIX socket has none.
  const hostRequired = parsed.protocol.includes('+') && parsed.protocol !== 'qemu+unix:';
  if (parsed.protocol === 'qemu+unix:' && parsed.hostname !== '') throw new RangeError('qemu+unix URIs take no host');
  if ((hostRequired || parsed.hostname !== '') && !HOST.test(parsed.hostname)) {
    throw new RangeError(`invalid host in libvirt URI: ${JSON.stringify(parsed.hostname)}`);
  }
  const validPath =
    parsed.protocol === 'test:' ? /^\/[A-Za-z0-9._/-]*$/.test(parsed.pathname) : ['/system', '/session'].includes(parsed.pathname);
  if (!validPath) throw new RangeError(`invalid path in libvirt URI: ${JSON.stringify(parsed.pathname)}`);
  for (const key of parsed.searchParams.keys()) {
    if (!QUERY_KEYS.has(key)) throw new RangeError(`unsupported query parameter in libvirt URI: ${JSON.stringify(key)}`);
  }
  return uri;
}
