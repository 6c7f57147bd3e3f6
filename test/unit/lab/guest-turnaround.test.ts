import { describe, expect, it } from 'vitest';
import { guestTurnaround, tapMacOf, type TapEcho } from '../../../lab/guest-tap';

const GUEST = '203.0.113.60';
const req = (ts: number, seq: number, src = '203.0.113.2'): TapEcho => ({ ts, kind: 'request', src, dst: GUEST, id: 7, seq });
const rep = (ts: number, seq: number, dst = '203.0.113.2'): TapEcho => ({ ts, kind: 'reply', src: GUEST, dst, id: 7, seq });

describe('the guest turnaround after the resume, from the destination tap', () => {
  it('splits the first answer into delivery to the tap and the guest answering', () => {
    const pauseEnd = 100;
    const echoes = [
      req(99.95, 1), // queued at the tap during the pause
      req(99.96, 2),
      rep(100.08, 1), // the cold guest answers 80 ms after its resume
      rep(100.081, 2),
      req(101.2, 3),
      rep(101.2005, 3),
      req(101.3, 4),
      rep(101.3007, 4),
      req(101.4, 5, '192.0.2.99'), // another stream, same seq numbers apart
      rep(101.4004, 5, '192.0.2.99'),
    ];
    const t = guestTurnaround(echoes, GUEST, pauseEnd)!;
    expect(t.requestAtTapFromPauseEndMs).toBeCloseTo(-50, 3);
    expect(t.replyAtTapFromPauseEndMs).toBeCloseTo(80, 3);
    expect(t.firstTurnaroundMs).toBeCloseTo(80, 3);
    expect(t.steadyTurnaroundMs).toBeCloseTo(0.5, 3);
  });

  it('is null without an answer after the pause, and ignores unmatched replies', () => {
    expect(guestTurnaround([req(99, 1), rep(99.001, 1), rep(100.5, 9)], GUEST, 100)).toBeNull();
  });

  it("names the tap by libvirt's MAC rule", () => {
    expect(tapMacOf('52:54:00:cb:00:3c')).toBe('fe:54:00:cb:00:3c');
  });
});
