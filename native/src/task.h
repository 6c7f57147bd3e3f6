// Runs one piece of libvirt work on the addon's own thread pool (pool.h) and settles a
// Promise: neither the event loop nor libuv's pool ever waits on libvirt.
#pragma once
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <napi.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "errors.h"
#include "pool.h"

// Promise-returning methods reject, never throw, on bad arguments or a closed connection.
template <typename F>
Napi::Value RejectOnThrow(Napi::Env env, F&& call) {
  try {
    return call();
  } catch (const Napi::Error& e) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(e.Value());
    return deferred.Promise();
  }
}

class Task {
 public:
  // work runs off the JS thread and returns false when a libvirt call failed.
  using Work = std::function<bool()>;
  // resolve runs on the JS thread and builds the Promise's value.
  using Resolve = std::function<Napi::Value(Napi::Env)>;

  static Napi::Promise Run(Napi::Env env, Work work, Resolve resolve) {
    auto* task = new Task(env, std::move(work), std::move(resolve));
    Napi::Promise promise = task->deferred_.Promise();
    // Brings the result back to the JS thread, and keeps the process alive until it has.
    Napi::ThreadSafeFunction done =
        Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}), "livemig:libvirt", 0, 1);
    libvirt_pool::Submit([task, done]() mutable {
      task->Execute();
      // On failure the environment is gone; nobody awaits the promise, and its handles belong to that thread.
      done.BlockingCall(task, &Task::Settle);
      done.Release();
    });
    return promise;
  }

  static Napi::Value Undefined(Napi::Env env) { return env.Undefined(); }

 private:
  Task(Napi::Env env, Work work, Resolve resolve)
      : deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)), resolve_(std::move(resolve)) {}

  // Pool thread. A C++ exception from the work rejects the promise instead of aborting the process.
  void Execute() {
    virResetLastError();
    try {
      ok_ = work_();
      if (!ok_) error_ = CaptureLastError();
    } catch (const std::exception& e) {
      ok_ = false;
      error_ = UsageError(VIR_ERR_INTERNAL_ERROR, std::string("livemig addon error: ") + e.what());
    } catch (...) {
      ok_ = false;
      error_ = UsageError(VIR_ERR_INTERNAL_ERROR, "livemig addon error");
    }
    // Drop the work's libvirt references here: the last one may close a connection, which is I/O.
    try {
      work_ = nullptr;
    } catch (...) {
    }
  }

  // JS thread.
  static void Settle(Napi::Env env, Napi::Function, Task* task) {
    std::unique_ptr<Task> owned(task);
    if (static_cast<napi_env>(env) == nullptr) return;
    Napi::HandleScope scope(env);
    try {
      if (owned->ok_) {
        owned->deferred_.Resolve(owned->resolve_(env));
      } else {
        owned->deferred_.Reject(MakeLibvirtError(env, owned->error_));
      }
    } catch (const Napi::Error& e) {
      owned->deferred_.Reject(e.Value());
    } catch (const std::exception& e) {
      owned->deferred_.Reject(Napi::Error::New(env, std::string("livemig addon error: ") + e.what()).Value());
    }
  }

  Napi::Promise::Deferred deferred_;
  Work work_;
  Resolve resolve_;
  bool ok_ = false;
  LibvirtErrorInfo error_;
};
