// Per-environment constructors, so objects can be created from C++ (e.g. a
// Domain returned by a lookup, or a LibvirtError of the TS class).
#pragma once
#include <napi.h>

struct AddonData {
  Napi::FunctionReference connectionCtor;
  Napi::FunctionReference domainCtor;
  Napi::FunctionReference errorCtor;  // set from TS via setErrorClass(); optional
};

inline AddonData* GetAddonData(Napi::Env env) { return env.GetInstanceData<AddonData>(); }
