// Argument helpers shared by the method files.
#pragma once
#include <napi.h>

#include <string>

inline std::string StringAt(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

inline unsigned int FlagsAt(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined()) return 0;
  return info[i].As<Napi::Number>().Uint32Value();
}

inline double NumberAt(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  double n = info[i].As<Napi::Number>().DoubleValue();
  if (n < 0) throw Napi::RangeError::New(info.Env(), std::string(what) + " must not be negative");
  return n;
}

inline Napi::Promise ResolvedUndefined(Napi::Env env) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Resolve(env.Undefined());
  return deferred.Promise();
}
