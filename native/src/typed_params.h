// virTypedParameter arrays copied into plain C++ values in the worker thread,
// and converted to JS objects (libvirt's field names kept) on the JS thread.
#pragma once
#include <libvirt/libvirt.h>
#include <napi.h>

#include <string>
#include <vector>

struct TypedValue {
  std::string field;
  int type = 0;  // virTypedParameterType
  long long integer = 0;
  unsigned long long unsignedInteger = 0;
  double number = 0;
  std::string text;
};

using TypedList = std::vector<TypedValue>;

TypedList CopyTypedParams(const virTypedParameter* params, int count);
Napi::Object TypedListToObject(Napi::Env env, const TypedList& list);

// Migration parameters arrive from TS as [{ field, type: 'string'|'int'|'uint'|'ullong', value }].
TypedList TypedListFromJs(const Napi::Array& specs);

// Builds a libvirt array; free it with virTypedParamsFree. Returns false on failure
// (libvirt error set on the calling thread).
bool BuildTypedParams(const TypedList& list, virTypedParameterPtr* params, int* count);
