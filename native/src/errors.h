// libvirt errors are thread-local: they are captured in the worker thread
// right after the failing call and turned into a JS LibvirtError later.
#pragma once
#include <napi.h>
#include <string>

struct LibvirtErrorInfo {
  int code = 0;
  int domain = 0;
  int level = 0;
  std::string message;
};

// Reads (and copies) the calling thread's last libvirt error.
LibvirtErrorInfo CaptureLastError();

// An error the addon raises itself, e.g. use of a closed connection.
LibvirtErrorInfo UsageError(int code, const std::string& message);

Napi::Value MakeLibvirtError(Napi::Env env, const LibvirtErrorInfo& info);
[[noreturn]] void ThrowLibvirtError(Napi::Env env, const LibvirtErrorInfo& info);

// Stops libvirt from printing every error on stderr; callers get them as exceptions.
void SilenceDefaultErrorPrinting();
void SilenceConnectionErrorPrinting(void* conn);
