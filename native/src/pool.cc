#include "pool.h"

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace libvirt_pool {
namespace {

constexpr size_t kDefaultThreads = 16;
constexpr size_t kMaxThreads = 256;

struct Pool {
  std::mutex mu;
  std::condition_variable ready;
  std::deque<std::function<void()>> jobs;
  size_t threads = 0;
  size_t idle = 0;
  size_t limit = kDefaultThreads;
};

Pool& Instance() {
  // Never destroyed: at exit, threads may still be blocked in libvirt and hold the mutex.
  static Pool* pool = [] {
    auto* p = new Pool();
    if (const char* v = std::getenv("LIVEMIG_LIBVIRT_THREADS")) {
      char* end = nullptr;
      unsigned long n = std::strtoul(v, &end, 10);
      if (end != v && *end == '\0' && n >= 1 && n <= kMaxThreads) p->limit = n;
    }
    return p;
  }();
  return *pool;
}

void Work() {
  Pool& pool = Instance();
  std::unique_lock<std::mutex> lock(pool.mu);
  for (;;) {
    pool.idle++;
    pool.ready.wait(lock, [&pool] { return !pool.jobs.empty(); });
    pool.idle--;
    std::function<void()> job = std::move(pool.jobs.front());
    pool.jobs.pop_front();
    lock.unlock();
    job();
    job = nullptr;
    lock.lock();
  }
}

}  // namespace

void Submit(std::function<void()> job) {
  Pool& pool = Instance();
  std::lock_guard<std::mutex> lock(pool.mu);
  pool.jobs.push_back(std::move(job));
  // A job must not wait behind one that hangs while the pool may still grow.
  if (pool.jobs.size() > pool.idle && pool.threads < pool.limit) {
    pool.threads++;
    std::thread(Work).detach();
  } else {
    pool.ready.notify_one();
  }
}

}  // namespace libvirt_pool
