#include "events.h"

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "connection.h"
#include "args.h"
#include "errors.h"
#include "refs.h"
#include "task.h"
#include "typed_params.h"

namespace {

enum EventKind { kLifecycle = 0, kMigrationIteration = 1, kJobCompleted = 2 };

struct EventPayload {
  EventKind kind = kLifecycle;
  std::string name;
  std::string uuid;
  int event = 0;
  int detail = 0;
  int iteration = 0;
  TypedList params;
};

void CallJs(Napi::Env env, Napi::Function callback, EventPayload* payload) {
  if (env != nullptr && callback != nullptr) {
    Napi::Object o = Napi::Object::New(env);
    static const char* kinds[] = {"lifecycle", "migrationIteration", "jobCompleted"};
    o.Set("kind", kinds[payload->kind]);
    o.Set("name", payload->name);
    o.Set("uuid", payload->uuid);
    if (payload->kind == kLifecycle) {
      o.Set("event", payload->event);
      o.Set("detail", payload->detail);
    } else if (payload->kind == kMigrationIteration) {
      o.Set("iteration", payload->iteration);
    } else {
      o.Set("params", TypedListToObject(env, payload->params));
    }
    try {
      callback.Call({o});
    } catch (const Napi::Error& e) {
      e.ThrowAsJavaScriptException();  // surfaces as an uncaught exception, like any event emitter
    }
  }
  delete payload;
}

void Deliver(void* opaque, virDomainPtr dom, EventPayload* payload) {
  auto* listener = static_cast<EventListener*>(opaque);
  const char* name = virDomainGetName(dom);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virDomainGetUUIDString(dom, uuid);
  payload->name = name != nullptr ? name : "";
  payload->uuid = uuid;
  if (listener->tsfn.NonBlockingCall(payload, CallJs) != napi_ok) delete payload;
}

int OnLifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void* opaque) {
  auto* p = new EventPayload();
  p->kind = kLifecycle;
  p->event = event;
  p->detail = detail;
  Deliver(opaque, dom, p);
  return 0;
}

void OnMigrationIteration(virConnectPtr, virDomainPtr dom, int iteration, void* opaque) {
  auto* p = new EventPayload();
  p->kind = kMigrationIteration;
  p->iteration = iteration;
  Deliver(opaque, dom, p);
}

void OnJobCompleted(virConnectPtr, virDomainPtr dom, virTypedParameterPtr params, int count, void* opaque) {
  auto* p = new EventPayload();
  p->kind = kJobCompleted;
  p->params = CopyTypedParams(params, count);
  Deliver(opaque, dom, p);
}

void FreeListener(void* opaque) {
  auto* listener = static_cast<EventListener*>(opaque);
  if (--listener->live == 0) {
    listener->tsfn.Release();
    delete listener;
  }
}

void DeregisterIds(virConnectPtr conn, const std::vector<int>& ids) {
  for (int id : ids) {
    // A callback already gone (e.g. the daemon dropped) is not worth failing over.
    if (virConnectDomainEventDeregisterAny(conn, id) < 0) virResetLastError();
  }
}

}  // namespace

void StartEventLoop() {
  static std::once_flag once;
  std::call_once(once, []() {
    virEventRegisterDefaultImpl();
    std::thread([]() {
      for (;;) {
        if (virEventRunDefaultImpl() < 0) {
          virResetLastError();
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    }).detach();
  });
}

void DeregisterAllListeners(ConnState& state) {
  std::map<int, EventListener*> listeners;
  {
    std::lock_guard<std::mutex> lock(state.listenersMutex);
    listeners.swap(state.listeners);
  }
  for (auto& entry : listeners) DeregisterIds(state.conn, entry.second->callbackIds);
}

Napi::Value Connection::RegisterDomainEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  virConnectPtr raw = Checked(env);
  if (info.Length() < 1 || !info[0].IsFunction()) throw Napi::TypeError::New(env, "callback must be a function");
  auto* listener = new EventListener();
  // The TSFN holds the Connection object, so it is not collected while someone listens.
  auto* owner = new Napi::ObjectReference(Napi::Persistent(info.This().As<Napi::Object>()));
  listener->tsfn = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "livemig:libvirt-events", 0, 1, owner,
                                                 [](Napi::Env, Napi::ObjectReference* ref) { delete ref; });
  auto state = state_;
  auto handle = std::make_shared<int>(0);
  auto conn = ConnRef::Take(raw);
  return Task::Run(
      env,
      [state, conn, listener, handle]() {
        struct Registration {
          int eventId;
          virConnectDomainEventGenericCallback callback;
          bool required;
        };
        const Registration registrations[] = {
            {VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(OnLifecycle), true},
            {VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, VIR_DOMAIN_EVENT_CALLBACK(OnMigrationIteration), false},
            {VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, VIR_DOMAIN_EVENT_CALLBACK(OnJobCompleted), false},
        };
        std::vector<int> ids;
        for (const Registration& r : registrations) {
          listener->live++;
          int id = virConnectDomainEventRegisterAny(conn->get(), nullptr, r.eventId, r.callback, listener, FreeListener);
          if (id >= 0) {
            ids.push_back(id);
            continue;
          }
          listener->live--;
          if (r.required) {
            // Lifecycle is registered first, so nothing else holds the listener yet.
            listener->tsfn.Release();
            delete listener;
            return false;
          }
          virResetLastError();  // older daemons lack some event ids; lifecycle is what matters
        }
        listener->callbackIds = ids;
        std::lock_guard<std::mutex> lock(state->listenersMutex);
        *handle = state->nextListenerHandle++;
        state->listeners[*handle] = listener;
        return true;
      },
      [handle](Napi::Env env) { return Napi::Number::New(env, *handle); });
}

Napi::Value Connection::DeregisterDomainEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  if (state_->closed) return ResolvedUndefined(env);
  EventListener* listener = nullptr;
  {
    std::lock_guard<std::mutex> lock(state_->listenersMutex);
    auto it = state_->listeners.find(handle);
    if (it != state_->listeners.end()) {
      listener = it->second;
      state_->listeners.erase(it);
    }
  }
  if (listener == nullptr) return ResolvedUndefined(env);
  auto conn = ConnRef::Take(state_->conn);
  std::vector<int> ids = listener->callbackIds;  // listener may be freed once deregistered
  return Task::Run(
      env,
      [conn, ids]() {
        DeregisterIds(conn->get(), ids);
        return true;
      },
      Task::Undefined);
}
