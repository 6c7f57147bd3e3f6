import { describe, expect, it } from 'vitest';
import type { HostEntity } from '../../../src/inventory/hosts/host.entity';
import type { HostsRepository } from '../../../src/inventory/repositories/hosts.repository';
import { Settlement, type SettlementSubject } from '../../../src/migration/engine/settlement';
import { Hypervisor } from '../../../src/migration/hypervisor';
import { PAUSED_POSTCOPY_FAILED } from '../../../src/migration/libvirt';
import { FakeLibvirt } from '../../support/migration/fake-libvirt';

const SRC = 'qemu+tcp://src/system';
const DST = 'qemu+tcp://dst/system';
const host = (id: string, name: string, libvirtUri: string) => ({ id, name, libvirtUri }) as HostEntity;
const HOSTS = [host('h-src', 'src', SRC), host('h-dst', 'dst', DST)];
const hostsRepository = {
  getById: async (id: string) => HOSTS.find((h) => h.id === id)!,
} as unknown as HostsRepository;
const subject: SettlementSubject = { id: 'm-1', domainName: 'vm', sourceHostId: 'h-src', destinationHostId: 'h-dst' };

function world(place: (libvirt: FakeLibvirt) => void) {
  const libvirt = new FakeLibvirt();
  libvirt.addHost(SRC);
  libvirt.addHost(DST);
  place(libvirt);
  return { libvirt, settlement: new Settlement(new Hypervisor(libvirt), hostsRepository) };
}

describe('settlement on a fake hypervisor', () => {
  it('finds a guest that moved: completed, the destination is where it runs', async () => {
    const { settlement } = world((l) => l.addGuest(DST, 'vm'));
    const out = await settlement.settle(subject, { jobEnded: true });
    expect(out).toMatchObject({ outcome: 'completed', destination: { name: 'dst' } });
  });

  it('destroys the stale paused copy on the destination when the source runs the guest', async () => {
    const { settlement, libvirt } = world((l) => {
      l.addGuest(SRC, 'vm');
      l.addGuest(DST, 'vm', { state: 'paused' });
    });
    const out = await settlement.settle(subject, { jobEnded: true });
    expect(out).toMatchObject({ outcome: 'stayed-on-source' });
    expect(out.outcome === 'stayed-on-source' && out.reason).toMatch(/destination copy was destroyed/);
    expect(libvirt.whereIs('vm')).toEqual([
      { uri: SRC, state: 'running' },
      { uri: DST, state: 'shutoff' },
    ]);
  });

  it('a post-copy failure leaves both copies as they are: the guest is split between the hosts', async () => {
    const { settlement, libvirt } = world((l) => {
      l.addGuest(SRC, 'vm', { state: 'paused', reason: PAUSED_POSTCOPY_FAILED });
      l.addGuest(DST, 'vm', { state: 'paused', reason: PAUSED_POSTCOPY_FAILED });
    });
    const out = await settlement.settle(subject, { jobEnded: true });
    expect(out).toMatchObject({ outcome: 'postcopy-failed' });
    expect(libvirt.whereIs('vm')).toEqual([
      { uri: SRC, state: 'paused' },
      { uri: DST, state: 'paused' },
    ]);
  });

  it('starts a guest that runs nowhere on the host where it is defined', async () => {
    const { settlement, libvirt } = world((l) => l.addGuest(SRC, 'vm', { state: 'shutoff' }));
    const out = await settlement.settle(subject, { jobEnded: false });
    expect(out).toMatchObject({ outcome: 'started', host: { name: 'src' } });
    expect(libvirt.whereIs('vm')).toEqual([{ uri: SRC, state: 'running' }]);
  });

  it('waits while a host does not answer, then gives up undecided after maxWaitMs', async () => {
    const { settlement, libvirt } = world((l) => l.addGuest(SRC, 'vm'));
    libvirt.down.add(DST);
    const out = await settlement.settle(subject, { jobEnded: false, maxWaitMs: 30, pollMs: 10 });
    expect(out).toMatchObject({ outcome: 'undecided', reason: 'a host does not answer' });
  });

  it('stops at the next poll when asked to (shutdown)', async () => {
    const { settlement, libvirt } = world((l) => l.addGuest(SRC, 'vm'));
    libvirt.down.add(DST);
    let polls = 0;
    const out = await settlement.settle(subject, { jobEnded: false, pollMs: 5, stop: () => ++polls > 2 });
    expect(out).toEqual({ outcome: 'stopped' });
  });

  it('after the migrate call returned, a host that does not answer counts as not running the guest', async () => {
    const { settlement, libvirt } = world((l) => l.addGuest(SRC, 'vm'));
    libvirt.down.add(DST);
    const out = await settlement.settle(subject, { jobEnded: true });
    expect(out).toMatchObject({
      outcome: 'stayed-on-source',
      observed: { source: { present: true, state: 'running' }, destination: null },
    });
  });
});
