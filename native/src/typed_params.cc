#include "typed_params.h"

#include <cmath>

#include "args.h"

TypedList CopyTypedParams(const virTypedParameter* params, int count) {
  TypedList list;
  list.reserve(count > 0 ? count : 0);
  for (int i = 0; i < count; i++) {
    const virTypedParameter& p = params[i];
    TypedValue v;
    v.field = p.field;
    v.type = p.type;
    switch (p.type) {
      case VIR_TYPED_PARAM_INT: v.integer = p.value.i; break;
      case VIR_TYPED_PARAM_UINT: v.unsignedInteger = p.value.ui; break;
      case VIR_TYPED_PARAM_LLONG: v.integer = p.value.l; break;
      case VIR_TYPED_PARAM_ULLONG: v.unsignedInteger = p.value.ul; break;
      case VIR_TYPED_PARAM_DOUBLE: v.number = p.value.d; break;
      case VIR_TYPED_PARAM_BOOLEAN: v.integer = p.value.b ? 1 : 0; break;
      case VIR_TYPED_PARAM_STRING: v.text = p.value.s != nullptr ? p.value.s : ""; break;
      default: continue;
    }
    list.push_back(std::move(v));
  }
  return list;
}

Napi::Object TypedListToObject(Napi::Env env, const TypedList& list) {
  Napi::Object out = Napi::Object::New(env);
  for (const TypedValue& v : list) {
    switch (v.type) {
      case VIR_TYPED_PARAM_INT:
      case VIR_TYPED_PARAM_LLONG:
        // Counters stay well below 2^53 (bytes, ns); Number keeps the JS side simple.
        out.Set(v.field, Napi::Number::New(env, static_cast<double>(v.integer)));
        break;
      case VIR_TYPED_PARAM_UINT:
      case VIR_TYPED_PARAM_ULLONG:
        out.Set(v.field, Napi::Number::New(env, static_cast<double>(v.unsignedInteger)));
        break;
      case VIR_TYPED_PARAM_DOUBLE: out.Set(v.field, Napi::Number::New(env, v.number)); break;
      case VIR_TYPED_PARAM_BOOLEAN: out.Set(v.field, Napi::Boolean::New(env, v.integer != 0)); break;
      case VIR_TYPED_PARAM_STRING: out.Set(v.field, Napi::String::New(env, v.text)); break;
      default: break;
    }
  }
  return out;
}

TypedList TypedListFromJs(const Napi::Array& specs) {
  Napi::Env env = specs.Env();
  TypedList list;
  for (uint32_t i = 0; i < specs.Length(); i++) {
    Napi::Value item = specs.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "typed parameter must be an object");
    Napi::Object spec = item.As<Napi::Object>();
    TypedValue v;
    v.field = spec.Get("field").As<Napi::String>().Utf8Value();
    std::string type = spec.Get("type").As<Napi::String>().Utf8Value();
    Napi::Value value = spec.Get("value");
    if (type == "string") {
      v.type = VIR_TYPED_PARAM_STRING;
      v.text = value.As<Napi::String>().Utf8Value();
    } else if (type == "int") {
      v.type = VIR_TYPED_PARAM_INT;
      double n = value.As<Napi::Number>().DoubleValue();
      if (!std::isfinite(n)) throw Napi::RangeError::New(env, "typed parameter " + v.field + " must be a finite number");
      v.integer = static_cast<long long>(n);
    } else if (type == "uint" || type == "ullong") {
      double n = value.As<Napi::Number>().DoubleValue();
      if (!std::isfinite(n) || n > kMaxSafeInteger) {
        throw Napi::RangeError::New(env, "typed parameter " + v.field + " must be a finite number");
      }
      if (n < 0) throw Napi::RangeError::New(env, "typed parameter " + v.field + " must not be negative");
      v.type = type == "uint" ? VIR_TYPED_PARAM_UINT : VIR_TYPED_PARAM_ULLONG;
      v.unsignedInteger = static_cast<unsigned long long>(n);
    } else {
      throw Napi::TypeError::New(env, "unknown typed parameter type: " + type);
    }
    list.push_back(std::move(v));
  }
  return list;
}

bool BuildTypedParams(const TypedList& list, virTypedParameterPtr* params, int* count) {
  int max = 0;
  *params = nullptr;
  *count = 0;
  for (const TypedValue& v : list) {
    int rc = -1;
    const char* field = v.field.c_str();
    switch (v.type) {
      case VIR_TYPED_PARAM_STRING:
        rc = virTypedParamsAddString(params, count, &max, field, v.text.c_str());
        break;
      case VIR_TYPED_PARAM_INT:
        rc = virTypedParamsAddInt(params, count, &max, field, static_cast<int>(v.integer));
        break;
      case VIR_TYPED_PARAM_UINT:
        rc = virTypedParamsAddUInt(params, count, &max, field, static_cast<unsigned int>(v.unsignedInteger));
        break;
      case VIR_TYPED_PARAM_ULLONG:
        rc = virTypedParamsAddULLong(params, count, &max, field, v.unsignedInteger);
        break;
      default: break;
    }
    if (rc < 0) {
      virTypedParamsFree(*params, *count);
      *params = nullptr;
      *count = 0;
      return false;
    }
  }
  return true;
}
