import { ValidateBy, type ValidationOptions } from 'class-validator';
import { checkHostOrIp } from '../../common/names';

const SCHEMES = new Set(['qemu', 'qemu+tcp', 'qemu+ssh', 'qemu+tls', 'qemu+unix', 'qemu+libssh2', 'test']);
const PATHS = new Set(['/system', '/session', '/default']);

/** Why a libvirt connection URI is not usable by livemig, or null when it is. */
export function libvirtUriProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > 255) return 'is longer than 255 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URI such as qemu+tcp://192.0.2.11/system`;
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!SCHEMES.has(scheme)) return `scheme "${scheme}" is not one of ${[...SCHEMES].join(', ')}`;
  if (!PATHS.has(url.pathname)) return `path "${url.pathname}" must be /system, /session or /default`;
  const remote = scheme.includes('+') && scheme !== 'qemu+unix';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (remote && hostname === '') return `a remote URI (${scheme}) needs a host`;
  if (hostname !== '' && !checkHostOrIp(hostname).ok) return `host "${hostname}" is not a host name or IP address`;
  return null;
}

export const IsLibvirtUri = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isLibvirtUri',
      validator: {
        validate: (value: unknown) => libvirtUriProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'libvirtUri'} ${libvirtUriProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
