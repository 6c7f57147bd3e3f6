import { BlockList, isIP } from 'node:net';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { agentHttpsRequired, localAgentEndpointsAllowed } from '../../config/agent-endpoint-policy';

// The controller sends the host's agent token to this endpoint: it must not reach the controller's
// own machine or a cloud metadata service.
const REFUSED = new BlockList();
REFUSED.addSubnet('0.0.0.0', 8, 'ipv4');
REFUSED.addSubnet('127.0.0.0', 8, 'ipv4');
REFUSED.addSubnet('169.254.0.0', 16, 'ipv4');
REFUSED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
REFUSED.addAddress('192.0.0.192', 'ipv4'); // Oracle Cloud metadata
REFUSED.addAddress('::', 'ipv6');
REFUSED.addAddress('::1', 'ipv6');
REFUSED.addSubnet('fe80::', 10, 'ipv6');
REFUSED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
const REFUSED_NAMES = /^(?:localhost|localhost\.localdomain|.*\.localhost|metadata|metadata\.google\.internal)\.?$/i;

/** Why `value` may not be an agent endpoint, or null when it may. */
export function agentEndpointProblem(value: unknown, allowLocal = localAgentEndpointsAllowed()): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > 255) return 'must be an http(s) URL of at most 255 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.protocol === 'http:' && agentHttpsRequired()) return 'must be https: the agent channel uses TLS (LIVEMIG_AGENT_TLS_CA is set)';
  if (allowLocal) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (REFUSED_NAMES.test(host)) return `must not name ${host} (loopback or metadata service)`;
  const family = isIP(host);
  if (family === 0) return null;
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host)?.[1] : undefined;
  const refused = mapped !== undefined ? REFUSED.check(mapped, 'ipv4') : REFUSED.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return refused ? `must not be a loopback, link-local, unspecified or metadata address (${host})` : null;
}

export const IsAgentEndpoint = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isAgentEndpoint',
      validator: {
        validate: (value: unknown) => agentEndpointProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'agentEndpoint'} ${agentEndpointProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
