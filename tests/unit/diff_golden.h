/// \file
/// The diff golden cases (fixtures/diff/<case>/), shared by the golden test and
/// the PostgreSQL test that runs each case on a real server.
#pragma once

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "diff_engine/backfill_file.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {

inline std::filesystem::path diffFixturesDir() { return fixturesDir() / "diff"; }

/// The case directories, sorted.
inline std::vector<std::string> diffCases() {
  std::vector<std::string> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(diffFixturesDir(), error))
    if (entry.is_directory()) cases.push_back(entry.path().filename().string());
  std::sort(cases.begin(), cases.end());
  return cases;
}

struct DiffCase {
  bool ok = false;
  std::string errors;
  model::Schema old_schema;
  model::Schema new_schema;
  diff::DiffOptions diff_options;
  diff::PlanOptions plan_options;
};

/// A case in any directory with the same files (fixtures/alembic/<case>/ too).
inline DiffCase loadDiffCaseAt(const std::filesystem::path& dir) {
  DiffCase out;
  auto read = [&](const char* file, model::Schema& schema) {
    felis::ReadResult result = felis::readFelisFile((dir / file).string());
    if (!result.schema || result.diagnostics.hasErrors()) {
      out.errors += felis::renderDiagnostics(result);
      return false;
    }
    schema = *result.schema;
    return true;
  };
  if (!read("old.yaml", out.old_schema) || !read("new.yaml", out.new_schema)) return out;
  out.diff_options.old_label = "old.yaml";
  out.diff_options.new_label = "new.yaml";
  if (std::filesystem::exists(dir / "options.txt")) {
    std::istringstream lines(readFile(dir / "options.txt"));
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line.starts_with("#")) continue;
      if (line.starts_with("rename ")) {
        out.diff_options.renames.push_back(line.substr(7));
      } else if (line == "old-schema-absent") {
        out.diff_options.old_schema_absent = true;
      } else {
        out.errors += "options.txt: unknown line: " + line + "\n";
        return out;
      }
    }
  }
  if (std::filesystem::exists(dir / "backfill.sql")) {
    diff::BackfillFile file = diff::parseBackfillFile(readFile(dir / "backfill.sql"), "backfill.sql");
    for (const auto& diagnostic : file.diagnostics.all()) out.errors += model::renderDiagnostic(diagnostic);
    if (file.diagnostics.hasErrors()) return out;
    out.plan_options.backfills = file.backfills;
  }
  out.ok = true;
  return out;
}

inline DiffCase loadDiffCase(const std::string& name) { return loadDiffCaseAt(diffFixturesDir() / name); }

}  // namespace felisc::testing
