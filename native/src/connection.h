#pragma once
#include <libvirt/libvirt.h>
#include <napi.h>

#include <memory>

#include "conn_state.h"
#include "task.h"

class Connection : public Napi::ObjectWrap<Connection> {
 public:
  static Napi::Function Init(Napi::Env env);
  static Napi::Value Open(const Napi::CallbackInfo& info);

  explicit Connection(const Napi::CallbackInfo& info);
  ~Connection() override;

 private:
  template <Napi::Value (Connection::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Async(const Napi::CallbackInfo& info) {
    return RejectOnThrow(info.Env(), [&]() { return (this->*Method)(info); });
  }

  virConnectPtr Checked(Napi::Env env) const;

  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Hostname(const Napi::CallbackInfo& info);
  Napi::Value NodeInfo(const Napi::CallbackInfo& info);
  Napi::Value Capabilities(const Napi::CallbackInfo& info);
  Napi::Value CompareCpu(const Napi::CallbackInfo& info);
  Napi::Value CompareHypervisorCpu(const Napi::CallbackInfo& info);
  Napi::Value Version(const Napi::CallbackInfo& info);
  Napi::Value ListDomains(const Napi::CallbackInfo& info);
  Napi::Value LookupByName(const Napi::CallbackInfo& info);
  Napi::Value LookupByUuid(const Napi::CallbackInfo& info);
  Napi::Value DefineXml(const Napi::CallbackInfo& info);
  // stats.cc
  Napi::Value NodeCpuStats(const Napi::CallbackInfo& info);
  Napi::Value NodeMemoryStats(const Napi::CallbackInfo& info);
  Napi::Value AllDomainStats(const Napi::CallbackInfo& info);
  // events.cc
  Napi::Value RegisterDomainEvents(const Napi::CallbackInfo& info);
  Napi::Value DeregisterDomainEvents(const Napi::CallbackInfo& info);

  std::shared_ptr<ConnState> state_;
};
