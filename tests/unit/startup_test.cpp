// Start-up of the felisc executable (issue 17): commands that need no database
// do not load libpq or its dependency tree (compiler/catalog/libpq_lazy.cpp),
// and libstdc++ is linked in. Checked on the real binary with the dynamic
// loader's own trace (LD_DEBUG=libs), which lists every library it loads.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

/// What `LD_DEBUG=libs felisc ARGS` writes (the trace goes to stderr), and its exit status.
std::string loaderTrace(const std::string& args, int& status) {
  std::string command = "LD_DEBUG=libs '" + std::string(FELISC_BINARY) + "' " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  status = ::pclose(pipe);
  return out;
}

TEST(Startup, VersionLoadsNeitherLibpqNorLibstdcxx) {
  int status = -1;
  std::string trace = loaderTrace("--version", status);
  EXPECT_EQ(status, 0) << trace;
  // The trace is there (so the checks below can fail): libyaml is still linked.
  ASSERT_NE(trace.find("libyaml"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("libpq"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("libssl"), std::string::npos) << trace;
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer builds link the shared C++ runtime (the sanitizers need it):
  // libstdc++ is linked in only where felisc ships (CMakeLists.txt).
  EXPECT_NE(trace.find("libasan"), std::string::npos) << trace;
#else
  EXPECT_EQ(trace.find("libstdc++"), std::string::npos) << trace;
#endif
}

TEST(Startup, ValidateAndDiffOfFilesDoNotLoadLibpq) {
  std::string old_file = (fixturesDir() / "demo" / "old.yaml").string();
  std::string new_file = (fixturesDir() / "demo" / "new.yaml").string();
  int status = -1;
  std::string trace = loaderTrace("validate '" + old_file + "'", status);
  EXPECT_EQ(status, 0) << trace;
  EXPECT_EQ(trace.find("libpq"), std::string::npos) << trace;
  trace = loaderTrace("diff '" + old_file + "' '" + new_file + "'", status);
  EXPECT_NE(trace.find("ALTER TABLE"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("libpq"), std::string::npos) << trace;
}

}  // namespace
}  // namespace felisc::testing
