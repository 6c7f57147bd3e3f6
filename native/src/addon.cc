// livemig's libvirt binding: connections, domains, migration jobs, stats and
// events. Every libvirt call runs on the libuv thread pool (see task.h).
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <napi.h>

#include "addon_data.h"
#include "connection.h"
#include "domain.h"
#include "errors.h"
#include "events.h"
#include "fault_injection.h"

#include <cstdlib>
#include <cstring>

namespace {

// TS passes its LibvirtError class so rejections are instances of it.
Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "error class must be a constructor");
  GetAddonData(info.Env())->errorCtor = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

// Header values, so the TS constants can be checked against the libvirt we built with.
Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
  auto set = [&](const char* name, double value) { c.Set(name, Napi::Number::New(env, value)); };
  set("VIR_MIGRATE_LIVE", VIR_MIGRATE_LIVE);
  set("VIR_MIGRATE_PEER2PEER", VIR_MIGRATE_PEER2PEER);
  set("VIR_MIGRATE_TUNNELLED", VIR_MIGRATE_TUNNELLED);
  set("VIR_MIGRATE_PERSIST_DEST", VIR_MIGRATE_PERSIST_DEST);
  set("VIR_MIGRATE_UNDEFINE_SOURCE", VIR_MIGRATE_UNDEFINE_SOURCE);
  set("VIR_MIGRATE_PAUSED", VIR_MIGRATE_PAUSED);
  set("VIR_MIGRATE_NON_SHARED_DISK", VIR_MIGRATE_NON_SHARED_DISK);
  set("VIR_MIGRATE_CHANGE_PROTECTION", VIR_MIGRATE_CHANGE_PROTECTION);
  set("VIR_MIGRATE_UNSAFE", VIR_MIGRATE_UNSAFE);
  set("VIR_MIGRATE_COMPRESSED", VIR_MIGRATE_COMPRESSED);
  set("VIR_MIGRATE_ABORT_ON_ERROR", VIR_MIGRATE_ABORT_ON_ERROR);
  set("VIR_MIGRATE_AUTO_CONVERGE", VIR_MIGRATE_AUTO_CONVERGE);
  set("VIR_MIGRATE_POSTCOPY", VIR_MIGRATE_POSTCOPY);
  set("VIR_MIGRATE_TLS", VIR_MIGRATE_TLS);
  set("VIR_MIGRATE_PARALLEL", VIR_MIGRATE_PARALLEL);
  set("VIR_MIGRATE_POSTCOPY_RESUME", VIR_MIGRATE_POSTCOPY_RESUME);
  set("VIR_DOMAIN_ABORT_JOB_POSTCOPY", VIR_DOMAIN_ABORT_JOB_POSTCOPY);
  set("VIR_DOMAIN_PAUSED_POSTCOPY_FAILED", VIR_DOMAIN_PAUSED_POSTCOPY_FAILED);
  set("VIR_DOMAIN_RUNNING_POSTCOPY_FAILED", VIR_DOMAIN_RUNNING_POSTCOPY_FAILED);
  set("VIR_DOMAIN_JOB_STATS_COMPLETED", VIR_DOMAIN_JOB_STATS_COMPLETED);
  set("VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED", VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED);
  set("VIR_DOMAIN_STATS_STATE", VIR_DOMAIN_STATS_STATE);
  set("VIR_DOMAIN_STATS_CPU_TOTAL", VIR_DOMAIN_STATS_CPU_TOTAL);
  set("VIR_DOMAIN_STATS_BALLOON", VIR_DOMAIN_STATS_BALLOON);
  set("VIR_DOMAIN_STATS_VCPU", VIR_DOMAIN_STATS_VCPU);
  set("VIR_DOMAIN_STATS_DIRTYRATE", VIR_DOMAIN_STATS_DIRTYRATE);
  set("VIR_DOMAIN_XML_SECURE", VIR_DOMAIN_XML_SECURE);
  set("VIR_DOMAIN_XML_INACTIVE", VIR_DOMAIN_XML_INACTIVE);
  set("VIR_DOMAIN_XML_UPDATE_CPU", VIR_DOMAIN_XML_UPDATE_CPU);
  set("VIR_DOMAIN_XML_MIGRATABLE", VIR_DOMAIN_XML_MIGRATABLE);
  set("VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING", VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING);
  set("VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP", VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP);
  set("VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING", VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING);
  set("VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY", VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY);
  set("VIR_ERR_NO_DOMAIN", VIR_ERR_NO_DOMAIN);
  set("VIR_ERR_INVALID_CONN", VIR_ERR_INVALID_CONN);
  set("VIR_ERR_NO_SUPPORT", VIR_ERR_NO_SUPPORT);
  set("VIR_ERR_OPERATION_INVALID", VIR_ERR_OPERATION_INVALID);
  set("VIR_FROM_TEST", VIR_FROM_TEST);
  set("VIR_FROM_QEMU", VIR_FROM_QEMU);
  return c;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  virInitialize();
  SilenceDefaultErrorPrinting();
  StartEventLoop();
  auto* data = new AddonData();
  env.SetInstanceData(data);
  Napi::Function connection = Connection::Init(env);
  Napi::Function domain = Domain::Init(env);
  data->connectionCtor = Napi::Persistent(connection);
  data->domainCtor = Napi::Persistent(domain);
  exports.Set("openConnection", Napi::Function::New(env, Connection::Open, "openConnection"));
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass, "setErrorClass"));
  exports.Set("Connection", connection);
  exports.Set("Domain", domain);
  exports.Set("constants", Constants(env));
  const char* faults = std::getenv("LIVEMIG_ADDON_FAULTS");
  if (faults != nullptr && std::strcmp(faults, "1") == 0) exports.Set("throwInPool", Napi::Function::New(env, ThrowInPool, "throwInPool"));
  return exports;
}

}  // namespace

NODE_API_MODULE(livemig_libvirt, Init)
