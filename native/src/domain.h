#pragma once
#include <libvirt/libvirt.h>
#include <napi.h>

#include <memory>
#include <string>

#include "conn_state.h"
#include "task.h"

// A domain pointer plus the identity read in the worker thread, so name and
// uuid are plain properties on the JS side.
struct DomainHandle {
  virDomainPtr ptr = nullptr;  // owned reference
  std::string name;
  std::string uuid;
};

// Fills name/uuid from ptr; call in a worker thread. Takes ownership of ptr.
bool DescribeDomain(virDomainPtr ptr, DomainHandle* out);

class Domain : public Napi::ObjectWrap<Domain> {
 public:
  static Napi::Function Init(Napi::Env env);
  // Wraps a handle (ownership moves to the JS object).
  static Napi::Object New(Napi::Env env, std::shared_ptr<ConnState> state, DomainHandle handle);

  explicit Domain(const Napi::CallbackInfo& info);
  ~Domain() override;

 private:
  template <Napi::Value (Domain::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Async(const Napi::CallbackInfo& info) {
    return RejectOnThrow(info.Env(), [&]() { return (this->*Method)(info); });
  }

  virDomainPtr Checked(Napi::Env env) const;

  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value State(const Napi::CallbackInfo& info);
  Napi::Value Xml(const Napi::CallbackInfo& info);
  Napi::Value Create(const Napi::CallbackInfo& info);
  Napi::Value Destroy(const Napi::CallbackInfo& info);
  Napi::Value Undefine(const Napi::CallbackInfo& info);
  Napi::Value Suspend(const Napi::CallbackInfo& info);
  Napi::Value Resume(const Napi::CallbackInfo& info);
  // migration.cc
  Napi::Value MigrateToUri3(const Napi::CallbackInfo& info);
  Napi::Value JobInfo(const Napi::CallbackInfo& info);
  Napi::Value JobStats(const Napi::CallbackInfo& info);
  Napi::Value AbortJob(const Napi::CallbackInfo& info);
  Napi::Value SetMaxDowntime(const Napi::CallbackInfo& info);
  Napi::Value GetMaxDowntime(const Napi::CallbackInfo& info);
  Napi::Value SetMaxSpeed(const Napi::CallbackInfo& info);
  Napi::Value GetMaxSpeed(const Napi::CallbackInfo& info);
  Napi::Value StartPostCopy(const Napi::CallbackInfo& info);
  Napi::Value SetCompressionCache(const Napi::CallbackInfo& info);
  Napi::Value GetCompressionCache(const Napi::CallbackInfo& info);
  // stats.cc
  Napi::Value MemoryStats(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value StartDirtyRateCalc(const Napi::CallbackInfo& info);

  std::shared_ptr<ConnState> state_;
  DomainHandle handle_;
};
