import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dfPing, siteLinkUp, wanPacketsOfPing, type SiteLink } from '../../lab/sites/site-link';

// A second site joined by a WAN link, the tenant network stretched over a site tunnel, and the MTU budget proven on
// the wire: DF pings at the budget's largest guest packet cross, one byte more does not. Throwaway namespaces of
// their own (lms-*), so the shared lab is not touched.
describe('cross-site stretched network (lab)', () => {
  let link: SiteLink;

  beforeAll(async () => {
    link = await siteLinkUp({ suffix: String(process.pid % 100_000) });
  });

  afterAll(async () => {
    await link?.down();
  });

  it('the budget of VXLAN inside the site tunnel is 1500 − 50 − 50 = 1400', () => {
    expect(link.budget.largestGuestMtuBytes).toBe(1400);
  });

  it('DF pings of the largest allowed packet pass end to end, one byte more does not, and the largest still passes after', async () => {
    const [a, b] = link.endpoints;
    const largest = link.budget.largestGuestMtuBytes;
    expect(await dfPing(a.netns, b.ip, 100)).toBe(true);
    expect(await dfPing(a.netns, b.ip, largest)).toBe(true);
    expect(await dfPing(b.netns, a.ip, largest)).toBe(true);
    expect(await dfPing(a.netns, b.ip, largest + 1)).toBe(false);
    expect(await dfPing(b.netns, a.ip, largest + 1)).toBe(false);
    expect(await dfPing(a.netns, b.ip, largest)).toBe(true);
  });

  it('a full-size tenant packet is exactly the underlay MTU on the WAN, with DF: the measured overhead is the budget', async () => {
    const largest = link.budget.largestGuestMtuBytes;
    const packets = await wanPacketsOfPing(link, largest);
    expect(packets.length).toBeGreaterThan(0);
    for (const p of packets) expect(p).toEqual({ outerBytes: 1500, df: true });
    expect(1500 - largest).toBe(link.budget.overheadBytes);
  });
});
