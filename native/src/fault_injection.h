// Fault injection for tests: throws inside a pool task so the test can prove that a C++ exception
// rejects the promise instead of aborting the process. Exported only with LIVEMIG_ADDON_FAULTS=1.
#pragma once
#include <napi.h>

Napi::Value ThrowInPool(const Napi::CallbackInfo& info);
