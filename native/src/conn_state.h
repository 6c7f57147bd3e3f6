// What a Connection shares with its Domains and event listeners: the closed
// flag (no use after close) and the registered event listeners.
#pragma once
#include <libvirt/libvirt.h>

#include <atomic>
#include <map>
#include <mutex>

struct EventListener;

struct ConnState {
  explicit ConnState(virConnectPtr c) : conn(c) {}
  virConnectPtr conn;  // the wrapper's own reference, released by close()
  std::atomic<bool> closed{false};
  std::mutex listenersMutex;
  std::map<int, EventListener*> listeners;  // handle -> listener
  int nextListenerHandle = 1;
};
