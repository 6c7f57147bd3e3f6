import { Module } from '@nestjs/common';

import { LIBVIRT_REPOSITORY } from './libvirt.repository';
import { NativeLibvirtRepository } from './native-libvirt.repository';

/** Provides LIBVIRT_REPOSITORY backed by the native addon; tests override it with a fake. */
@Module({
  providers: [{ provide: LIBVIRT_REPOSITORY, useClass: NativeLibvirtRepository }],
  exports: [LIBVIRT_REPOSITORY],
})
export class LibvirtModule {}
