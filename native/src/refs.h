// RAII holders for libvirt's own reference counts. Each in-flight task takes
// its own reference, so a concurrent close() or GC cannot free a pointer
// that a worker thread still uses.
#pragma once
#include <libvirt/libvirt.h>

#include <memory>

class ConnRef {
 public:
  static std::shared_ptr<ConnRef> Take(virConnectPtr conn) { return std::shared_ptr<ConnRef>(new ConnRef(conn)); }
  ~ConnRef() { virConnectClose(conn_); }
  virConnectPtr get() const { return conn_; }
  ConnRef(const ConnRef&) = delete;
  ConnRef& operator=(const ConnRef&) = delete;

 private:
  explicit ConnRef(virConnectPtr conn) : conn_(conn) { virConnectRef(conn_); }
  virConnectPtr conn_;
};

class DomRef {
 public:
  static std::shared_ptr<DomRef> Take(virDomainPtr dom) { return std::shared_ptr<DomRef>(new DomRef(dom)); }
  ~DomRef() { virDomainFree(dom_); }
  virDomainPtr get() const { return dom_; }
  DomRef(const DomRef&) = delete;
  DomRef& operator=(const DomRef&) = delete;

 private:
  explicit DomRef(virDomainPtr dom) : dom_(dom) { virDomainRef(dom_); }
  virDomainPtr dom_;
};
