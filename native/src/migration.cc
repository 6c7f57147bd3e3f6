// Domain methods that drive or observe a migration job.
#include "domain.h"
#include "args.h"
#include "refs.h"
#include "task.h"
#include "typed_params.h"

Napi::Value Domain::MigrateToUri3(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto dom = DomRef::Take(Checked(env));
  // dconnuri is only used with PEER2PEER; the direct mode takes migrate_uri from params.
  bool hasDestUri = info.Length() > 0 && info[0].IsString();
  std::string destUri = hasDestUri ? info[0].As<Napi::String>().Utf8Value() : "";
  if (info.Length() < 2 || !info[1].IsArray()) throw Napi::TypeError::New(env, "params must be an array");
  TypedList params = TypedListFromJs(info[1].As<Napi::Array>());
  unsigned int flags = FlagsAt(info, 2);
  bool hasDowntime = info.Length() > 3 && info[3].IsNumber();
  unsigned long long downtimeMs = hasDowntime ? static_cast<unsigned long long>(NumberAt(info, 3, "max downtime")) : 0;
  return Task::Run(
      env,
      [dom, hasDestUri, destUri, params, flags, hasDowntime, downtimeMs]() {
        // libvirt 9.0 has no downtime migration parameter; the limit is a property of the
        // running domain, so set it just before starting the job.
        if (hasDowntime && virDomainMigrateSetMaxDowntime(dom->get(), downtimeMs, 0) < 0) return false;
        virTypedParameterPtr typed = nullptr;
        int count = 0;
        if (!BuildTypedParams(params, &typed, &count)) return false;
        int rc = virDomainMigrateToURI3(dom->get(), hasDestUri ? destUri.c_str() : nullptr, typed, count, flags);
        virTypedParamsFree(typed, count);
        return rc == 0;
      },
      Task::Undefined);
}

Napi::Value Domain::JobInfo(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto result = std::make_shared<virDomainJobInfo>();
  return Task::Run(
      info.Env(), [dom, result]() { return virDomainGetJobInfo(dom->get(), result.get()) == 0; },
      [result](Napi::Env env) {
        Napi::Object o = Napi::Object::New(env);
        auto set = [&](const char* key, double v) { o.Set(key, Napi::Number::New(env, v)); };
        set("type", result->type);
        set("timeElapsedMs", static_cast<double>(result->timeElapsed));
        set("timeRemainingMs", static_cast<double>(result->timeRemaining));
        set("dataTotalBytes", static_cast<double>(result->dataTotal));
        set("dataProcessedBytes", static_cast<double>(result->dataProcessed));
        set("dataRemainingBytes", static_cast<double>(result->dataRemaining));
        set("memTotalBytes", static_cast<double>(result->memTotal));
        set("memProcessedBytes", static_cast<double>(result->memProcessed));
        set("memRemainingBytes", static_cast<double>(result->memRemaining));
        return o;
      });
}

Napi::Value Domain::JobStats(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  auto type = std::make_shared<int>(0);
  auto list = std::make_shared<TypedList>();
  return Task::Run(
      info.Env(),
      [dom, flags, type, list]() {
        virTypedParameterPtr params = nullptr;
        int count = 0;
        if (virDomainGetJobStats(dom->get(), type.get(), &params, &count, flags) < 0) return false;
        *list = CopyTypedParams(params, count);
        virTypedParamsFree(params, count);
        return true;
      },
      [type, list](Napi::Env env) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("type", Napi::Number::New(env, *type));
        o.Set("params", TypedListToObject(env, *list));
        return o;
      });
}

// Optional flags: VIR_DOMAIN_ABORT_JOB_POSTCOPY pauses a post-copy job (QEMU's migrate-pause) so it can be resumed.
Napi::Value Domain::AbortJob(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto flags = info.Length() > 0 && !info[0].IsUndefined() ? static_cast<unsigned int>(NumberAt(info, 0, "abort flags")) : 0U;
  return Task::Run(
      info.Env(),
      [dom, flags]() { return (flags == 0 ? virDomainAbortJob(dom->get()) : virDomainAbortJobFlags(dom->get(), flags)) == 0; },
      Task::Undefined);
}

Napi::Value Domain::SetMaxDowntime(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto downtimeMs = static_cast<unsigned long long>(NumberAt(info, 0, "max downtime"));
  return Task::Run(
      info.Env(), [dom, downtimeMs]() { return virDomainMigrateSetMaxDowntime(dom->get(), downtimeMs, 0) == 0; },
      Task::Undefined);
}

Napi::Value Domain::GetMaxDowntime(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto result = std::make_shared<unsigned long long>(0);
  return Task::Run(
      info.Env(), [dom, result]() { return virDomainMigrateGetMaxDowntime(dom->get(), result.get(), 0) == 0; },
      [result](Napi::Env env) { return Napi::Number::New(env, static_cast<double>(*result)); });
}

Napi::Value Domain::SetMaxSpeed(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto bandwidthMiBs = static_cast<unsigned long>(NumberAt(info, 0, "bandwidth"));
  unsigned int flags = FlagsAt(info, 1);
  return Task::Run(
      info.Env(),
      [dom, bandwidthMiBs, flags]() { return virDomainMigrateSetMaxSpeed(dom->get(), bandwidthMiBs, flags) == 0; },
      Task::Undefined);
}

Napi::Value Domain::GetMaxSpeed(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int flags = FlagsAt(info, 0);
  auto result = std::make_shared<unsigned long>(0);
  return Task::Run(
      info.Env(), [dom, flags, result]() { return virDomainMigrateGetMaxSpeed(dom->get(), result.get(), flags) == 0; },
      [result](Napi::Env env) { return Napi::Number::New(env, static_cast<double>(*result)); });
}

Napi::Value Domain::StartPostCopy(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  return Task::Run(
      info.Env(), [dom]() { return virDomainMigrateStartPostCopy(dom->get(), 0) == 0; }, Task::Undefined);
}

Napi::Value Domain::SetCompressionCache(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto cacheBytes = static_cast<unsigned long long>(NumberAt(info, 0, "cache size"));
  return Task::Run(
      info.Env(), [dom, cacheBytes]() { return virDomainMigrateSetCompressionCache(dom->get(), cacheBytes, 0) == 0; },
      Task::Undefined);
}

Napi::Value Domain::GetCompressionCache(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto result = std::make_shared<unsigned long long>(0);
  return Task::Run(
      info.Env(), [dom, result]() { return virDomainMigrateGetCompressionCache(dom->get(), result.get(), 0) == 0; },
      [result](Napi::Env env) { return Napi::Number::New(env, static_cast<double>(*result)); });
}
