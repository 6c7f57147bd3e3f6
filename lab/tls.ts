import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

// The lab's own PKI for the agent channel: one CA, a server certificate per agent (its IP in subjectAltName,
// since agents are reached by address) and a client certificate for the controller. openssl with argument
// arrays; P-256 keys, 30 days, nothing that should ever leave the lab.

export interface LabCertificate {
  cert: string;
  key: string;
}

export interface LabPki {
  dir: string;
  ca: LabCertificate;
  controller: LabCertificate;
  agents: Record<string, LabCertificate>;
}

export interface LabPkiRequest {
  /** Agent name → the IP it listens on. */
  agents: Record<string, string>;
  /** CA subject; a second PKI with another name stands in for a stranger's CA. */
  caName?: string;
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = ['-days', '30'];

const openssl = (...args: string[]) => execa('openssl', args);

export async function makeLabPki(dir: string, request: LabPkiRequest): Promise<LabPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  await openssl(
    'req',
    '-x509',
    ...KEY_ARGS,
    ...DAYS,
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-subj',
    `/CN=${request.caName ?? 'livemig lab CA'}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const controller = await leaf(dir, ca, 'controller', ['extendedKeyUsage=clientAuth']);
  const agents: Record<string, LabCertificate> = {};
  for (const [name, ip] of Object.entries(request.agents)) {
    agents[name] = await leaf(dir, ca, name, [`subjectAltName=IP:${ip}`, 'extendedKeyUsage=serverAuth']);
  }
  return { dir, ca, controller, agents };
}

async function leaf(dir: string, ca: LabCertificate, name: string, extensions: string[]): Promise<LabCertificate> {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new RangeError(`"${name}" is not a lab certificate name`);
  const out = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  await openssl(
    'req',
    '-new',
    ...KEY_ARGS,
    '-keyout',
    out.key,
    '-out',
    csr,
    '-subj',
    `/CN=${name}`,
    ...extensions.flatMap((e) => ['-addext', e]),
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-copy_extensions',
    'copy',
    ...DAYS,
    '-out',
    out.cert,
  );
  return out;
}
