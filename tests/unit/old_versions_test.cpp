// Old versions load as the rule says (compiler/felis/reader.cpp, rule 13): keys
// that old apdb.yaml versions misspelled ('deescription', 'fits.tunit'), which
// today's felis rejects as unknown and which change no DDL, are warnings in
// create, diff and migrate, and stay errors in validate, as felis reports them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/run_command.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOldApdb = R"(---
name: apdb_old
version: {current: 1.0.0}
tables:
- name: DiaObject
  "@id": "#DiaObject"
  deescription: The misspelled key of an old apdb.yaml.
  columns:
  - name: ra
    "@id": "#DiaObject.ra"
    datatype: double
    fits.tunit: deg
)";

constexpr const char* kNewApdb = R"(---
name: apdb_old
version: {current: 1.0.0}
tables:
- name: DiaObject
  "@id": "#DiaObject"
  description: The key spelled right.
  columns:
  - name: ra
    "@id": "#DiaObject.ra"
    datatype: double
    fits:tunit: deg
)";

TEST(OldVersions, MisspelledAnnotationKeysAreWarningsWhereTheyChangeNoDdl) {
  TempDir dir;
  const fs::path old_file = fs::path(dir.path()) / "apdb_old.yaml";
  const fs::path new_file = fs::path(dir.path()) / "apdb_new.yaml";
  std::ofstream(old_file) << kOldApdb;
  std::ofstream(new_file) << kNewApdb;

  CliRun create = runFelisc({"create", old_file.string()});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  EXPECT_NE(create.err.find("apdb_old.yaml:7:3: warning: unknown key 'deescription'"), std::string::npos)
      << create.err;
  EXPECT_NE(create.err.find("did you mean 'description'?"), std::string::npos) << create.err;
  EXPECT_NE(create.err.find("warning: unknown key 'fits.tunit'"), std::string::npos) << create.err;
  EXPECT_NE(create.out.find("CREATE TABLE"), std::string::npos);

  CliRun diff = runFelisc({"diff", old_file.string(), new_file.string()});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.err.find("warning: unknown key 'deescription'"), std::string::npos) << diff.err;

  CliRun validate = runFelisc({"validate", old_file.string()});
  EXPECT_EQ(validate.exit_code, 1);
  EXPECT_NE(validate.err.find("apdb_old.yaml:7:3: error: unknown key 'deescription'"), std::string::npos)
      << validate.err;
  EXPECT_NE(validate.err.find("error: unknown key 'fits.tunit'"), std::string::npos) << validate.err;

  // A misspelled key that shapes DDL stays an error everywhere.
  std::string nullable = kNewApdb;
  nullable.replace(nullable.find("    fits:tunit: deg"), 19, "    nulable: false");
  std::ofstream(new_file) << nullable;
  EXPECT_EQ(runFelisc({"create", new_file.string()}).exit_code, 2);
}

}  // namespace
}  // namespace felisc::testing
