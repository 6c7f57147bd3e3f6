import { describe, expect, it } from 'vitest';
import { heartbeatVerdict, MISSED_HEARTBEATS_DOWN } from '../../../src/network/heartbeat/heartbeat-verdict';

describe('heartbeatVerdict', () => {
  it('marks an agent down at the third missed heartbeat in a row, not before', () => {
    expect(MISSED_HEARTBEATS_DOWN).toBe(3);
    let missed = 0;
    const states: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      const v = heartbeatVerdict(missed, false);
      missed = v.missed;
      states.push(v.state);
    }
    expect(states).toEqual([null, null, 'down', 'down']);
  });

  it('an answer resets the count and marks it up', () => {
    expect(heartbeatVerdict(2, true)).toEqual({ missed: 0, state: 'up' });
    expect(heartbeatVerdict(0, false)).toEqual({ missed: 1, state: null });
  });
});
