#include "connection.h"

#include <thread>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "domain.h"
#include "errors.h"
#include "events.h"
#include "refs.h"
#include "task.h"

namespace {

// Runs a lookup-like call that yields one domain, wrapped on the JS thread.
Napi::Promise RunDomainTask(Napi::Env env, std::shared_ptr<ConnState> state, std::function<virDomainPtr()> call) {
  auto handle = std::make_shared<DomainHandle>();
  return Task::Run(
      env, [call, handle]() { return DescribeDomain(call(), handle.get()); },
      [state, handle](Napi::Env env) {
        DomainHandle owned = *handle;
        handle->ptr = nullptr;
        return Domain::New(env, state, owned);
      });
}

}  // namespace

Napi::Function Connection::Init(Napi::Env env) {
  return DefineClass(env, "Connection",
                     {
                         InstanceMethod<&Connection::Async<&Connection::Close>>("close"),
                         InstanceMethod<&Connection::Async<&Connection::Hostname>>("hostname"),
                         InstanceMethod<&Connection::Async<&Connection::NodeInfo>>("nodeInfo"),
                         InstanceMethod<&Connection::Async<&Connection::Capabilities>>("capabilities"),
                         InstanceMethod<&Connection::Async<&Connection::CompareCpu>>("compareCpu"),
                         InstanceMethod<&Connection::Async<&Connection::CompareHypervisorCpu>>("compareHypervisorCpu"),
                         InstanceMethod<&Connection::Async<&Connection::Version>>("version"),
                         InstanceMethod<&Connection::Async<&Connection::ListDomains>>("listDomains"),
                         InstanceMethod<&Connection::Async<&Connection::LookupByName>>("lookupByName"),
                         InstanceMethod<&Connection::Async<&Connection::LookupByUuid>>("lookupByUuid"),
                         InstanceMethod<&Connection::Async<&Connection::DefineXml>>("defineXml"),
                         InstanceMethod<&Connection::Async<&Connection::NodeCpuStats>>("nodeCpuStats"),
                         InstanceMethod<&Connection::Async<&Connection::NodeMemoryStats>>("nodeMemoryStats"),
                         InstanceMethod<&Connection::Async<&Connection::AllDomainStats>>("allDomainStats"),
                         InstanceMethod<&Connection::Async<&Connection::RegisterDomainEvents>>("registerDomainEvents"),
                         InstanceMethod<&Connection::Async<&Connection::DeregisterDomainEvents>>("deregisterDomainEvents"),
                     });
}

// Constructed only from C++ with an External holding an opened virConnectPtr.
Connection::Connection(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Connection>(info) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "Connection objects come from openConnection()");
  }
  state_ = std::make_shared<ConnState>(info[0].As<Napi::External<virConnect>>().Data());
}

Connection::~Connection() {
  if (state_ && !state_->closed.exchange(true)) {
    // Finalizers run on the JS thread; closing may talk to the daemon, so do it elsewhere.
    auto state = state_;
    std::thread([state]() {
      DeregisterAllListeners(*state);
      virConnectClose(state->conn);
    }).detach();
  }
}

virConnectPtr Connection::Checked(Napi::Env env) const {
  if (state_->closed) ThrowLibvirtError(env, UsageError(VIR_ERR_INVALID_CONN, "connection is closed"));
  return state_->conn;
}

Napi::Value Connection::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string uri = StringAt(info, 0, "uri");
  bool readOnly = info.Length() > 1 && info[1].ToBoolean();
  auto opened = std::make_shared<virConnectPtr>(nullptr);
  return Task::Run(
      env,
      [uri, readOnly, opened]() {
        virConnectPtr conn = readOnly ? virConnectOpenReadOnly(uri.c_str()) : virConnectOpen(uri.c_str());
        if (conn == nullptr) return false;
        SilenceConnectionErrorPrinting(conn);
        // Keepalive notices a dead peer during a long migration; drivers without it (test:///) refuse, harmlessly.
        if (virConnectSetKeepAlive(conn, 5, 6) < 0) virResetLastError();
        *opened = conn;
        return true;
      },
      [opened](Napi::Env env) {
        Napi::Value external = Napi::External<virConnect>::New(env, *opened);
        return GetAddonData(env)->connectionCtor.New({external});
      });
}

Napi::Value Connection::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state_->closed.exchange(true)) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Resolve(env.Undefined());
    return deferred.Promise();
  }
  auto state = state_;
  return Task::Run(
      env,
      [state]() {
        DeregisterAllListeners(*state);
        // Domains and in-flight tasks hold their own references; the socket goes when the last one does.
        return virConnectClose(state->conn) >= 0;
      },
      Task::Undefined);
}

Napi::Value Connection::Hostname(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  auto result = std::make_shared<std::string>();
  return Task::Run(
      info.Env(),
      [conn, result]() {
        char* name = virConnectGetHostname(conn->get());
        if (name == nullptr) return false;
        *result = name;
        free(name);
        return true;
      },
      [result](Napi::Env env) { return Napi::String::New(env, *result); });
}

Napi::Value Connection::NodeInfo(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  auto result = std::make_shared<virNodeInfo>();
  return Task::Run(
      info.Env(), [conn, result]() { return virNodeGetInfo(conn->get(), result.get()) == 0; },
      [result](Napi::Env env) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("model", Napi::String::New(env, result->model));
        o.Set("memoryKiB", Napi::Number::New(env, static_cast<double>(result->memory)));
        o.Set("cpus", Napi::Number::New(env, result->cpus));
        o.Set("mhz", Napi::Number::New(env, result->mhz));
        o.Set("nodes", Napi::Number::New(env, result->nodes));
        o.Set("sockets", Napi::Number::New(env, result->sockets));
        o.Set("cores", Napi::Number::New(env, result->cores));
        o.Set("threads", Napi::Number::New(env, result->threads));
        return o;
      });
}

Napi::Value Connection::Capabilities(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  auto result = std::make_shared<std::string>();
  return Task::Run(
      info.Env(),
      [conn, result]() {
        char* xml = virConnectGetCapabilities(conn->get());
        if (xml == nullptr) return false;
        *result = xml;
        free(xml);
        return true;
      },
      [result](Napi::Env env) { return Napi::String::New(env, *result); });
}

Napi::Value Connection::CompareCpu(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  std::string xml = StringAt(info, 0, "cpu xml");
  unsigned int flags = FlagsAt(info, 1);
  auto result = std::make_shared<int>(VIR_CPU_COMPARE_ERROR);
  return Task::Run(
      info.Env(),
      [conn, xml, flags, result]() {
        *result = virConnectCompareCPU(conn->get(), xml.c_str(), flags);
        return *result != VIR_CPU_COMPARE_ERROR;
      },
      [result](Napi::Env env) { return Napi::Number::New(env, *result); });
}

// Like CompareCpu, but against the CPU the hypervisor can give a guest (the better migration pre-check).
// options: { emulator?, arch?, machine?, virttype? } — unset fields let libvirt pick defaults.
Napi::Value Connection::CompareHypervisorCpu(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  std::string xml = StringAt(info, 0, "cpu xml");
  struct Optional {
    bool set = false;
    std::string value;
    const char* get() const { return set ? value.c_str() : nullptr; }
  };
  auto option = [&](const char* key) {
    Optional o;
    if (info.Length() > 1 && info[1].IsObject()) {
      Napi::Value v = info[1].As<Napi::Object>().Get(key);
      if (v.IsString()) {
        o.set = true;
        o.value = v.As<Napi::String>().Utf8Value();
      }
    }
    return o;
  };
  Optional emulator = option("emulator"), arch = option("arch"), machine = option("machine"), virttype = option("virttype");
  unsigned int flags = FlagsAt(info, 2);
  auto result = std::make_shared<int>(VIR_CPU_COMPARE_ERROR);
  return Task::Run(
      info.Env(),
      [conn, xml, emulator, arch, machine, virttype, flags, result]() {
        *result = virConnectCompareHypervisorCPU(conn->get(), emulator.get(), arch.get(), machine.get(), virttype.get(),
                                                 xml.c_str(), flags);
        return *result != VIR_CPU_COMPARE_ERROR;
      },
      [result](Napi::Env env) { return Napi::Number::New(env, *result); });
}

Napi::Value Connection::Version(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  auto versions = std::make_shared<std::pair<unsigned long, unsigned long>>(0, 0);
  return Task::Run(
      info.Env(),
      [conn, versions]() {
        return virConnectGetVersion(conn->get(), &versions->first) == 0 &&
               virConnectGetLibVersion(conn->get(), &versions->second) == 0;
      },
      [versions](Napi::Env env) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("hypervisor", Napi::Number::New(env, static_cast<double>(versions->first)));
        o.Set("library", Napi::Number::New(env, static_cast<double>(versions->second)));
        return o;
      });
}

Napi::Value Connection::ListDomains(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  auto handles = std::make_shared<std::vector<DomainHandle>>();
  auto state = state_;
  return Task::Run(
      info.Env(),
      [conn, flags, handles]() {
        virDomainPtr* doms = nullptr;
        int n = virConnectListAllDomains(conn->get(), &doms, flags);
        if (n < 0) return false;
        for (int i = 0; i < n; i++) {
          DomainHandle h;
          // A domain undefined meanwhile is skipped, not a failure of the listing.
          if (DescribeDomain(doms[i], &h)) handles->push_back(h);
          else virResetLastError();
        }
        free(doms);
        return true;
      },
      [state, handles](Napi::Env env) {
        Napi::Array out = Napi::Array::New(env, handles->size());
        for (size_t i = 0; i < handles->size(); i++) {
          out.Set(i, Domain::New(env, state, (*handles)[i]));
          (*handles)[i].ptr = nullptr;
        }
        return out;
      });
}

Napi::Value Connection::LookupByName(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  std::string name = StringAt(info, 0, "domain name");
  return RunDomainTask(info.Env(), state_, [conn, name]() { return virDomainLookupByName(conn->get(), name.c_str()); });
}

Napi::Value Connection::LookupByUuid(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  std::string uuid = StringAt(info, 0, "domain uuid");
  return RunDomainTask(info.Env(), state_,
                       [conn, uuid]() { return virDomainLookupByUUIDString(conn->get(), uuid.c_str()); });
}

Napi::Value Connection::DefineXml(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  std::string xml = StringAt(info, 0, "domain xml");
  return RunDomainTask(info.Env(), state_, [conn, xml]() { return virDomainDefineXML(conn->get(), xml.c_str()); });
}
