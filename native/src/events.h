// Domain events: libvirt's default event loop runs on its own thread, and
// callbacks reach JS through a ThreadSafeFunction per listener.
#pragma once
#include <libvirt/libvirt.h>
#include <napi.h>

#include <atomic>
#include <vector>

#include "conn_state.h"

struct EventListener {
  Napi::ThreadSafeFunction tsfn;
  std::vector<int> callbackIds;
  // Registrations whose free callback has not run yet; the last one releases tsfn,
  // which lets the process exit once nothing listens any more.
  std::atomic<int> live{0};
};

// Must run before the first connection is opened.
void StartEventLoop();

// Removes every listener of a connection; call off the JS thread (talks to the daemon).
void DeregisterAllListeners(ConnState& state);
