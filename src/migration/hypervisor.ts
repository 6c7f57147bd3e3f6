import { Inject, Injectable } from '@nestjs/common';
import {
  isLibvirtError,
  isPostCopyFailed,
  LibvirtErrorCode,
  LIBVIRT_REPOSITORY,
  type DomainRef,
  type DomainStateName,
  type HostConnectionRef,
  type LibvirtRepository,
} from './libvirt';

export type GuestPresence = { present: false } | { present: true; state: DomainStateName; postCopyFailed: boolean; domain: DomainRef };

/** Connection handling around the LibvirtRepository, so callers never leak a connection. */
@Injectable()
export class Hypervisor {
  constructor(@Inject(LIBVIRT_REPOSITORY) readonly libvirt: LibvirtRepository) {}

  async withConnection<T>(uri: string, fn: (connection: HostConnectionRef) => Promise<T>): Promise<T> {
    const connection = await this.libvirt.connect(uri);
    try {
      return await fn(connection);
    } finally {
      await this.libvirt.disconnect(connection).catch(() => undefined);
    }
  }

  /** Whether the domain is defined on this connection's host, and in what state. */
  async presence(connection: HostConnectionRef, domainName: string): Promise<GuestPresence> {
    try {
      const domain = await this.libvirt.lookupDomain(connection, domainName);
      const state = await this.libvirt.domainState(domain);
      return { present: true, state: state.state, postCopyFailed: isPostCopyFailed(state), domain };
    } catch (err) {
      if (isLibvirtError(err, LibvirtErrorCode.NO_DOMAIN)) return { present: false };
      throw err;
    }
  }
}

export function isActive(presence: GuestPresence): boolean {
  return presence.present && (presence.state === 'running' || presence.state === 'paused' || presence.state === 'blocked');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
