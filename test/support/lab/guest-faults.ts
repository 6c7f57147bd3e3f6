// The known QEMU 7.2 TCG guest fault after switchover: quoted from the console, and the case tried again.
import { checkGuestCrash, destroyGuest, GUEST_CRASH_PATTERN, guestConsole } from '../../../lab';

/** '' when the guest did not fault; otherwise the crash line and the console around it. */
export function crashNote(domainName: string): string {
  const crash = checkGuestCrash(domainName);
  if (!crash.crashed) return '';
  const consoles = Object.entries(guestConsole(domainName)).map(([host, text]) => {
    const at = text.search(GUEST_CRASH_PATTERN);
    return at < 0 ? '' : `\n--- ${host} console ---\n${text.slice(Math.max(0, at - 2500), at + 800)}`;
  });
  return ` (guest crash: ${crash.line})${consoles.join('')}`;
}

/**
 * Runs `attempt(name)` with a fresh guest name each time the guests it names fault, up to `attempts` in all;
 * any other failure, or the last fault, is thrown. Every fault is printed with its console.
 */
export async function retryOnGuestFault<T>(
  baseName: string,
  attempts: number,
  attempt: (name: string, n: number) => Promise<T>,
  guestsOf: (name: string) => string[] = (n) => [n],
): Promise<T> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? baseName : `${baseName}-${n}`;
    try {
      return await attempt(name, n);
    } catch (err) {
      const faulted = guestsOf(name).filter((g) => checkGuestCrash(g).crashed);
      if (n === attempts || faulted.length === 0) throw err;
      for (const g of faulted) console.warn(`guest fault in ${g}, trying again with new guests:${crashNote(g)}`);
      for (const g of guestsOf(name)) await destroyGuest(g).catch(() => undefined);
    }
  }
}
