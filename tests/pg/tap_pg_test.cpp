/// \file
/// TAP_SCHEMA on a real PostgreSQL (issue 16): `felisc tap create --init` loads
/// every sdm_schemas file and leaves exactly the derived rows; the cdb_latiss
/// history upgrades and downgrades incrementally to fresh fills; drift --tap
/// names each kind of difference; a TAP_SCHEMA of another layout is an error.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/tap_reader.h"
#include "compiler/felis/reader.h"
#include "compiler/felis/tap_facts.h"
#include "diff_engine/tap_schema.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

model::TapRows derived(const std::filesystem::path& path) {
  felis::ReadOptions options;
  options.strict_felis = false;
  felis::ReadResult result = felis::readFelisFile(path.string(), options);
  EXPECT_TRUE(result.schema) << felis::renderDiagnostics(result);
  if (!result.schema) return {};
  return model::sortedTapRows(
      diff::tapRowsOf(*result.schema, felis::tapSourceFacts(result.source_text, path.string())));
}

/// The rows of `schema` in TAP_SCHEMA `tap_schema`, read with felisc's reader.
model::TapRows live(testing::ScratchDatabase& db, const std::string& tap_schema, const std::string& schema) {
  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(db.conninfo(), error);
  EXPECT_TRUE(connection) << error.message;
  if (!connection) return {};
  catalog::TapReadResult result = catalog::readTapRows(*connection, {tap_schema, ""}, schema);
  EXPECT_TRUE(result.rows) << (result.diagnostics.empty() ? "" : result.diagnostics.all().front().message);
  return result.rows ? model::sortedTapRows(*result.rows) : model::TapRows{};
}

std::string latiss(const std::string& file) {
  return (testing::sdmSchemasDir() / "history" / "cdb_latiss" / file).string();
}

TEST(TapPg, EverySdmFileLoadsWithInitAndLeavesTheDerivedRows) {
  testing::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::vector<std::filesystem::path> files = testing::yamlFilesIn(testing::sdmSchemasDir() / "yml");
  ASSERT_EQ(files.size(), 26u);
  long total = 0;
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    // 41 FK names recur across the files (docs/tap-schema.md §3.4): one TAP_SCHEMA each.
    const std::string tap_schema = "TAP_" + file.stem().string();
    testing::CliRun run = testing::runFelisc({"tap", "create", "--init", "-n", tap_schema, file.string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_TRUE(db.exec(run.out));
    model::TapRows expected = derived(file);
    ASSERT_EQ(expected.schemas.size(), 1u);
    model::TapRows rows = live(db, tap_schema, expected.schemas[0].values[0].value_or(""));
    EXPECT_EQ(rows, expected);
    total += static_cast<long>(rows.rowCount());
  }
  // felis's own load of the 26 files left 18,163 rows (docs/tap-schema.md).
  EXPECT_EQ(total, 18163);
}

TEST(TapPg, CdbLatissHistoryUpgradeEqualsFreshFillAndDowngradeGivesBack) {
  testing::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::vector<std::filesystem::path> files =
      testing::yamlFilesIn(testing::sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_EQ(files.size(), 33u);
  std::size_t refused = 0;
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    const std::string a = files[i].string();
    const std::string b = files[i + 1].string();
    SCOPED_TRACE(files[i].filename().string() + " -> " + files[i + 1].filename().string());
    testing::CliRun up = testing::runFelisc({"diff", "--tap", a, b});
    if (up.err.find("keys.key_id is unique") != std::string::npos) {
      // 02-09 reuse foreign key names across tables: no TAP_SCHEMA holds them,
      // and tap create refuses them as felis validate does.
      EXPECT_EQ(up.exit_code, 2);
      EXPECT_EQ(up.out, "");
      ++refused;
      continue;
    }
    ASSERT_TRUE(db.exec("DROP SCHEMA IF EXISTS \"TAP_SCHEMA\" CASCADE; DROP SCHEMA IF EXISTS fresh CASCADE"));
    testing::CliRun fill_a = testing::runFelisc({"tap", "create", "--init", a});
    ASSERT_EQ(fill_a.exit_code, 0) << fill_a.err;
    ASSERT_TRUE(db.exec(fill_a.out));
    testing::CliRun fill_b = testing::runFelisc({"tap", "create", "--init", "-n", "fresh", b});
    ASSERT_EQ(fill_b.exit_code, 0) << fill_b.err;
    ASSERT_TRUE(db.exec(fill_b.out));
    const model::TapRows rows_a = live(db, "TAP_SCHEMA", "cdb_latiss");
    const model::TapRows rows_b = live(db, "fresh", "cdb_latiss");
    ASSERT_FALSE(rows_a.columns.empty());

    ASSERT_LE(up.exit_code, 1) << up.err;
    ASSERT_TRUE(db.exec(up.out));
    EXPECT_EQ(live(db, "TAP_SCHEMA", "cdb_latiss"), rows_b);
    testing::CliRun down = testing::runFelisc({"diff", "--tap", "--direction", "down", a, b});
    ASSERT_EQ(down.exit_code, up.exit_code) << down.err;
    ASSERT_TRUE(db.exec(down.out));
    EXPECT_EQ(live(db, "TAP_SCHEMA", "cdb_latiss"), rows_a);
  }
  EXPECT_EQ(refused, 9u);  // 01->02 ... 09->10
}

// --with-tap: TAP_SCHEMA beside the schema, changed inside the migration's own
// transaction; CADC's layout (postfix 11, felis's extension columns) on the way.
TEST(TapPg, WithTapMigratesSchemaAndRowsTogether) {
  testing::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const std::string a = latiss("30_2025-06-17_8687748.yaml");
  const std::string b = latiss("31_2025-12-04_52ed803.yaml");
  testing::CliRun schema = testing::runFelisc({"create", a});
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  ASSERT_TRUE(db.exec(schema.out));
  testing::CliRun fill =
      testing::runFelisc({"tap", "create", "--init", "--extensions", "-n", "tap_schema", "-p", "11", a});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  ASSERT_TRUE(db.exec(fill.out));
  const std::vector<std::string> tap_options = {"--tap-schema-name", "tap_schema", "--tap-tables-postfix",
                                                "11"};
  auto drift = [&](const std::string& file) {
    std::vector<std::string> args = {"drift", "--tap", db.conninfo(), file};
    args.insert(args.end(), tap_options.begin(), tap_options.end());
    return testing::runFelisc(args);
  };
  EXPECT_EQ(drift(a).exit_code, 0) << drift(a).out << drift(a).err;
  EXPECT_EQ(drift(b).exit_code, 1);

  std::vector<std::string> args = {"diff", "--with-tap", "--allow-data-loss", a, b};
  args.insert(args.end(), tap_options.begin(), tap_options.end());
  testing::CliRun up = testing::runFelisc(args);
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("UPDATE tap_schema.columns11 SET"), std::string::npos) << up.out;
  ASSERT_TRUE(db.exec(up.out));
  testing::CliRun after = drift(b);
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_EQ(testing::runFelisc({"drift", db.conninfo(), b}).exit_code, 0);  // the schema itself too

  args.insert(args.begin() + 1, {"--direction", "down"});
  testing::CliRun down = testing::runFelisc(args);
  ASSERT_EQ(down.exit_code, 0) << down.err;
  ASSERT_TRUE(db.exec(down.out));
  EXPECT_EQ(drift(a).exit_code, 0) << drift(a).out;
}

class TapDrift : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok());
    testing::CliRun fill = testing::runFelisc({"tap", "create", "--init", file});
    ASSERT_EQ(fill.exit_code, 0) << fill.err;
    ASSERT_TRUE(db.exec(fill.out));
  }
  testing::CliRun drift(const std::string& format = "text") {
    return testing::runFelisc({"drift", "--tap", "--format", format, db.conninfo(), file});
  }
  testing::ScratchDatabase db;
  std::string file = latiss("33_2026-05-14_a981c66.yaml");
};

TEST_F(TapDrift, SilentOnAFreshFill) {
  testing::CliRun run = drift();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(TapDrift, NamesAChangedDescription) {
  ASSERT_TRUE(
      db.exec("UPDATE \"TAP_SCHEMA\".columns SET description = 'changed' WHERE table_name = "
              "'cdb_latiss.exposure' AND column_name = 'exposure_id'"));
  testing::CliRun run = drift();
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(
      run.out.find("different: columns row cdb_latiss.exposure exposure_id: description is 'changed' in "
                   "TAP_SCHEMA"),
      std::string::npos)
      << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;
}

TEST_F(TapDrift, NamesAMissingColumnRow) {
  ASSERT_TRUE(
      db.exec("DELETE FROM \"TAP_SCHEMA\".columns WHERE table_name = 'cdb_latiss.exposure' AND "
              "column_name = 'day_obs'"));
  testing::CliRun run = drift("json");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("\"kind\": \"missing\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"column_name\": \"day_obs\""), std::string::npos) << run.out;
}

TEST_F(TapDrift, NamesAnExtraKey) {
  ASSERT_TRUE(
      db.exec("INSERT INTO \"TAP_SCHEMA\".keys VALUES ('k_extra', 'cdb_latiss.exposure', "
              "'cdb_latiss.exposure', NULL, NULL)"));
  testing::CliRun run = drift("markdown");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("| extra | keys row k_extra |"), std::string::npos) << run.out;
}

TEST_F(TapDrift, NamesAChangedPrincipal) {
  ASSERT_TRUE(
      db.exec("UPDATE \"TAP_SCHEMA\".columns SET principal = 1 - principal WHERE table_name = "
              "'cdb_latiss.exposure' AND column_name = 'exposure_id'"));
  testing::CliRun run = drift();
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("exposure_id: principal is"), std::string::npos) << run.out;
}

TEST(TapLayout, MissingSchemaTableOrColumnIsAnErrorSayingWhat) {
  testing::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const std::string file = latiss("33_2026-05-14_a981c66.yaml");
  testing::CliRun none = testing::runFelisc({"drift", "--tap", db.conninfo(), file});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("schema 'TAP_SCHEMA' does not exist"), std::string::npos) << none.err;

  testing::CliRun init = testing::runFelisc({"tap", "create", "--init", file});
  ASSERT_TRUE(db.exec(init.out));
  // An older layout: TAP 1.0 had no column_index, and no key_columns here.
  ASSERT_TRUE(
      db.exec("ALTER TABLE \"TAP_SCHEMA\".columns DROP COLUMN column_index; DROP TABLE "
              "\"TAP_SCHEMA\".key_columns"));
  testing::CliRun old = testing::runFelisc({"drift", "--tap", db.conninfo(), file});
  EXPECT_EQ(old.exit_code, 2);
  EXPECT_NE(old.err.find("does not have felis's tables: table \"TAP_SCHEMA\".columns lacks column(s) "
                         "column_index; no table \"TAP_SCHEMA\".key_columns"),
            std::string::npos)
      << old.err;
  EXPECT_EQ(old.out, "");
}

}  // namespace
}  // namespace felisc
