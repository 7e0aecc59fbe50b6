/// \file
/// Each worker takes the next unread path until none is left, so one large
/// file does not leave the other core idle behind it. A file's read touches
/// nothing shared but the resource cache, which has its own lock.
#include "compiler/felis/parallel_read.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace felisc::felis {

std::vector<ReadResult> readFelisFiles(const std::vector<std::string>& paths, const ReadOptions& options,
                                       unsigned max_threads) {
  std::vector<ReadResult> results(paths.size());
  unsigned threads = max_threads != 0 ? max_threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, paths.size()));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < paths.size(); i = next++) results[i] = readFelisFile(paths[i], options);
  };
  {
    std::vector<std::jthread> helpers;  // joined at the end of this block, before `results` is returned
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();  // this thread is one of the workers
  }
  return results;
}

}  // namespace felisc::felis
