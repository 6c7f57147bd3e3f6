// Node and domain statistics (CPU, memory, dirty rate).
#include <vector>

#include "connection.h"
#include "domain.h"
#include "args.h"
#include "refs.h"
#include "task.h"
#include "typed_params.h"

namespace {

struct FieldValue {
  std::string field;
  unsigned long long value;
};

Napi::Object FieldsToObject(Napi::Env env, const std::vector<FieldValue>& fields) {
  Napi::Object o = Napi::Object::New(env);
  for (const FieldValue& f : fields) o.Set(f.field, Napi::Number::New(env, static_cast<double>(f.value)));
  return o;
}

struct StatsRecord {
  DomainHandle handle;
  TypedList params;
};

// Copies libvirt's records; each domain gets its own reference since the list free drops theirs.
bool CopyStatsRecords(virDomainStatsRecordPtr* records, int count, std::vector<StatsRecord>* out) {
  for (int i = 0; i < count; i++) {
    virDomainRef(records[i]->dom);
    StatsRecord r;
    if (!DescribeDomain(records[i]->dom, &r.handle)) continue;
    r.params = CopyTypedParams(records[i]->params, records[i]->nparams);
    out->push_back(std::move(r));
  }
  virDomainStatsRecordListFree(records);
  return true;
}

}  // namespace

Napi::Value Connection::NodeCpuStats(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  auto fields = std::make_shared<std::vector<FieldValue>>();
  return Task::Run(
      info.Env(),
      [conn, fields]() {
        int count = 0;
        if (virNodeGetCPUStats(conn->get(), VIR_NODE_CPU_STATS_ALL_CPUS, nullptr, &count, 0) < 0) return false;
        std::vector<virNodeCPUStats> stats(count);
        if (count > 0 && virNodeGetCPUStats(conn->get(), VIR_NODE_CPU_STATS_ALL_CPUS, stats.data(), &count, 0) < 0) return false;
        for (int i = 0; i < count; i++) fields->push_back({stats[i].field, stats[i].value});
        return true;
      },
      [fields](Napi::Env env) { return FieldsToObject(env, *fields); });
}

Napi::Value Connection::NodeMemoryStats(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  auto fields = std::make_shared<std::vector<FieldValue>>();
  return Task::Run(
      info.Env(),
      [conn, fields]() {
        int count = 0;
        if (virNodeGetMemoryStats(conn->get(), VIR_NODE_MEMORY_STATS_ALL_CELLS, nullptr, &count, 0) < 0) return false;
        std::vector<virNodeMemoryStats> stats(count);
        if (count > 0 && virNodeGetMemoryStats(conn->get(), VIR_NODE_MEMORY_STATS_ALL_CELLS, stats.data(), &count, 0) < 0) return false;
        for (int i = 0; i < count; i++) fields->push_back({stats[i].field, stats[i].value});
        return true;
      },
      [fields](Napi::Env env) { return FieldsToObject(env, *fields); });
}

Napi::Value Connection::AllDomainStats(const Napi::CallbackInfo& info) {
  auto conn = ConnRef::Take(Checked(info.Env()));
  unsigned int statsMask = FlagsAt(info, 0);
  unsigned int flags = FlagsAt(info, 1);
  auto records = std::make_shared<std::vector<StatsRecord>>();
  auto state = state_;
  return Task::Run(
      info.Env(),
      [conn, statsMask, flags, records]() {
        virDomainStatsRecordPtr* list = nullptr;
        int n = virConnectGetAllDomainStats(conn->get(), statsMask, &list, flags);
        if (n < 0) return false;
        return CopyStatsRecords(list, n, records.get());
      },
      [state, records](Napi::Env env) {
        Napi::Array out = Napi::Array::New(env, records->size());
        for (size_t i = 0; i < records->size(); i++) {
          StatsRecord& r = (*records)[i];
          Napi::Object o = Napi::Object::New(env);
          o.Set("domain", Domain::New(env, state, r.handle));
          r.handle.ptr = nullptr;
          o.Set("params", TypedListToObject(env, r.params));
          out.Set(i, o);
        }
        return out;
      });
}

Napi::Value Domain::MemoryStats(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  auto stats = std::make_shared<std::vector<virDomainMemoryStatStruct>>(VIR_DOMAIN_MEMORY_STAT_NR);
  return Task::Run(
      info.Env(),
      [dom, stats]() {
        int n = virDomainMemoryStats(dom->get(), stats->data(), VIR_DOMAIN_MEMORY_STAT_NR, 0);
        if (n < 0) return false;
        stats->resize(n);
        return true;
      },
      [stats](Napi::Env env) {
        // Keyed by libvirt's numeric tag; the TS side names them.
        Napi::Object o = Napi::Object::New(env);
        for (const auto& s : *stats) o.Set(std::to_string(s.tag), Napi::Number::New(env, static_cast<double>(s.val)));
        return o;
      });
}

Napi::Value Domain::Stats(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  unsigned int statsMask = FlagsAt(info, 0);
  unsigned int flags = FlagsAt(info, 1);
  auto list = std::make_shared<TypedList>();
  return Task::Run(
      info.Env(),
      [dom, statsMask, flags, list]() {
        virDomainPtr doms[] = {dom->get(), nullptr};
        virDomainStatsRecordPtr* records = nullptr;
        int n = virDomainListGetStats(doms, statsMask, &records, flags);
        if (n < 0) return false;
        if (n > 0) *list = CopyTypedParams(records[0]->params, records[0]->nparams);
        virDomainStatsRecordListFree(records);
        return true;
      },
      [list](Napi::Env env) { return TypedListToObject(env, *list); });
}

Napi::Value Domain::StartDirtyRateCalc(const Napi::CallbackInfo& info) {
  auto dom = DomRef::Take(Checked(info.Env()));
  int seconds = static_cast<int>(NumberAt(info, 0, "calculation seconds"));
  unsigned int flags = FlagsAt(info, 1);
  return Task::Run(
      info.Env(), [dom, seconds, flags]() { return virDomainStartDirtyRateCalc(dom->get(), seconds, flags) == 0; },
      Task::Undefined);
}
