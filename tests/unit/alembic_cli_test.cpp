// `felisc diff --format alembic` and `felisc migrate`, in-process, on temporary
// directories (and, for migrate, a temporary git repository made with git).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "emitters/alembic/versions.h"
#include "tests/support/cli_runner.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDate = "2024-01-01 00:00:00";

std::string fixture(const std::string& relative) { return (fixturesDir() / relative).string(); }

/// The *.py files of a directory, sorted (none when it does not exist).
std::vector<fs::path> pyFiles(const fs::path& directory) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(directory, error); !error && it != fs::directory_iterator();
       it.increment(error))
    if (it->path().extension() == ".py") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

alembic::AlembicRevisionFile parsed(const fs::path& file) {
  model::Diagnostics diagnostics;
  auto revision = alembic::parseAlembicRevisionFile(readFile(file), file.string(), diagnostics);
  EXPECT_TRUE(revision) << file;
  return revision.value_or(alembic::AlembicRevisionFile{});
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

/// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// --- felisc diff --format alembic ----------------------------------------------

TEST(DiffAlembicCli, WritesIntoVersionsPrintsThePathAndChains) {
  TempDir dir;
  const std::string old_file = fixture("alembic/columns/old.yaml");
  const std::string new_file = fixture("alembic/columns/new.yaml");
  CliRun first = runFelisc({"diff", old_file, new_file, "--format", "alembic", "--alembic-dir", dir.path(),
                            "--allow-data-loss", "--create-date", kDate, "--new-history"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const fs::path first_path = trimmed(first.out);
  EXPECT_EQ(first_path.parent_path(), fs::path(dir.path()) / "versions");
  EXPECT_TRUE(first_path.filename().string().ends_with("_acme_2_0_0_2_1_0.py")) << first_path;
  const std::string text = readFile(first_path);
  EXPECT_NE(text.find("down_revision: Union[str, None] = None\n"), std::string::npos);
  EXPECT_NE(text.find("Create Date: 2024-01-01 00:00:00+00:00\n"), std::string::npos);
  EXPECT_EQ(fs::status(first_path).permissions() & fs::perms::owner_read, fs::perms::owner_read);

  CliRun second = runFelisc({"diff", new_file, old_file, "--format", "alembic", "--alembic-dir", dir.path(),
                             "--allow-data-loss", "-m", "Back again", "--create-date", kDate});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const fs::path second_path = trimmed(second.out);
  EXPECT_TRUE(second_path.filename().string().ends_with("_back_again.py")) << second_path;
  EXPECT_EQ(parsed(second_path).down_revisions, std::vector<std::string>{parsed(first_path).revision});
  EXPECT_EQ(pyFiles(fs::path(dir.path()) / "versions").size(), 2u);

  alembic::AlembicVersions versions =
      alembic::readAlembicVersions((fs::path(dir.path()) / "versions").string());
  EXPECT_TRUE(versions.ok());
  EXPECT_EQ(versions.head, parsed(second_path).revision);
}

TEST(DiffAlembicCli, StandardOutputAndSourceDateEpoch) {
  ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
  CliRun run =
      runFelisc({"diff", fixture("alembic/new_schema/old.yaml"), fixture("alembic/new_schema/new.yaml"),
                 "--format", "alembic", "--rev-id", "first_one"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Create Date: 2023-11-14 22:13:20+00:00\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("revision: str = \"first_one\"\n"), std::string::npos);
  CliRun again =
      runFelisc({"diff", fixture("alembic/new_schema/old.yaml"), fixture("alembic/new_schema/new.yaml"),
                 "--format", "alembic", "--rev-id", "first_one"});
  EXPECT_EQ(again.out, run.out) << "same input and SOURCE_DATE_EPOCH, same bytes";
}

TEST(DiffAlembicCli, UsageErrors) {
  const std::string a = fixture("alembic/columns/old.yaml");
  const std::string b = fixture("alembic/columns/new.yaml");
  CliRun run = runFelisc({"diff", a, b, "--alembic-dir", "/tmp"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("go with --format alembic"), std::string::npos) << run.err;

  run = runFelisc({"diff", a, b, "--format", "alembic", "--rev-id", "not-an-id", "--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("[FEL677]"), std::string::npos) << run.err;

  run = runFelisc({"diff", a, b, "--format", "alembic", "--create-date", "tomorrow", "--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("'tomorrow' is not a UTC date and time"), std::string::npos) << run.err;

  run = runFelisc({"diff", a, b, "--format", "alembic", "--direction", "down", "--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);

  ScopedEnv epoch("SOURCE_DATE_EPOCH", "soon");
  run = runFelisc({"diff", a, b, "--format", "alembic", "--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("[FEL680]"), std::string::npos) << run.err;
}

TEST(DiffAlembicCli, NoChangeAndDataLossWriteNothing) {
  TempDir dir;
  const std::string a = fixture("alembic/columns/old.yaml");
  CliRun same = runFelisc({"diff", a, a, "--format", "alembic", "--alembic-dir", dir.path()});
  EXPECT_EQ(same.exit_code, 0);
  EXPECT_NE(same.err.find("no revision written"), std::string::npos) << same.err;
  CliRun loss = runFelisc(
      {"diff", a, fixture("alembic/columns/new.yaml"), "--format", "alembic", "--alembic-dir", dir.path()});
  EXPECT_EQ(loss.exit_code, 3) << loss.err;
  EXPECT_FALSE(fs::exists(fs::path(dir.path()) / "versions"));
}

TEST(DiffAlembicCli, RefusesAVersionsDirectoryWithTwoHeads) {
  TempDir dir;
  const fs::path versions = fs::path(dir.path()) / "versions";
  fs::create_directories(versions);
  std::ofstream(versions / "a.py") << "revision = 'aaa'\ndown_revision = None\n";
  std::ofstream(versions / "b.py") << "revision = 'bbb'\ndown_revision = 'aaa'\n";
  std::ofstream(versions / "c.py") << "revision = 'ccc'\ndown_revision = 'aaa'\n";
  std::ofstream(versions / "__init__.py") << "";
  std::ofstream(versions / "notes.txt") << "not a revision";
  CliRun run = runFelisc({"diff", fixture("alembic/columns/old.yaml"), fixture("alembic/columns/new.yaml"),
                          "--format", "alembic", "--alembic-dir", dir.path(), "--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("has 2 heads (bbb, ccc)"), std::string::npos) << run.err;
  EXPECT_EQ(pyFiles(versions).size(), 4u);

  std::ofstream(versions / "c.py") << "revision = 'ccc'\ndown_revision = compute()\n";
  run = runFelisc({"diff", fixture("alembic/columns/old.yaml"), fixture("alembic/columns/new.yaml"),
                   "--format", "alembic", "--alembic-dir", dir.path(), "--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("c.py:2:1: error: cannot read 'down_revision'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("  down_revision = compute()\n  ^\n"), std::string::npos) << run.err;
}

TEST(DiffAlembicCli, RefusesAnExistingRevisionId) {
  TempDir dir;
  const fs::path versions = fs::path(dir.path()) / "versions";
  fs::create_directories(versions);
  std::ofstream(versions / "x.py") << "revision: str = \"taken\"\ndown_revision = None\n";
  CliRun run =
      runFelisc({"diff", fixture("alembic/columns/old.yaml"), fixture("alembic/columns/new.yaml"), "--format",
                 "alembic", "--alembic-dir", dir.path(), "--allow-data-loss", "--rev-id", "taken"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("revision 'taken' already exists in"), std::string::npos) << run.err;
  EXPECT_EQ(pyFiles(versions).size(), 1u);
}

// --- felisc migrate --------------------------------------------------------------

/// A git repository shaped like sdm_schemas: yml/cdb_alpha, cdb_beta and cdb_gamma
/// committed, then cdb_alpha and cdb_beta changed in the working tree.
class MigrateRepo : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(repo_.path().empty());
    fs::create_directories(yml());
    fs::create_directories(alembic());
    for (const char* name : {"cdb_alpha", "cdb_beta", "cdb_gamma"}) place(name, name);
    git({"init", "-q"});
    git({"add", "yml"});
    git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "base"});
    place("cdb_alpha_v2", "cdb_alpha");
    place("cdb_beta_v2", "cdb_beta");
    place("cdb_gamma_v2", "cdb_gamma");
  }

  [[nodiscard]] fs::path yml() const { return fs::path(repo_.path()) / "yml"; }
  [[nodiscard]] fs::path alembic() const { return fs::path(repo_.path()) / "alembic"; }
  [[nodiscard]] fs::path versions(const std::string& name) const { return alembic() / name / "versions"; }
  /// Whether no revision file was written anywhere under alembic().
  [[nodiscard]] bool noRevisions() const {
    std::error_code error;
    for (fs::recursive_directory_iterator it(alembic(), error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error))
      if (it->path().extension() == ".py") return false;
    return true;
  }

  void place(const std::string& fixture_name, const std::string& as) {
    fs::copy_file(fixturesDir() / "migrate" / (fixture_name + ".yaml"), yml() / (as + ".yaml"),
                  fs::copy_options::overwrite_existing);
  }
  void git(std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo_.path()});
    CommandResult result = runCommand(args);
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  /// migrate at HEAD; every fixture schema may start its history (--new-history).
  CliRun migrate(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"migrate",       "--sdm-schemas",    repo_.path(),    "--base", "HEAD",
                                     "--alembic-dir", alembic().string(), "--create-date", kDate};
    for (const char* name : {"alpha", "beta", "gamma", "delta", "demo"})
      args.insert(args.end(), {"--new-history", name});
    // The fixtures are plain schemas: without the default ConsDB profile unless a test gives one.
    if (std::find(extra.begin(), extra.end(), "--profile") == extra.end()) args.push_back("--no-profile");
    args.insert(args.end(), extra.begin(), extra.end());
    return runFelisc(args);
  }

  TempDir repo_;
};

TEST_F(MigrateRepo, WritesOneRevisionPerChangedSchemaAndSkipsTheOthers) {
  CliRun run = migrate({"--allow-data-loss"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(pyFiles(versions("alpha")).size(), 1u);
  ASSERT_EQ(pyFiles(versions("beta")).size(), 1u);
  EXPECT_FALSE(fs::exists(alembic() / "gamma")) << "cdb_gamma changed only what a database does not hold";
  EXPECT_NE(run.out.find("  changed    cdb_alpha (1 step, 1.0.0 -> 1.1.0) -> "), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  changed    cdb_beta (2 steps, 2.0.0 -> 3.0.0) -> "), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  unchanged  cdb_gamma\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2 revisions written, 1 unchanged\n"), std::string::npos) << run.out;
  const fs::path alpha = pyFiles(versions("alpha")).front();
  EXPECT_TRUE(alpha.filename().string().ends_with("_cdb_alpha_1_0_0_1_1_0.py")) << alpha;
  EXPECT_NE(run.out.find(alpha.string()), std::string::npos) << "the summary names the files written";
  const std::string text = readFile(alpha);
  EXPECT_NE(text.find("op.add_column(\n        \"exposure\",\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find("# Written by felisc: schema cdb_alpha, HEAD:yml/cdb_alpha.yaml -> yml/cdb_alpha.yaml\n"),
      std::string::npos)
      << text;
  EXPECT_NE(readFile(pyFiles(versions("beta")).front()).find("op.drop_column(\"visit\", \"obsolete\""),
            std::string::npos);

  // The next change (the files back as they were, from the new base) chains onto the first.
  git({"add", "yml"});
  git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "v2"});
  place("cdb_alpha", "cdb_alpha");
  place("cdb_beta", "cdb_beta");
  CliRun again = migrate({"--allow-data-loss", "-m", "second batch"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  for (const char* name : {"alpha", "beta"}) {
    alembic::AlembicVersions read = alembic::readAlembicVersions(versions(name).string());
    ASSERT_TRUE(read.ok()) << alembic::renderAlembicDiagnostics(read);
    ASSERT_EQ(read.files.size(), 2u) << name;
    const auto& second = read.fileOf(*read.head);
    EXPECT_TRUE(second.ends_with("_second_batch.py")) << second;
    const alembic::AlembicRevisionFile& first =
        read.files[0].revision == *read.head ? read.files[1] : read.files[0];
    EXPECT_EQ(parsed(second).down_revisions, std::vector<std::string>{first.revision}) << name;
    EXPECT_TRUE(first.down_revisions.empty());
  }
  EXPECT_FALSE(fs::exists(alembic() / "gamma"));
}

TEST_F(MigrateRepo, DryRunWritesNothing) {
  CliRun run = migrate({"--allow-data-loss", "--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(noRevisions());
  EXPECT_NE(run.out.find("-> would write " + versions("alpha").string() + "/"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2 revisions to write, 1 unchanged\n"), std::string::npos) << run.out;
}

TEST_F(MigrateRepo, DataLossWritesNothing) {
  CliRun run = migrate();
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("  cdb_beta: drop column visit.obsolete\n"), std::string::npos) << run.err;
  EXPECT_TRUE(noRevisions());
}

TEST_F(MigrateRepo, AddedAndRemovedSchemas) {
  place("cdb_delta", "cdb_delta");
  fs::remove(yml() / "cdb_gamma.yaml");
  CliRun run = migrate({"--allow-data-loss"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  added      cdb_delta (2 steps, 1.0.0) -> "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("  removed    cdb_gamma: no revision written"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("3 revisions written, 0 unchanged\n"), std::string::npos) << run.out;
  ASSERT_EQ(pyFiles(versions("delta")).size(), 1u);
  const std::string text = readFile(pyFiles(versions("delta")).front());
  EXPECT_NE(text.find("op.execute(\"CREATE SCHEMA cdb_delta\")"), std::string::npos) << text;
  EXPECT_NE(text.find("\"\"\"create cdb_delta 1.0.0\n"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(alembic() / "gamma"));
}

TEST_F(MigrateRepo, AnErrorInOneSchemaLeavesNoRevisionAnywhere) {
  // cdb_beta's versions directory has two heads: no revision can follow it, and
  // cdb_alpha's revision, computed before, must not be written either.
  fs::create_directories(versions("beta"));
  std::ofstream(versions("beta") / "a.py") << "revision = 'a'\ndown_revision = None\n";
  std::ofstream(versions("beta") / "b.py") << "revision = 'b'\ndown_revision = None\n";
  CliRun run = migrate({"--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("has 2 heads (a, b)"), std::string::npos) << run.err;
  EXPECT_TRUE(pyFiles(versions("alpha")).empty());
  EXPECT_EQ(pyFiles(versions("beta")).size(), 2u);
}

TEST_F(MigrateRepo, InvalidSchemaFileOrRevision) {
  std::ofstream(yml() / "cdb_alpha.yaml")
      << "name: cdb_alpha\ntables:\n- name: t\n  columns:\n  - {name: c}\n";
  CliRun run = migrate({"--allow-data-loss"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cdb_alpha.yaml:5:5: error:"), std::string::npos) << run.err;
  EXPECT_TRUE(noRevisions());

  CliRun bad_rev = runFelisc({"migrate", "--sdm-schemas", repo_.path(), "--base", "no-such-branch",
                              "--alembic-dir", alembic().string()});
  EXPECT_EQ(bad_rev.exit_code, 2);
  EXPECT_NE(bad_rev.err.find("at revision 'no-such-branch'"), std::string::npos) << bad_rev.err;
}

// --- felisc migrate --profile ----------------------------------------------------

/// `views/NAME.yaml` (schema cdb_demo) as yml/cdb_demo.yaml.
void placeViewFixture(const fs::path& yml, const std::string& name) {
  fs::copy_file(fixturesDir() / "views" / (name + ".yaml"), yml / "cdb_demo.yaml",
                fs::copy_options::overwrite_existing);
}

TEST_F(MigrateRepo, ProfileRealizesBothSidesOfAChangedSchema) {
  placeViewFixture(yml(), "cdb_base");
  git({"add", "yml/cdb_demo.yaml"});
  git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "demo"});
  placeViewFixture(yml(), "cdb_exposure_column");  // exp_time added to exposure and visit1
  CliRun run = migrate({"--allow-data-loss", "--profile", fixture("profiles/consdb.yaml"), "--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  changed    cdb_demo ("), std::string::npos) << run.out;
  run = migrate({"--allow-data-loss", "--profile", fixture("profiles/consdb.yaml")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(pyFiles(versions("demo")).size(), 1u);
  const std::string text = readFile(pyFiles(versions("demo")).front());
  // As deployed: visit1 is a view, dropped and recreated with the new column, its
  // grants given again; the downgrade recreates the old column list.
  EXPECT_NE(text.find("DROP VIEW cdb_demo.visit1"), std::string::npos) << text;
  EXPECT_NE(text.find("CREATE VIEW cdb_demo.visit1 AS"), std::string::npos) << text;
  EXPECT_NE(text.find("exposure.exp_time"), std::string::npos) << text;
  EXPECT_NE(text.find("GRANT SELECT ON cdb_demo.visit1 TO"), std::string::npos) << text;
  EXPECT_EQ(text.find("op.add_column(\n        \"visit1\""), std::string::npos) << "visit1 is no table";

  // Without the profile the same change is a column added to a table visit1.
  fs::remove_all(alembic());
  fs::create_directories(alembic());
  run = migrate({"--allow-data-loss"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string plain = readFile(pyFiles(versions("demo")).front());
  EXPECT_EQ(plain.find("CREATE VIEW"), std::string::npos) << plain;
  EXPECT_NE(plain.find("op.add_column(\n        \"visit1\""), std::string::npos) << plain;
}

TEST_F(MigrateRepo, ProfileFirstRevisionOfAnAddedSchemaCreatesItsViews) {
  placeViewFixture(yml(), "cdb_base");  // in the working tree only: an added schema
  CliRun run = migrate({"--allow-data-loss", "--profile", fixture("profiles/consdb.yaml")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  added      cdb_demo ("), std::string::npos) << run.out;
  ASSERT_EQ(pyFiles(versions("demo")).size(), 1u);
  const std::string text = readFile(pyFiles(versions("demo")).front());
  EXPECT_NE(text.find("op.execute(\"CREATE SCHEMA cdb_demo\")"), std::string::npos) << text;
  EXPECT_NE(text.find("CREATE VIEW cdb_demo.visit1 AS"), std::string::npos) << text;
  EXPECT_NE(text.find("CREATE VIEW cdb_demo.ccdvisit1 AS"), std::string::npos) << text;
  EXPECT_NE(text.find("GRANT SELECT ON cdb_demo.ccdvisit1 TO"), std::string::npos) << text;
  EXPECT_NE(text.find("\"pgs_region\""), std::string::npos) << "the profile's extra column" << text;
  EXPECT_EQ(text.find("\"visit1\","), std::string::npos) << "visit1 is created as a view only" << text;
}

TEST_F(MigrateRepo, ProfileErrorsWriteNothing) {
  placeViewFixture(yml(), "cdb_base");
  CliRun missing = migrate({"--profile", fixture("profiles/no_such_profile.yaml")});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_TRUE(noRevisions());
  // A profile whose view cannot be realized over this schema (its base is missing).
  TempDir dir;
  const fs::path profile = fs::path(dir.path()) / "bad.yaml";
  std::ofstream(profile) << "name: bad\nschemas: [\"cdb_*\"]\nviews:\n- name: visit1\n  base: nowhere\n";
  CliRun bad = migrate({"--allow-data-loss", "--profile", profile.string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("nowhere"), std::string::npos) << bad.err;
  EXPECT_TRUE(noRevisions());
}

// --- migrate plans as diff plans (diff_engine/migration.h) -------------------------

/// cdb_alpha in the working tree with a column added and its version left at 1.0.0.
void placeAlphaWithoutBump(const fs::path& yml) {
  std::string text = readFile(fixturesDir() / "migrate" / "cdb_alpha_v2.yaml");
  text.replace(text.find("current: 1.1.0"), 14, "current: 1.0.0");
  std::ofstream(yml / "cdb_alpha.yaml", std::ios::binary) << text;
}

TEST_F(MigrateRepo, AppliesTheVersionCheckAsDiffDoes) {
  placeAlphaWithoutBump(yml());
  CliRun warned = migrate({"--allow-data-loss", "--dry-run"});
  ASSERT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find("warning: the changes are"), std::string::npos) << warned.err;
  EXPECT_NE(warned.err.find("[FEL640]"), std::string::npos) << warned.err;

  CliRun strict = migrate({"--allow-data-loss", "--strict"});
  CliRun diff = runFelisc({"diff", "--strict", "--allow-data-loss", fixture("migrate/cdb_alpha.yaml"),
                           (yml() / "cdb_alpha.yaml").string()});
  EXPECT_EQ(strict.exit_code, diff.exit_code) << strict.err << diff.err;
  EXPECT_NE(strict.exit_code, 0);
  EXPECT_NE(
      strict.err.find("cdb_alpha: version.current is not bumped enough (--strict); nothing was written"),
      std::string::npos)
      << strict.err;
  EXPECT_TRUE(noRevisions()) << "a refused schema leaves no revision anywhere";
}

TEST_F(MigrateRepo, StopsOnAnInvalidRenameAsDiffDoes) {
  CliRun migrate_run = migrate({"--allow-data-loss", "--rename", "cdb_beta:visit.nosuch=other"});
  CliRun diff = runFelisc({"diff", "--allow-data-loss", "--rename", "visit.nosuch=other",
                           fixture("migrate/cdb_beta.yaml"), fixture("migrate/cdb_beta_v2.yaml")});
  EXPECT_EQ(migrate_run.exit_code, diff.exit_code) << migrate_run.err << diff.err;
  EXPECT_EQ(migrate_run.exit_code, 2) << migrate_run.err;
  EXPECT_NE(migrate_run.err.find("nosuch"), std::string::npos) << migrate_run.err;
  EXPECT_TRUE(noRevisions()) << "nothing written, for no schema";

  CliRun unscoped = migrate({"--rename", "visit.a=b"});
  EXPECT_EQ(unscoped.exit_code, 2);
  EXPECT_NE(unscoped.err.find("give it as SCHEMA:VALUE"), std::string::npos) << unscoped.err;
}

TEST_F(MigrateRepo, RenameAndBackfillPerSchema) {
  // cdb_beta's dropped column and a new one of the same type: the refusal suggests --rename.
  std::string text = readFile(fixturesDir() / "migrate" / "cdb_beta_v2.yaml");
  text += "  - {name: retired, datatype: string, length: 16}\n";
  std::ofstream(yml() / "cdb_beta.yaml", std::ios::binary) << text;
  CliRun refused = migrate();
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("(if this is a rename, say so: --rename cdb_beta:visit.obsolete=retired)"),
            std::string::npos)
      << refused.err;
  CliRun renamed = migrate({"--rename", "cdb_beta:visit.obsolete=retired"});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  const std::string revision = readFile(pyFiles(versions("beta")).front());
  EXPECT_NE(revision.find("new_column_name=\"retired\""), std::string::npos) << revision;
  EXPECT_EQ(revision.find("op.drop_column(\"visit\", \"obsolete\""), std::string::npos) << revision;
}

TEST_F(MigrateRepo, LockTimeoutAndOnline) {
  CliRun run = migrate({"--allow-data-loss", "--lock-timeout", "3s", "--online"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string revision = readFile(pyFiles(versions("alpha")).front());
  EXPECT_NE(revision.find("SET LOCAL lock_timeout = '3s'"), std::string::npos) << revision;
  CliRun bad = migrate({"--lock-timeout", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
}

// --- the Alembic side as ConsDB keeps it ------------------------------------------

TEST_F(MigrateRepo, AMissingOrMisspelledAlembicDirIsAnError) {
  CliRun misspelled =
      runFelisc({"migrate", "--sdm-schemas", repo_.path(), "--base", "HEAD", "--alembic-dir",
                 (fs::path(repo_.path()) / "alembics").string(), "--no-profile", "--allow-data-loss"});
  EXPECT_EQ(misspelled.exit_code, 2);
  EXPECT_NE(misspelled.err.find("is not a directory"), std::string::npos) << misspelled.err;
  EXPECT_FALSE(fs::exists(fs::path(repo_.path()) / "alembics"));
  // The directory is there but holds no alpha/versions/: no history starts by accident.
  CliRun no_history = runFelisc({"migrate", "--sdm-schemas", repo_.path(), "--base", "HEAD", "--alembic-dir",
                                 alembic().string(), "--no-profile", "--allow-data-loss"});
  EXPECT_EQ(no_history.exit_code, 2);
  EXPECT_NE(no_history.err.find("alpha/versions' does not exist"), std::string::npos) << no_history.err;
  EXPECT_NE(no_history.err.find("--new-history"), std::string::npos) << no_history.err;
  EXPECT_TRUE(noRevisions());
}

TEST_F(MigrateRepo, ASecondRunWritesNothingAndNamesTheRevision) {
  CliRun first = migrate({"--allow-data-loss"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(pyFiles(versions("alpha")).size(), 1u);
  const std::string written = readFile(pyFiles(versions("alpha")).front());
  EXPECT_NE(written.find("# felisc plan: "), std::string::npos) << written;
  EXPECT_NE(written.find("# sources: sdm_schemas "), std::string::npos) << written;
  EXPECT_NE(written.find(":yml/cdb_alpha.yaml -> "), std::string::npos) << written;
  CliRun again = migrate({"--allow-data-loss"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(pyFiles(versions("alpha")).size(), 1u);
  EXPECT_EQ(pyFiles(versions("beta")).size(), 1u);
  const std::string revision = parsed(pyFiles(versions("alpha")).front()).revision;
  EXPECT_NE(again.out.find("  done       cdb_alpha: revision " + revision + " already carries this change"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("0 revisions written, 1 unchanged, 2 already written\n"), std::string::npos)
      << again.out;
}

TEST_F(MigrateRepo, SeveralHeadsAreListedUnlessHeadPicksOne) {
  fs::create_directories(versions("alpha"));
  std::ofstream(versions("alpha") / "a.py") << "revision = 'aaa'\ndown_revision = None\n";
  std::ofstream(versions("alpha") / "b.py") << "revision = 'bbb'\ndown_revision = 'aaa'\n";
  std::ofstream(versions("alpha") / "c.py") << "revision = 'ccc'\ndown_revision = 'aaa'\n";
  CliRun refused = migrate({"--allow-data-loss"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("has 2 heads (bbb, ccc)"), std::string::npos) << refused.err;
  EXPECT_TRUE(pyFiles(versions("beta")).empty());

  CliRun wrong = migrate({"--allow-data-loss", "--head", "cdb_alpha:aaa"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("--head aaa is not one of them"), std::string::npos) << wrong.err;

  CliRun picked = migrate({"--allow-data-loss", "--head", "cdb_alpha:ccc"});
  ASSERT_EQ(picked.exit_code, 0) << picked.err;
  alembic::AlembicVersions read = alembic::readAlembicVersions(versions("alpha").string(), "ccc");
  ASSERT_EQ(read.files.size(), 4u);
  EXPECT_EQ(read.heads.size(), 2u);
  bool chained = false;
  for (const auto& file : read.files)
    chained = chained || file.down_revisions == std::vector<std::string>{"ccc"};
  EXPECT_TRUE(chained) << "the new revision follows the chosen head";
}

TEST_F(MigrateRepo, AMergeRevisionIsReadAsAlembicReadsIt) {
  fs::create_directories(versions("alpha"));
  std::ofstream(versions("alpha") / "a.py") << "revision = 'aaa'\ndown_revision = None\n";
  std::ofstream(versions("alpha") / "b.py") << "revision = 'bbb'\ndown_revision = 'aaa'\n";
  std::ofstream(versions("alpha") / "c.py") << "revision = 'ccc'\ndown_revision = 'aaa'\n";
  std::ofstream(versions("alpha") / "m.py") << "revision: str = 'mmm'\ndown_revision = ('bbb', 'ccc')\n";
  CliRun run = migrate({"--allow-data-loss"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  alembic::AlembicVersions read = alembic::readAlembicVersions(versions("alpha").string());
  ASSERT_TRUE(read.ok()) << alembic::renderAlembicDiagnostics(read);
  ASSERT_EQ(read.files.size(), 5u);
  EXPECT_EQ(parsed(read.fileOf(*read.head)).down_revisions, std::vector<std::string>{"mmm"});
}

TEST_F(MigrateRepo, DefaultProfileIsConsdbAndNoProfileWarnsAboutVisit1) {
  placeViewFixture(yml(), "cdb_base");
  git({"add", "yml/cdb_demo.yaml"});
  git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "demo"});
  placeViewFixture(yml(), "cdb_exposure_column");
  std::vector<std::string> args = {"migrate",
                                   "--sdm-schemas",
                                   repo_.path(),
                                   "--base",
                                   "HEAD",
                                   "--alembic-dir",
                                   alembic().string(),
                                   "--new-history",
                                   "demo",
                                   "--new-history",
                                   "alpha",
                                   "--new-history",
                                   "beta",
                                   "--allow-data-loss",
                                   "--dry-run",
                                   "--create-date",
                                   kDate};
  CliRun by_default = runFelisc(args);
  ASSERT_EQ(by_default.exit_code, 0) << by_default.err;
  EXPECT_EQ(by_default.err.find("visit1 planned without"), std::string::npos) << by_default.err;
  args.push_back("--no-profile");
  CliRun plain = runFelisc(args);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.err.find("cdb_demo: table visit1 planned without a deployment profile"), std::string::npos)
      << plain.err;
  args.insert(args.end(), {"--profile", "consdb"});
  EXPECT_EQ(runFelisc(args).exit_code, 2) << "--profile and --no-profile";
}

TEST(ProfileByName, ConsdbIsFoundWithoutAPath) {
  const std::string file = fixture("views/cdb_base.yaml");
  CliRun by_name = runFelisc({"create", "--profile", "consdb", file});
  CliRun by_path = runFelisc({"create", "--profile", fixture("profiles/consdb.yaml"), file});
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
  EXPECT_EQ(by_name.out, by_path.out);
  EXPECT_NE(by_name.out.find("CREATE VIEW"), std::string::npos);
  CliRun unknown = runFelisc({"create", "--profile", "no_such_profile", file});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
}

TEST(DiffAlembicCli, MissingVersionsNeedsNewHistoryAndARerunWritesNothing) {
  TempDir dir;
  const std::string old_file = fixture("alembic/columns/old.yaml");
  const std::string new_file = fixture("alembic/columns/new.yaml");
  std::vector<std::string> args = {"diff",          old_file,
                                   new_file,        "--format",
                                   "alembic",       "--alembic-dir",
                                   dir.path(),      "--allow-data-loss",
                                   "--create-date", kDate};
  CliRun refused = runFelisc(args);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--new-history"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(fs::path(dir.path()) / "versions"));
  CliRun nowhere =
      runFelisc({"diff", old_file, new_file, "--format", "alembic", "--alembic-dir",
                 (fs::path(dir.path()) / "nope").string(), "--new-history", "--allow-data-loss"});
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_NE(nowhere.err.find("is not a directory"), std::string::npos) << nowhere.err;

  args.push_back("--new-history");
  CliRun first = runFelisc(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CliRun again = runFelisc(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(trimmed(again.out), trimmed(first.out)) << "names the revision already there";
  EXPECT_NE(again.err.find("already carries this change"), std::string::npos) << again.err;
  EXPECT_EQ(pyFiles(fs::path(dir.path()) / "versions").size(), 1u);
}

}  // namespace
}  // namespace felisc::testing
