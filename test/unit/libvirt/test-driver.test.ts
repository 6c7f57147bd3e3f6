// The real addon against libvirt's built-in test driver (test:///default: no daemon,
// one running domain "test"). Each connection gets its own fresh driver state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LibvirtConnection } from '../../../src/migration/libvirt/libvirt-connection';
import { LibvirtError, LibvirtErrorCode } from '../../../src/migration/libvirt/libvirt-error';
import { NativeLibvirtRepository } from '../../../src/migration/libvirt/native-libvirt.repository';

const VIR_FROM_TEST = 12;
const TEST_DOMAIN_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';

const newDomainXml = (name: string) => `
<domain type='test'>
  <name>${name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>`;

async function rejection(promise: Promise<unknown>): Promise<LibvirtError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LibvirtError);
  return error as LibvirtError;
}

describe('libvirt addon on test:///default', () => {
  let conn: LibvirtConnection;

  beforeEach(async () => {
    conn = await LibvirtConnection.open('test:///default');
  });

  afterEach(async () => {
    await conn.close();
  });

  it('reads hostname, node info, versions and capabilities', async () => {
    expect(await conn.hostname()).toMatch(/\S/);
    const node = await conn.nodeInfo();
    // Values of the test driver's fixed node.
    expect(node).toEqual({ model: 'i686', memoryKiB: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 });
    const version = await conn.version();
    expect(version.library).toBeGreaterThanOrEqual(9_000_000);
    expect(await conn.capabilities()).toContain('<capabilities>');
  });

  it('lists and looks up the predefined domain by name and UUID', async () => {
    const domains = await conn.listDomains();
    expect(domains.map((d) => d.name)).toEqual(['test']);
    const byName = await conn.lookupDomain('test');
    expect(byName.uuid).toBe(TEST_DOMAIN_UUID);
    expect(byName.hostUri).toBe('test:///default');
    const byUuid = await conn.lookupDomainByUuid(TEST_DOMAIN_UUID);
    expect(byUuid.name).toBe('test');
    expect((await byUuid.state()).state).toBe('running');
    const info = await byName.info();
    expect(info).toMatchObject({ state: 'running', vcpus: 2, memoryKiB: 2097152, maxMemKiB: 8388608 });
    expect(await byName.xml()).toContain(`<uuid>${TEST_DOMAIN_UUID}</uuid>`);
  });

  it('defines, starts, destroys and undefines a new domain', async () => {
    const dom = await conn.defineDomain(newDomainXml('livemig-t1'));
    expect(dom.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await dom.state()).state).toBe('shutoff');
    await dom.start();
    expect((await dom.state()).state).toBe('running');
    expect((await conn.listDomains({ active: true })).map((d) => d.name).sort()).toEqual(['livemig-t1', 'test']);
    await dom.destroy();
    expect((await dom.state()).state).toBe('shutoff');
    await dom.undefine();
    const error = await rejection(conn.lookupDomain('livemig-t1'));
    expect(error.code).toBe(LibvirtErrorCode.NO_DOMAIN);
  });

  it('pauses and resumes a running domain', async () => {
    const dom = await conn.lookupDomain('test');
    await dom.suspend();
    expect((await dom.state()).state).toBe('paused');
    await dom.resume();
    expect((await dom.state()).state).toBe('running');
  });

  it('maps a missing domain to VIR_ERR_NO_DOMAIN with domain and message', async () => {
    const error = await rejection(conn.lookupDomain('no-such-domain'));
    expect(error).toMatchObject({ name: 'LibvirtError', code: 42, domain: VIR_FROM_TEST });
    expect(error.message).toMatch(/not found/i);
    expect(error.isUnsupported).toBe(false);
  });

  it('reports what the test driver cannot do as a LibvirtError, not a crash', async () => {
    const dom = await conn.lookupDomain('test');
    // Called one at a time: a call made before the previous one is awaited could reject with no handler yet.
    const calls = [
      () => dom.jobStats(),
      () => dom.jobStats({ completed: true }),
      () => dom.abortJob(),
      () => dom.setMaxDowntime(300),
      () => dom.startPostCopy(),
    ];
    for (const call of calls) {
      const error = await rejection(call());
      expect(error.code).toBe(LibvirtErrorCode.NO_SUPPORT);
      expect(error.isUnsupported).toBe(true);
    }
    const migrate = await rejection(
      dom.migrate({ destinationUri: 'test:///default', params: { bandwidthMiBps: 100 }, flags: ['LIVE', 'PEER2PEER'] }),
    );
    expect(migrate.isUnsupported).toBe(true);
    expect(migrate.message).toMatch(/migration/);
  });

  it('reads node and domain CPU and memory statistics', async () => {
    const cpu = await conn.nodeCpuStats();
    expect(cpu.kernelNs).toBeGreaterThan(0);
    expect(cpu.idleNs).toBeGreaterThan(0);
    const records = await conn.domainStats();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ name: 'test', uuid: TEST_DOMAIN_UUID, state: 1 });
    const memory = await (await conn.lookupDomain('test')).memoryStats();
    expect(memory.actualBalloonKiB).toBe(2097152);
    expect(memory.rssKiB).toBeGreaterThan(0);
  });

  it('reports dirty rate as not started where the driver cannot measure it', async () => {
    const dom = await conn.lookupDomain('test');
    expect((await rejection(dom.startDirtyRateCalc(1))).code).toBe(LibvirtErrorCode.NO_SUPPORT);
    expect((await dom.dirtyRate()).status).toBe('unstarted');
  });

  it('refuses every use of a closed connection and of its domains', async () => {
    const other = await LibvirtConnection.open('test:///default');
    const dom = await other.lookupDomain('test');
    await other.close();
    await other.close(); // idempotent
    expect((await rejection(other.hostname())).code).toBe(LibvirtErrorCode.INVALID_CONN);
    expect((await rejection(dom.info())).code).toBe(LibvirtErrorCode.INVALID_CONN);
  });

  it('refuses bad URIs before libvirt sees them', async () => {
    await expect(LibvirtConnection.open('qemu+tcp://bad host/system')).rejects.toThrow(RangeError);
  });

  it('works through the LibvirtRepository adapter', async () => {
    const repo = new NativeLibvirtRepository();
    const host = await repo.connect('test:///default');
    try {
      const dom = await repo.lookupDomain(host, 'test');
      expect((await repo.domainState(dom)).state).toBe('running');
      expect((await repo.nodeInfo(host)).cpus).toBe(16);
      const error = await rejection(repo.jobStats(dom));
      expect(error.code).toBe(LibvirtErrorCode.NO_SUPPORT);
      await expect(repo.domainState({ name: 'test', uuid: TEST_DOMAIN_UUID, hostUri: 'test:///default' })).rejects.toThrow(TypeError);
    } finally {
      await repo.disconnect(host);
    }
  });
});
