#include "errors.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "addon_data.h"

LibvirtErrorInfo CaptureLastError() {
  LibvirtErrorInfo info;
  virErrorPtr err = virGetLastError();
  if (err == nullptr) {
    info.code = VIR_ERR_INTERNAL_ERROR;
    info.message = "libvirt call failed without an error report";
    return info;
  }
  info.code = err->code;
  info.domain = err->domain;
  info.level = err->level;
  info.message = err->message != nullptr ? err->message : "unknown libvirt error";
  return info;
}

LibvirtErrorInfo UsageError(int code, const std::string& message) {
  LibvirtErrorInfo info;
  info.code = code;
  info.domain = VIR_FROM_NONE;
  info.level = VIR_ERR_ERROR;
  info.message = message;
  return info;
}

Napi::Value MakeLibvirtError(Napi::Env env, const LibvirtErrorInfo& info) {
  AddonData* data = GetAddonData(env);
  Napi::Value message = Napi::String::New(env, info.message);
  Napi::Value code = Napi::Number::New(env, info.code);
  Napi::Value domain = Napi::Number::New(env, info.domain);
  Napi::Value level = Napi::Number::New(env, info.level);
  if (data != nullptr && !data->errorCtor.IsEmpty()) {
    return data->errorCtor.New({message, code, domain, level});
  }
  Napi::Object error = Napi::Error::New(env, info.message).Value();
  error.Set("name", "LibvirtError");
  error.Set("code", code);
  error.Set("domain", domain);
  error.Set("level", level);
  return error;
}

void ThrowLibvirtError(Napi::Env env, const LibvirtErrorInfo& info) {
  throw Napi::Error(env, MakeLibvirtError(env, info));
}

static void IgnoreError(void*, virErrorPtr) {}

void SilenceDefaultErrorPrinting() { virSetErrorFunc(nullptr, IgnoreError); }

void SilenceConnectionErrorPrinting(void* conn) {
  virConnSetErrorFunc(static_cast<virConnectPtr>(conn), nullptr, IgnoreError);
}
