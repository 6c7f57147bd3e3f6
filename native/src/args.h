// Argument helpers shared by the method files.
#pragma once
#include <napi.h>

#include <cmath>
#include <string>

// Number.MAX_SAFE_INTEGER: beyond it a double no longer names one integer, and casts overflow.
constexpr double kMaxSafeInteger = 9007199254740991.0;

inline std::string StringAt(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

inline unsigned int FlagsAt(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined()) return 0;
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), "flags must be a number");
  double n = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(n) || n < 0 || n > 4294967295.0 || n != std::floor(n)) {
    throw Napi::RangeError::New(info.Env(), "flags must be an unsigned 32-bit integer");
  }
  return static_cast<unsigned int>(n);
}

inline double NumberAt(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  double n = info[i].As<Napi::Number>().DoubleValue();
  // NaN and Infinity would be cast to arbitrary integers.
  if (!std::isfinite(n) || n > kMaxSafeInteger) {
    throw Napi::RangeError::New(info.Env(), std::string(what) + " must be a finite number");
  }
  if (n < 0) throw Napi::RangeError::New(info.Env(), std::string(what) + " must not be negative");
  return n;
}

inline Napi::Promise ResolvedUndefined(Napi::Env env) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Resolve(env.Undefined());
  return deferred.Promise();
}
