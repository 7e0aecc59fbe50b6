/// \file
/// The Alembic golden cases (fixtures/alembic/<case>/: old.yaml, new.yaml,
/// optionally options.txt and backfill.sql as in fixtures/diff/, and the golden
/// revision.py), shared by the golden test and the test that runs every case
/// with the real Alembic on PostgreSQL.
#pragma once

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "emitters/alembic/revision.h"
#include "tests/unit/diff_golden.h"

namespace felisc::testing {

inline std::filesystem::path alembicFixturesDir() { return fixturesDir() / "alembic"; }

/// The case directories, sorted.
inline std::vector<std::string> alembicCases() {
  std::vector<std::string> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(alembicFixturesDir(), error))
    if (entry.is_directory()) cases.push_back(entry.path().filename().string());
  std::sort(cases.begin(), cases.end());
  return cases;
}

/// The Create Date of every golden revision.
inline constexpr const char* kGoldenCreateDate = "2024-01-01 00:00:00+00:00";

/// The plan of a case, as `felisc diff` makes it.
inline diff::Plan casePlan(const DiffCase& diff_case) {
  diff::ChangeSet changes =
      diff::diffSchemas(diff_case.old_schema, diff_case.new_schema, diff_case.diff_options);
  return diff::plan(changes, diff_case.plan_options);
}

/// The revision of a case: its default message, the golden date, a first
/// revision unless `down_revision` is given.
inline alembic::AlembicRevision caseRevision(const DiffCase& diff_case,
                                             std::optional<std::string> down_revision = std::nullopt) {
  alembic::AlembicOptions options;
  options.message = alembic::defaultRevisionMessage(diff_case.old_schema, diff_case.new_schema,
                                                    diff_case.diff_options.old_schema_absent);
  options.create_date = kGoldenCreateDate;
  options.down_revision = std::move(down_revision);
  return alembic::alembicRevision(casePlan(diff_case), options);
}

}  // namespace felisc::testing
