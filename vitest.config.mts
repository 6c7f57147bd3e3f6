import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC keeps decorator metadata, which Nest's dependency injection needs.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  test: {
    projects: [
      // Unit and lab tests open libvirt's test driver and the lab daemons' sockets, which production refuses.
      {
        plugins,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', env: { LIVEMIG_LIBVIRT_TEST_URIS: 'allow' } },
      },
      {
        plugins,
        test: { name: 'api', include: ['test/api/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        plugins,
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts'],
          environment: 'node',
          env: { LIVEMIG_LIBVIRT_TEST_URIS: 'allow' },
          // The lab is one set of namespaces on the machine: its tests run one file at a time.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
