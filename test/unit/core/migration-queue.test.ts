import { describe, expect, it } from 'vitest';
import { MigrationQueue } from '../../../src/migration/core';

const m = (id: string, sourceHostId: string, destinationHostId: string) => ({ id, sourceHostId, destinationHostId });

describe('MigrationQueue', () => {
  it('admits in arrival order within the outbound limit', () => {
    const q = new MigrationQueue({ perCluster: 5, perOutboundHost: 2, perInboundHost: 2 });
    ['1', '2', '3'].forEach((id, i) => q.enqueue(m(id, 'a', `d${i}`)));
    expect(q.admit().map((x) => x.id)).toEqual(['1', '2']);
    expect(q.admit()).toEqual([]);
    q.finish('1');
    expect(q.admit().map((x) => x.id)).toEqual(['3']);
  });

  it('lets a later migration pass one blocked by its hosts', () => {
    const q = new MigrationQueue({ perCluster: 5, perOutboundHost: 1, perInboundHost: 1 });
    q.enqueue(m('1', 'a', 'x'));
    q.enqueue(m('2', 'a', 'y'));
    q.enqueue(m('3', 'b', 'y'));
    expect(q.admit().map((x) => x.id)).toEqual(['1', '3']);
  });

  it('honours the inbound and cluster limits', () => {
    const q = new MigrationQueue({ perCluster: 2, perOutboundHost: 9, perInboundHost: 1 });
    q.enqueue(m('1', 'a', 'x'));
    q.enqueue(m('2', 'b', 'x'));
    q.enqueue(m('3', 'c', 'y'));
    q.enqueue(m('4', 'd', 'z'));
    expect(q.admit().map((x) => x.id)).toEqual(['1', '3']);
    expect(q.runningCount).toBe(2);
    expect(q.waitingCount).toBe(2);
  });

  it('withdraws only what has not started, and ignores duplicates', () => {
    const q = new MigrationQueue({ perCluster: 1, perOutboundHost: 1, perInboundHost: 1 });
    q.enqueue(m('1', 'a', 'x'));
    q.enqueue(m('1', 'a', 'x'));
    q.enqueue(m('2', 'b', 'y'));
    q.admit();
    expect(q.remove('1')).toBe(false);
    expect(q.remove('2')).toBe(true);
    expect(q.isWaiting('2')).toBe(false);
  });
});
