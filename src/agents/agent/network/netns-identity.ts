import { statSync } from 'node:fs';
import type { NetnsIdentity } from './primed-switchover';

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** A named namespace's instance is its bind mount under /run/netns: deleted and re-added, the inode changes. */
export const runNetnsIdentity: NetnsIdentity = (name) => {
  if (!NETNS_NAME.test(name) || name === '.' || name === '..') return undefined;
  try {
    const st = statSync(`/run/netns/${name}`);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
};
