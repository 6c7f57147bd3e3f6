#include "fault_injection.h"

#include <new>
#include <stdexcept>
#include <string>

#include "args.h"
#include "task.h"

namespace {
struct NotAStdException {};
}  // namespace

// kind: "runtime_error", "bad_alloc" or "other" (a type outside std::exception).
Napi::Value ThrowInPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return RejectOnThrow(env, [&]() -> Napi::Value {
    std::string kind = StringAt(info, 0, "kind");
    if (kind != "runtime_error" && kind != "bad_alloc" && kind != "other")
      throw Napi::RangeError::New(env, "kind must be runtime_error, bad_alloc or other");
    return Task::Run(
        env,
        [kind]() -> bool {
          if (kind == "runtime_error") throw std::runtime_error("injected fault");
          if (kind == "bad_alloc") throw std::bad_alloc();
          throw NotAStdException();
        },
        Task::Undefined);
  });
}
