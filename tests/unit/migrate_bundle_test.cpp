// `felisc migrate` and `felisc diff REV:PATH` on the real history of sdm_schemas
// (../shared/sdm_schemas/sdm_schemas.bundle: the 33 versions of cdb_latiss.yaml,
// both moves of the schema files and the commit that made `yml` a symbolic link,
// laid out at each commit as the real repository was), chained onto a copy of
// ConsDB's real Alembic chain for LATISS (../shared/consdb/alembic/latiss), read
// afterwards by real Alembic (Debian's python3-alembic).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

const char* const kPython = "/usr/bin/python3";
const char* const kDate = "2025-01-01 00:00:00";

fs::path sharedDir() { return sdmSchemasDir() / ".."; }

std::size_t pyCount(const fs::path& directory) {
  std::size_t count = 0;
  std::error_code error;
  for (fs::directory_iterator it(directory, error); !error && it != fs::directory_iterator();
       it.increment(error))
    if (it->path().extension() == ".py") ++count;
  return count;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

/// A clone of the bundle and a copy of ConsDB's alembic/ directory, with an
/// alembic.ini for the latiss chain.
class SdmSchemasHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path bundle = sdmSchemasDir() / "sdm_schemas.bundle";
    ASSERT_TRUE(fs::exists(bundle)) << bundle;
    clone_ = fs::path(dir_.path()) / "sdm_schemas";
    CommandResult cloned = runCommand({"git", "clone", "-q", bundle.string(), clone_.string()});
    ASSERT_EQ(cloned.exit_code, 0) << cloned.output;
    commits_ = lines(git({"rev-list", "--reverse", "HEAD"}));
    ASSERT_GE(commits_.size(), 30u);
    alembic_ = fs::path(dir_.path()) / "alembic";
    fs::copy(sharedDir() / "consdb" / "alembic", alembic_, fs::copy_options::recursive);
    real_revisions_ = pyCount(versions());
    ASSERT_EQ(real_revisions_, 16u);
  }

  std::string git(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git", "-C", clone_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult result = runCommand(argv);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return result.output;
  }

  [[nodiscard]] fs::path versions() const { return alembic_ / "latiss" / "versions"; }

  /// The text of cdb_latiss.yaml at `commit`, wherever it was (git show does not follow `yml`).
  std::string latissAt(const std::string& commit) {
    for (const char* dir : {"yml", "python/lsst/sdm_schemas/schemas", "python/lsst/sdm/schemas"}) {
      CommandResult shown =
          runCommand({"git", "-C", clone_.string(), "show", commit + ":" + dir + "/cdb_latiss.yaml"});
      if (shown.exit_code == 0) return shown.output;
    }
    ADD_FAILURE() << "no cdb_latiss.yaml at " << commit;
    return {};
  }

  CommandResult felisc(std::vector<std::string> args) {
    args.insert(args.begin(), FELISC_BINARY);
    return runCommand(args, {}, clone_.string());
  }

  /// Real Alembic's view of a chain: one head, and a history it can walk.
  void expectOneHead(const fs::path& script_location) {
    const fs::path ini = fs::path(dir_.path()) / "alembic.ini";
    std::ofstream(ini) << "[alembic]\nscript_location = " << script_location.string() << "\n";
    const std::map<std::string, std::string> env = {
        {"PYTHONPATH", (sharedDir() / "consdb" / "python").string()}};
    CommandResult heads = runCommand({kPython, "-m", "alembic", "-c", ini.string(), "heads"}, env);
    ASSERT_EQ(heads.exit_code, 0) << heads.output;
    EXPECT_EQ(lines(heads.output).size(), 1u) << heads.output;
    CommandResult history = runCommand({kPython, "-m", "alembic", "-c", ini.string(), "history"}, env);
    ASSERT_EQ(history.exit_code, 0) << history.output;
  }

  TempDir dir_;
  fs::path clone_;
  fs::path alembic_;
  std::vector<std::string> commits_;
  std::size_t real_revisions_ = 0;
};

TEST_F(SdmSchemasHistory, MigrateEveryConsecutivePairOntoConsdbsChain) {
  std::size_t expected = real_revisions_;
  std::size_t changed_pairs = 0;
  for (std::size_t i = 1; i < commits_.size(); ++i) {
    const std::string& a = commits_[i - 1];
    const std::string& b = commits_[i];
    SCOPED_TRACE("pair " + a.substr(0, 7) + " -> " + b.substr(0, 7));
    git({"checkout", "-q", b});
    // What the database sees of the change: diff's plan (0: none; 1: changes).
    CommandResult plan = felisc(
        {"diff", "--exit-code", "--allow-data-loss", a + ":yml/cdb_latiss.yaml", b + ":yml/cdb_latiss.yaml"});
    ASSERT_TRUE(plan.exit_code == 0 || plan.exit_code == 1) << plan.output;
    if (latissAt(a) == latissAt(b)) {
      EXPECT_EQ(plan.exit_code, 0) << "content unchanged: no plan";
    }
    const bool changes = plan.exit_code == 1;

    const std::vector<std::string> args = {
        "migrate",       "--sdm-schemas",   clone_.string(),     "--base",        a,
        "--alembic-dir", alembic_.string(), "--allow-data-loss", "--create-date", kDate};
    CommandResult run = felisc(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(run.output.find(" added "), std::string::npos) << run.output;
    if (changes) ++expected;
    ASSERT_EQ(pyCount(versions()), expected) << run.output;
    EXPECT_EQ(run.output.find("cdb_startrackerwide ("), std::string::npos) << "never changes" << run.output;

    CommandResult again = felisc(args);
    ASSERT_EQ(again.exit_code, 0) << again.output;
    ASSERT_EQ(pyCount(versions()), expected) << "a second run writes nothing\n" << again.output;
    if (changes) {
      EXPECT_NE(again.output.find("already carries this change"), std::string::npos) << again.output;
    }
    changed_pairs += changes ? 1 : 0;
  }
  EXPECT_GE(changed_pairs, 20u) << "most pairs of the history change the database";
  expectOneHead(alembic_ / "latiss");
}

TEST_F(SdmSchemasHistory, DiffRevPathEveryConsecutivePairOntoConsdbsChain) {
  std::size_t expected = real_revisions_;
  for (std::size_t i = 1; i < commits_.size(); ++i) {
    const std::string& a = commits_[i - 1];
    const std::string& b = commits_[i];
    SCOPED_TRACE("pair " + a.substr(0, 7) + " -> " + b.substr(0, 7));
    const std::vector<std::string> args = {"diff",
                                           a + ":yml/cdb_latiss.yaml",
                                           b + ":yml/cdb_latiss.yaml",
                                           "--format",
                                           "alembic",
                                           "--alembic-dir",
                                           (alembic_ / "latiss").string(),
                                           "--allow-data-loss",
                                           "--create-date",
                                           kDate,
                                           "--exit-code"};
    CommandResult run = felisc(args);
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.output;
    if (latissAt(a) == latissAt(b)) {
      EXPECT_EQ(run.exit_code, 0) << run.output;
    }
    if (run.exit_code == 1) ++expected;
    ASSERT_EQ(pyCount(versions()), expected) << run.output;
    CommandResult again = felisc(args);
    ASSERT_EQ(again.exit_code, run.exit_code) << again.output;
    ASSERT_EQ(pyCount(versions()), expected) << "a second run writes nothing\n" << again.output;
  }
  expectOneHead(alembic_ / "latiss");
}

TEST_F(SdmSchemasHistory, AMovedSchemaWithHistoryIsNeverAdded) {
  // At the last commit the files live under python/lsst/sdm/schemas and `yml` is a link;
  // looking only in a directory that never held them, cdb_latiss is not at the base, but
  // its Alembic folder has revisions: that is an error naming the file, and nothing is written.
  const std::string moved =
      lines(git({"log", "--format=%H", "--grep", "Move schema files to lsst.sdm.schemas module"})).at(0);
  // The working tree has the files there, the base (before the second move) does not.
  CommandResult run =
      felisc({"migrate", "--sdm-schemas", clone_.string(), "--base", moved + "^", "--alembic-dir",
              alembic_.string(), "--schemas-dir", "python/lsst/sdm/schemas", "--create-date", kDate});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("cdb_latiss has 16 revisions in"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("cdb_latiss.yaml was not found at"), std::string::npos) << run.output;
  EXPECT_EQ(pyCount(versions()), real_revisions_);
}

}  // namespace
}  // namespace felisc::testing
