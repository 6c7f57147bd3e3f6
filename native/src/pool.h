// libvirt calls run on the addon's own threads, never on libuv's pool: a hung hypervisor then holds
// one of these, while file I/O, DNS and crypto (libuv's 4 threads) keep going.
#pragma once
#include <functional>

namespace libvirt_pool {

// Runs job on a pool thread; the pool grows on demand up to LIVEMIG_LIBVIRT_THREADS (default 16),
// then jobs queue. job must not throw.
void Submit(std::function<void()> job);

}  // namespace libvirt_pool
