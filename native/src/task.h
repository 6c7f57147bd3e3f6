// Runs one piece of libvirt work on the libuv thread pool and settles a
// Promise: the event loop never waits on libvirt.
#pragma once
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <napi.h>

#include <functional>
#include <utility>

#include "errors.h"

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

class Task : public Napi::AsyncWorker {
 public:
  // work runs off the JS thread and returns false when a libvirt call failed.
  using Work = std::function<bool()>;
  // resolve runs on the JS thread and builds the Promise's value.
  using Resolve = std::function<Napi::Value(Napi::Env)>;

  static Napi::Promise Run(Napi::Env env, Work work, Resolve resolve) {
    auto* task = new Task(env, std::move(work), std::move(resolve));
    Napi::Promise promise = task->deferred_.Promise();
    task->Queue();
    return promise;
  }

  static Napi::Value Undefined(Napi::Env env) { return env.Undefined(); }

 private:
  Task(Napi::Env env, Work work, Resolve resolve)
      : Napi::AsyncWorker(env, "livemig:libvirt"),
        deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)),
        resolve_(std::move(resolve)) {}

  void Execute() override {
    virResetLastError();
    if (!work_()) {
      error_ = CaptureLastError();
      SetError(error_.message);
    }
    // Drop the work's libvirt references here: the last one may close a connection, which is I/O.
    work_ = nullptr;
  }

  void OnOK() override {
    Napi::HandleScope scope(Env());
    try {
      deferred_.Resolve(resolve_(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(MakeLibvirtError(Env(), error_));
  }

  Napi::Promise::Deferred deferred_;
  Work work_;
  Resolve resolve_;
  LibvirtErrorInfo error_;
};
