// Domain events through libvirt's event loop thread and a ThreadSafeFunction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DomainEvent, LifecycleEvent } from '../../../src/migration/libvirt/domain-event';
import { LibvirtConnection } from '../../../src/migration/libvirt/libvirt-connection';

const domainXml = `
<domain type='test'>
  <name>livemig-events</name>
  <memory unit='MiB'>128</memory>
  <os><type>hvm</type></os>
</domain>`;

async function waitFor<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for events');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const lifecycle = (events: DomainEvent[]) =>
  events.filter((e): e is LifecycleEvent => e.kind === 'lifecycle').map((e) => `${e.domain.name}:${e.event}/${e.detail}`);

describe('domain events on test:///default', () => {
  let conn: LibvirtConnection;

  beforeEach(async () => {
    conn = await LibvirtConnection.open('test:///default');
  });

  afterEach(async () => {
    await conn.close();
  });

  it('delivers lifecycle events for define, start, destroy and undefine', async () => {
    const events: DomainEvent[] = [];
    const unsubscribe = await conn.onDomainEvent((e) => events.push(e));
    const dom = await conn.defineDomain(domainXml);
    await dom.start();
    await dom.destroy();
    await dom.undefine();
    const seen = await waitFor(() => (events.length >= 4 ? lifecycle(events) : undefined));
    expect(seen).toEqual([
      'livemig-events:defined/added',
      'livemig-events:started/booted',
      'livemig-events:stopped/destroyed',
      'livemig-events:undefined/0',
    ]);
    expect(events[0]?.domain.uuid).toBe(dom.uuid);
    await unsubscribe();
  });

  it('stops delivering after unsubscribe, and keeps other listeners', async () => {
    const first: DomainEvent[] = [];
    const second: DomainEvent[] = [];
    const unsubscribeFirst = await conn.onDomainEvent((e) => first.push(e));
    const unsubscribeSecond = await conn.onDomainEvent((e) => second.push(e));
    const dom = await conn.lookupDomain('test');
    await dom.destroy();
    await waitFor(() => (first.length >= 1 && second.length >= 1 ? true : undefined));
    await unsubscribeFirst();
    await dom.start();
    await waitFor(() => (second.length >= 2 ? true : undefined));
    // Give a late event for `first` the same chance to arrive as the one `second` got.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lifecycle(first)).toEqual(['test:stopped/destroyed']);
    expect(lifecycle(second)).toEqual(['test:stopped/destroyed', 'test:started/booted']);
    await unsubscribeSecond();
  });
});
