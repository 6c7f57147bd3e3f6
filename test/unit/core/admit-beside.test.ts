import { describe, expect, it } from 'vitest';
import { admitBeside, MigrationQueue } from '../../../src/migration/core';

const m = (id: string, sourceHostId: string, destinationHostId: string) => ({ id, sourceHostId, destinationHostId });
const LIMITS = { perCluster: 3, perOutboundHost: 2, perInboundHost: 1 };

describe('admitBeside (the cluster-wide queue, running set read from the database)', () => {
  it.each([
    {
      name: 'nothing runs: oldest first within every limit',
      running: [],
      waiting: [m('1', 'a', 'x'), m('2', 'a', 'y'), m('3', 'a', 'z'), m('4', 'b', 'w')],
      admitted: ['1', '2', '4'],
    },
    {
      name: 'what runs elsewhere counts against the hosts',
      running: [m('r', 'a', 'x')],
      waiting: [m('1', 'b', 'x'), m('2', 'a', 'y')],
      admitted: ['2'],
    },
    {
      name: 'a full cluster admits nothing',
      running: [m('r1', 'a', 'x'), m('r2', 'b', 'y'), m('r3', 'c', 'z')],
      waiting: [m('1', 'd', 'w')],
      admitted: [],
    },
    {
      name: 'more running than the limit (a config change) admits nothing',
      running: [m('r1', 'a', 'x'), m('r2', 'a', 'y'), m('r3', 'a', 'z'), m('r4', 'b', 'v')],
      waiting: [m('1', 'c', 'w')],
      admitted: [],
    },
    {
      name: 'a blocked one does not hold back a later one with room',
      running: [m('r', 'a', 'x')],
      waiting: [m('1', 'c', 'x'), m('2', 'c', 'y')],
      admitted: ['2'],
    },
  ])('$name', ({ running, waiting, admitted }) => {
    expect(admitBeside(running, waiting, LIMITS).map((x) => x.id)).toEqual(admitted);
  });

  it('admits what the in-memory queue admits from the same state', () => {
    const waiting = [m('1', 'a', 'x'), m('2', 'a', 'y'), m('3', 'b', 'x'), m('4', 'c', 'z'), m('5', 'a', 'w')];
    const q = new MigrationQueue(LIMITS);
    for (const w of waiting) q.enqueue(w);
    expect(admitBeside([], waiting, LIMITS)).toEqual(q.admit());
  });
});
