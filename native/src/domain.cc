#include "domain.h"

#include <thread>

#include "addon_data.h"
#include "args.h"
#include "errors.h"
#include "refs.h"
#include "task.h"

namespace {
struct DomainInit {
  std::shared_ptr<ConnState> state;
  DomainHandle handle;
};
}  // namespace

bool DescribeDomain(virDomainPtr ptr, DomainHandle* out) {
  if (ptr == nullptr) return false;
  const char* name = virDomainGetName(ptr);
  char uuid[VIR_UUID_STRING_BUFLEN];
  if (name == nullptr || virDomainGetUUIDString(ptr, uuid) < 0) {
    virDomainFree(ptr);
    return false;
  }
  out->ptr = ptr;
  out->name = name;
  out->uuid = uuid;
  return true;
}

Napi::Function Domain::Init(Napi::Env env) {
  return DefineClass(env, "Domain",
                     {
                         InstanceMethod<&Domain::Async<&Domain::Info>>("info"),
                         InstanceMethod<&Domain::Async<&Domain::State>>("state"),
                         InstanceMethod<&Domain::Async<&Domain::Xml>>("xml"),
                         InstanceMethod<&Domain::Async<&Domain::Create>>("create"),
                         InstanceMethod<&Domain::Async<&Domain::Destroy>>("destroy"),
                         InstanceMethod<&Domain::Async<&Domain::Undefine>>("undefine"),
                         InstanceMethod<&Domain::Async<&Domain::Suspend>>("suspend"),
                         InstanceMethod<&Domain::Async<&Domain::Resume>>("resume"),
                         InstanceMethod<&Domain::Async<&Domain::MigrateToUri3>>("migrateToUri3"),
                         InstanceMethod<&Domain::Async<&Domain::JobInfo>>("jobInfo"),
                         InstanceMethod<&Domain::Async<&Domain::JobStats>>("jobStats"),
                         InstanceMethod<&Domain::Async<&Domain::AbortJob>>("abortJob"),
                         InstanceMethod<&Domain::Async<&Domain::SetMaxDowntime>>("setMaxDowntime"),
                         InstanceMethod<&Domain::Async<&Domain::GetMaxDowntime>>("getMaxDowntime"),
                         InstanceMethod<&Domain::Async<&Domain::SetMaxSpeed>>("setMaxSpeed"),
                         InstanceMethod<&Domain::Async<&Domain::GetMaxSpeed>>("getMaxSpeed"),
                         InstanceMethod<&Domain::Async<&Domain::StartPostCopy>>("startPostCopy"),
                         InstanceMethod<&Domain::Async<&Domain::SetCompressionCache>>("setCompressionCache"),
                         InstanceMethod<&Domain::Async<&Domain::GetCompressionCache>>("getCompressionCache"),
                         InstanceMethod<&Domain::Async<&Domain::MemoryStats>>("memoryStats"),
                         InstanceMethod<&Domain::Async<&Domain::Stats>>("stats"),
                         InstanceMethod<&Domain::Async<&Domain::StartDirtyRateCalc>>("startDirtyRateCalc"),
                     });
}

Napi::Object Domain::New(Napi::Env env, std::shared_ptr<ConnState> state, DomainHandle handle) {
  DomainInit init{std::move(state), std::move(handle)};
  // The constructor runs synchronously inside New(), so a stack pointer is enough.
  return GetAddonData(env)->domainCtor.New({Napi::External<DomainInit>::New(env, &init)});
}

Domain::Domain(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Domain>(info) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "Domain objects come from a Connection");
  }
  DomainInit* init = info[0].As<Napi::External<DomainInit>>().Data();
  state_ = init->state;
  handle_ = init->handle;
  init->handle.ptr = nullptr;
  Napi::Object self = info.This().As<Napi::Object>();
  self.Set("name", Napi::String::New(info.Env(), handle_.name));
  self.Set("uuid", Napi::String::New(info.Env(), handle_.uuid));
}

// Freeing a domain is local, unless it holds the last reference to a closed connection:
// then it closes the connection, which is I/O and must not run in a finalizer on the JS thread.
Domain::~Domain() {
  if (handle_.ptr == nullptr) return;
  if (!state_->closed) {
    virDomainFree(handle_.ptr);
    return;
  }
  virDomainPtr ptr = handle_.ptr;
  std::thread([ptr]() { virDomainFree(ptr); }).detach();
}

virDomainPtr Domain::Checked(Napi::Env env) const {
  if (state_->closed) ThrowLibvirtError(env, UsageError(VIR_ERR_INVALID_CONN, "connection is closed"));
  return handle_.ptr;
}

Napi::Value Domain::Info(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto result = std::make_shared<virDomainInfo>();
  return Task::Run(
      info.Env(), [dom, result]() { return virDomainGetInfo(dom->get(), result.get()) == 0; },
      [result](Napi::Env env) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("state", Napi::Number::New(env, result->state));
        o.Set("maxMemKiB", Napi::Number::New(env, static_cast<double>(result->maxMem)));
        o.Set("memoryKiB", Napi::Number::New(env, static_cast<double>(result->memory)));
        o.Set("vcpus", Napi::Number::New(env, result->nrVirtCpu));
        o.Set("cpuTimeNs", Napi::Number::New(env, static_cast<double>(result->cpuTime)));
        return o;
      });
}

Napi::Value Domain::State(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto result = std::make_shared<std::pair<int, int>>(0, 0);
  return Task::Run(
      info.Env(), [dom, result]() { return virDomainGetState(dom->get(), &result->first, &result->second, 0) == 0; },
      [result](Napi::Env env) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("state", Napi::Number::New(env, result->first));
        o.Set("reason", Napi::Number::New(env, result->second));
        return o;
      });
}

Napi::Value Domain::Xml(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  auto result = std::make_shared<std::string>();
  return Task::Run(
      info.Env(),
      [dom, flags, result]() {
        char* xml = virDomainGetXMLDesc(dom->get(), flags);
        if (xml == nullptr) return false;
        *result = xml;
        free(xml);
        return true;
      },
      [result](Napi::Env env) { return Napi::String::New(env, *result); });
}

Napi::Value Domain::Create(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  return Task::Run(
      info.Env(), [dom, flags]() { return virDomainCreateWithFlags(dom->get(), flags) == 0; }, Task::Undefined);
}

Napi::Value Domain::Destroy(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  return Task::Run(
      info.Env(), [dom, flags]() { return virDomainDestroyFlags(dom->get(), flags) == 0; }, Task::Undefined);
}

Napi::Value Domain::Suspend(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  return Task::Run(info.Env(), [dom]() { return virDomainSuspend(dom->get()) == 0; }, Task::Undefined);
}

Napi::Value Domain::Resume(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  return Task::Run(info.Env(), [dom]() { return virDomainResume(dom->get()) == 0; }, Task::Undefined);
}

Napi::Value Domain::Undefine(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  return Task::Run(
      info.Env(), [dom, flags]() { return virDomainUndefineFlags(dom->get(), flags) == 0; }, Task::Undefined);
}
