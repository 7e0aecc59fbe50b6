// The type-change table of the diff engine (diff_engine/type_change.h) checked
// against PostgreSQL itself: for every ordered pair of common column types,
// ALTER COLUMN ... TYPE without USING works exactly when classifyTypeChange()
// says no USING is needed, and where it says USING is needed, its USING
// expression works (on an empty table, then on a table holding a value both
// types can represent) unless PostgreSQL has no conversion at all, which the
// classification says too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "diff_engine/type_change.h"
#include "tests/support/pg_test_server.h"

namespace felisc::testing {
namespace {

const std::vector<std::string> kTypes = {
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "numeric",
    "numeric(10,2)",
    "boolean",
    "character(8)",
    "character varying(8)",
    "character varying",
    "text",
    "bytea",
    "timestamp(6) without time zone",
    "timestamp(3) without time zone",
    "timestamp with time zone",
    "date",
};

/// A value of `type` that every type it converts to can hold ('1' for numbers and strings).
std::string sample(const std::string& type) {
  if (type == "boolean") return "true";
  if (type == "bytea") return "'\\x31'";
  if (type.starts_with("timestamp") || type == "date") return "'2024-01-02'";
  return "'1'";
}

/// Conversions PostgreSQL has no way to do: bytea to or from anything but a
/// string, boolean to or from a time.
bool impossible(const std::string& from, const std::string& to) {
  auto time = [](const std::string& t) { return t.starts_with("timestamp") || t == "date"; };
  auto string = [](const std::string& t) { return t == "text" || t.starts_with("character"); };
  if ((from == "bytea") != (to == "bytea")) return !string(from) && !string(to);
  return (time(from) && to == "boolean") || (from == "boolean" && time(to));
}

TEST(TypeChangePg, UsingIsNeededExactlyWithoutAnAssignmentCast) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::string mismatches;
  std::string broken_using;
  for (const auto& from : kTypes) {
    for (const auto& to : kTypes) {
      if (from == to) continue;
      diff::TypeChange change = diff::classifyTypeChange(from, to, "c");
      ASSERT_TRUE(db.exec("DROP TABLE IF EXISTS t; CREATE TABLE t (c " + from + ")"));
      PgOutcome plain = db.tryExec("ALTER TABLE t ALTER COLUMN c TYPE " + to);
      if (plain.ok == change.needs_using)
        mismatches += from + " -> " + to + ": needs_using=" + (change.needs_using ? "true" : "false") +
                      ", server: " + (plain.ok ? "ok" : plain.message) + "\n";
      if (change.convertible == impossible(from, to))
        mismatches += from + " -> " + to + ": convertible=" + (change.convertible ? "true" : "false") + "\n";
      if (!change.needs_using || impossible(from, to)) continue;
      for (bool with_row : {false, true}) {
        ASSERT_TRUE(db.exec("DROP TABLE IF EXISTS t; CREATE TABLE t (c " + from + ")"));
        if (with_row) {
          ASSERT_TRUE(db.exec("INSERT INTO t VALUES (" + sample(from) + ")"));
        }
        PgOutcome converted =
            db.tryExec("ALTER TABLE t ALTER COLUMN c TYPE " + to + " USING " + change.using_expr);
        if (!converted.ok && !(with_row && change.may_fail))
          broken_using += from + " -> " + to + (with_row ? " (with a row)" : "") + ": USING " +
                          change.using_expr + ": " + converted.message + "\n";
      }
    }
  }
  EXPECT_EQ(mismatches, "");
  EXPECT_EQ(broken_using, "");
}

}  // namespace
}  // namespace felisc::testing
