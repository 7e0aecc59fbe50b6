// felisc_bench: how fast the Felis reader (parse + resolve + validate) goes over
// the real sdm_schemas corpus. tools/bench-parse.sh runs BM_ReadCorpus and
// compares it with PyYAML's CSafeLoader, which is what Felis itself parses with.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"

namespace {

namespace fs = std::filesystem;

/// $SDM_SCHEMAS_DIR/yml, else ../shared/sdm_schemas/yml beside the project (as
/// tests/support/test_paths.h finds the corpus).
fs::path corpusDir() {
  if (const char* configured = std::getenv("SDM_SCHEMAS_DIR"); configured != nullptr && *configured != '\0')
    return fs::path(configured) / "yml";
  return fs::path(FELISC_SOURCE_DIR) / ".." / "shared" / "sdm_schemas" / "yml";
}

std::vector<std::string> corpusFiles(const fs::path& directory) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

/// Reads every file once per iteration, as `felis validate` on each would.
void readFiles(benchmark::State& state, const std::vector<std::string>& files) {
  std::uintmax_t bytes = 0;
  for (const auto& file : files) bytes += fs::file_size(file);
  std::size_t failed = 0;
  for (auto _ : state) {
    failed = 0;
    for (const auto& file : files) {
      felisc::felis::ReadResult result = felisc::felis::readFelisFile(file);
      if (result.schema == nullptr) ++failed;
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(files.size());
  // Files the reader rejected: a reader that stops early is no fair comparison.
  state.counters["files_with_errors"] = static_cast<double>(failed);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  const fs::path directory = corpusDir();
  const std::vector<std::string> files = corpusFiles(directory);
  if (files.empty()) {
    std::cerr << "felisc_bench: no .yaml files in " << directory << " (set SDM_SCHEMAS_DIR)\n";
    return 2;
  }
  benchmark::RegisterBenchmark("BM_ReadCorpus", readFiles, files)->Unit(benchmark::kMillisecond);
  for (const auto& file : files) {
    const std::string name = "BM_ReadFile/" + fs::path(file).stem().string();
    benchmark::RegisterBenchmark(name.c_str(), readFiles, std::vector<std::string>{file})
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
