import { describe, expect, it } from 'vitest';
import { admitState } from '../../../src/agents/agent/network/state-admission';

const A = '6f1c0a52-0c7e-4f57-9a43-0e0b7c3f4a11';
const B = 'a3e5b9d0-5d1f-4c1e-8b7a-2f9e3c1d6b22';

describe('admitState', () => {
  it('takes any first state, and newer or equal revisions of the same generation', () => {
    expect(admitState(null, { revision: 0, generation: A })).toEqual({ admitted: true, takeOver: false });
    expect(admitState({ revision: 5, generation: A }, { revision: 5, generation: A })).toEqual({ admitted: true, takeOver: false });
    expect(admitState({ revision: 5, generation: A }, { revision: 9, generation: A })).toEqual({ admitted: true, takeOver: false });
  });

  it('refuses an older revision of the same generation, saying what it holds', () => {
    expect(admitState({ revision: 5, generation: A }, { revision: 4, generation: A })).toEqual({
      admitted: false,
      message: 'revision 4 is older than the applied revision 5',
      held: { reason: 'older-revision', heldGeneration: A, heldRevision: 5 },
    });
  });

  it('refuses another generation whatever its revision, so an empty database cannot silently win or lose', () => {
    for (const revision of [1, 5, 500]) {
      const a = admitState({ revision: 5, generation: A }, { revision, generation: B });
      expect(a).toMatchObject({ admitted: false, held: { reason: 'other-generation', heldGeneration: A, heldRevision: 5 } });
      if (!a.admitted) expect(a.message).toContain('POST /network/takeover');
    }
  });

  it('admits a take-over only when it names the generation held, including none', () => {
    expect(admitState({ revision: 5, generation: A }, { revision: 1, generation: B, takeOver: { generation: A } })).toEqual({
      admitted: true,
      takeOver: true,
    });
    expect(admitState({ revision: 5, generation: A }, { revision: 1, generation: B, takeOver: { generation: B } })).toMatchObject({
      admitted: false,
    });
    expect(admitState({ revision: 5 }, { revision: 1, generation: B, takeOver: { generation: null } })).toEqual({
      admitted: true,
      takeOver: true,
    });
  });

  it('lets a state saved before generations existed pass to the next controller by revision', () => {
    expect(admitState({ revision: 5 }, { revision: 6, generation: B })).toEqual({ admitted: true, takeOver: false });
    expect(admitState({ revision: 5 }, { revision: 4, generation: B })).toMatchObject({
      admitted: false,
      held: { reason: 'older-revision' },
    });
  });
});
