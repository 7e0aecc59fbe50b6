// The review outputs people read in a pull request: `felisc diff --format
// markdown` and `--format text` on real pairs of history/cdb_latiss, against the
// goldens in fixtures/review/ (FELISC_UPDATE_GOLDEN=1 rewrites them; review the
// diff), the Markdown rendered by Debian's cmark-gfm as GitHub would, and the
// layout rules the review promises (markers in the first column, one lock line
// per table, DELETES_DATA counted as data loss, SQL shortened to fit a comment).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "compiler/verify/drift_markdown.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "emitters/plan_markdown.h"
#include "emitters/plan_text.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

bool updateGolden() {
  const char* update = std::getenv("FELISC_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

void expectGolden(const std::filesystem::path& golden, const std::string& actual) {
  if (updateGolden()) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " is missing; run with FELISC_UPDATE_GOLDEN=1 to create it, then review it";
  EXPECT_EQ(actual, readFile(golden)) << "the output differs from " << golden
                                      << "; if the change is intended, run the test with "
                                         "FELISC_UPDATE_GOLDEN=1 and review the diff";
}

std::filesystem::path historyDir() { return sdmSchemasDir() / "history" / "cdb_latiss"; }

/// The history file whose name starts with `number` ("31").
std::string historyFile(const std::string& number) {
  for (const auto& path : yamlFilesIn(historyDir()))
    if (path.filename().string().starts_with(number + "_")) return path.filename().string();
  ADD_FAILURE() << "no history file " << number;
  return {};
}

/// `felisc diff --allow-data-loss ARGS... OLD NEW` run inside history/cdb_latiss,
/// so that the labels are the bare file names (as in a repository checkout).
CliRun diffInHistory(const std::string& from, const std::string& to, std::vector<std::string> options) {
  std::vector<std::string> args = {"diff", "--allow-data-loss"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(historyFile(from));
  args.push_back(historyFile(to));
  std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(historyDir());
  CliRun run = runFelisc(args);
  std::filesystem::current_path(cwd);
  return run;
}

std::filesystem::path reviewFixtures() { return fixturesDir() / "review"; }

/// Real pairs: 31 -> 32 (56 changes, the example), 32 -> 33 (constraint
/// renames under one lock per table), 26 -> 27 (comments rewritten: old -> new).
const std::vector<std::pair<std::string, std::string>> kPairs = {{"31", "32"}, {"32", "33"}, {"26", "27"}};

TEST(ReviewOutput, MarkdownAndTextGoldensOnRealPairs) {
  for (const auto& [from, to] : kPairs) {
    std::string name = "cdb_latiss_" + from + "_" + to;
    CliRun markdown = diffInHistory(from, to, {"--format", "markdown"});
    EXPECT_EQ(markdown.exit_code, 0) << markdown.err;
    expectGolden(reviewFixtures() / (name + ".md"), markdown.out);
    CliRun text = diffInHistory(from, to, {"--format", "text"});
    EXPECT_EQ(text.exit_code, 0) << text.err;
    expectGolden(reviewFixtures() / (name + ".txt"), text.out);
  }
}

/// Runs cmark-gfm (GitHub's renderer, from Debian) on `markdown`; raw HTML kept
/// as GitHub keeps <details>.
std::string renderWithCmarkGfm(const std::string& markdown) {
  std::filesystem::path input =
      std::filesystem::temp_directory_path() / ("felisc-review-" + std::to_string(::getpid()) + ".md");
  std::ofstream(input, std::ios::binary) << markdown;
  std::string command = "cmark-gfm --unsafe -e table '" + input.string() + "'";
  std::string html;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) html.append(buffer, n);
    EXPECT_EQ(::pclose(pipe), 0) << command << " failed: is cmark-gfm installed (tools/install-deps.sh)?";
  }
  std::filesystem::remove(input);
  return html;
}

TEST(ReviewOutput, CmarkGfmRendersATableAndCollapsedSql) {
  CliRun markdown = diffInHistory("31", "32", {"--format", "markdown"});
  ASSERT_EQ(markdown.exit_code, 0) << markdown.err;
  std::string html = renderWithCmarkGfm(markdown.out);
  EXPECT_NE(html.find("<table>"), std::string::npos) << html.substr(0, 2000);
  EXPECT_NE(html.find("<details><summary>Upgrade SQL"), std::string::npos) << html.substr(0, 2000);
  EXPECT_NE(html.find("<details><summary>Downgrade SQL"), std::string::npos);
  EXPECT_NE(html.find("<code class=\"language-sql\">"), std::string::npos);
  EXPECT_EQ(html.find("|---"), std::string::npos) << "a table was not recognised";
}

TEST(ReviewOutput, TextMarkersStartTheLineSoADiffBlockColoursThem) {
  CliRun text = diffInHistory("31", "32", {"--format", "text"});
  std::istringstream lines(text.out);
  std::size_t markers = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(line.starts_with(" +") || line.starts_with(" -") || line.starts_with(" ~") ||
                 line.find("    + ") == 0 || line.find("    - ") == 0)
        << line;
    markers += line.starts_with("+ ") || line.starts_with("- ") || line.starts_with("~ ") ? 1 : 0;
  }
  EXPECT_GE(markers, 56u) << text.out;
}

TEST(ReviewOutput, OneLockLinePerTable) {
  for (const auto& [from, to] : kPairs) {
    CliRun text = diffInHistory(from, to, {"--format", "text"});
    std::map<std::string, int> locks;  // the lock line as written, per group
    std::string group;
    std::istringstream lines(text.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("table ") || line.starts_with("view ")) group = line;
      if (line.starts_with("! ACQUIRES_ACCESS_EXCLUSIVE_LOCK")) ++locks[group];
    }
    if (from != "26") {  // 26 -> 27 changes comments only: no lock
      EXPECT_FALSE(locks.empty()) << from << " -> " << to;
    }
    for (const auto& [table, count] : locks) EXPECT_EQ(count, 1) << table;
  }
}

TEST(ReviewOutput, DataLossCountsDeletesDataHazards) {
  // A dropped default carries DELETES_DATA: the data-loss line must not say none.
  std::string demo = (fixturesDir() / "diff" / "hazard_dropped_default").string();
  CliRun text = runFelisc({"diff", "--format", "text", demo + "/old.yaml", demo + "/new.yaml"});
  EXPECT_NE(text.out.find("! DELETES_DATA"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("data loss: 1 change: alter column exposure.band"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("data loss: none"), std::string::npos) << text.out;
}

TEST(ReviewOutput, CommentsShowOldAndNew) {
  CliRun text = diffInHistory("26", "27", {"--format", "text"});
  std::istringstream lines(text.out);
  bool found = false;
  for (std::string line; std::getline(lines, line);)
    found = found || (line.starts_with("~ comment on ") && line.find("\" -> \"") != std::string::npos);
  EXPECT_TRUE(found) << text.out;
}

diff::Plan historyPlan(const std::string& from, const std::string& to) {
  felis::ReadOptions options;
  options.strict_felis = false;
  felis::ReadResult old_side = felis::readFelisFile((historyDir() / historyFile(from)).string(), options);
  felis::ReadResult new_side = felis::readFelisFile((historyDir() / historyFile(to)).string(), options);
  EXPECT_TRUE(old_side.schema && new_side.schema);
  if (!old_side.schema || !new_side.schema) return {};
  return diff::plan(diff::diffSchemas(*old_side.schema, *new_side.schema));
}

TEST(ReviewOutput, MarkdownPastTheLimitShortensTheSqlAndSaysSo) {
  diff::Plan plan = historyPlan("31", "32");
  ASSERT_FALSE(plan.empty());
  emit::MarkdownOptions unlimited;
  unlimited.limit = std::size_t{1} << 30;
  std::string whole = emit::planMarkdown(plan, diff::Direction::Up, unlimited);
  EXPECT_EQ(whole.find("shortened"), std::string::npos);
  emit::MarkdownOptions options;
  options.limit = whole.size() - 3000;  // the review part is far shorter: only the SQL must give
  std::string shortened = emit::planMarkdown(plan, diff::Direction::Up, options);
  EXPECT_LE(shortened.size(), options.limit);
  EXPECT_NE(shortened.find("The SQL is shortened to fit a GitHub comment"), std::string::npos);
  EXPECT_NE(shortened.find("-- ... shortened: "), std::string::npos);
  // The review part is whole, and both blocks still open and close.
  std::string review_part = whole.substr(0, whole.find("\n<details>"));
  EXPECT_EQ(shortened.substr(0, review_part.size()), review_part);
  EXPECT_NE(shortened.find(" steps), shortened</summary>"), std::string::npos) << shortened;
  std::size_t closes = 0;
  for (std::size_t at = shortened.find("</details>"); at != std::string::npos;
       at = shortened.find("</details>", at + 1))
    ++closes;
  EXPECT_EQ(closes, 2u);
}

TEST(ReviewOutput, CutAtLineKeepsWholeLines) {
  bool cut = false;
  EXPECT_EQ(emit::cutAtLine("a\nbb\nccc\n", 6, cut), "a\nbb\n");
  EXPECT_TRUE(cut);
  EXPECT_EQ(emit::cutAtLine("a\nbb\n", 6, cut), "a\nbb\n");
  EXPECT_FALSE(cut);
}

TEST(ReviewOutput, MarkdownEscapesWhatMarkdownWouldRead) {
  EXPECT_EQ(emit::markdownEscape("a|b <c> *d*\ne_f _g"), "a\\|b \\<c> \\*d\\* e_f \\_g");
  std::string details = emit::markdownDetails("S", "sql", "SELECT '```'");
  EXPECT_NE(details.find("````sql\nSELECT '```'\n````\n"), std::string::npos) << details;
}

TEST(ReviewOutput, DriftMarkdownGolden) {
  // A database still at history 31 checked against the file at 32: drift's
  // report as the comparison makes it (tests/pg runs drift on a server).
  felis::ReadOptions options;
  options.strict_felis = false;
  felis::ReadResult file = felis::readFelisFile((historyDir() / historyFile("32")).string(), options);
  felis::ReadResult database = felis::readFelisFile((historyDir() / historyFile("31")).string(), options);
  ASSERT_TRUE(file.schema && database.schema);
  verify::DriftReport report;
  report.schema = "cdb_latiss";
  report.file = "yml/cdb_latiss.yaml";
  verify::partitionColumnOrder(model::schemaDifferences(*file.schema, *database.schema), report.differences,
                               report.notes);
  ASSERT_FALSE(report.differences.empty());
  std::string markdown = verify::driftMarkdown(report);
  expectGolden(reviewFixtures() / "drift_cdb_latiss_31_against_32.md", markdown);
  std::string html = renderWithCmarkGfm(markdown);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_EQ(verify::driftMarkdown(verify::DriftReport{}).find("<table>"), std::string::npos);
}

TEST(ReviewOutput, MigrateMarkdownSummaryOnARealChange) {
  // An sdm_schemas-like checkout: cdb_latiss at history 31 committed, 32 in the
  // working tree, as a pull request would have it.
  std::filesystem::path repo =
      std::filesystem::temp_directory_path() / ("felisc-review-migrate-" + std::to_string(::getpid()));
  std::filesystem::remove_all(repo);
  std::filesystem::create_directories(repo / "yml");
  std::filesystem::copy_file(historyDir() / historyFile("31"), repo / "yml" / "cdb_latiss.yaml");
  std::string git = "cd '" + repo.string() + "' && git init -q && git add yml && " +
                    "git -c user.name=t -c user.email=t@t commit -qm base";
  ASSERT_EQ(std::system(git.c_str()), 0);
  std::filesystem::copy_file(historyDir() / historyFile("32"), repo / "yml" / "cdb_latiss.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  // ConsDB's alembic/ directory; latiss/versions/ starts a history here.
  std::filesystem::create_directories(repo / "alembic");
  CliRun run = runFelisc({"migrate", "--sdm-schemas", repo.string(), "--base", "HEAD", "--alembic-dir",
                          (repo / "alembic").string(), "--new-history", "latiss", "--no-profile", "--dry-run",
                          "--allow-data-loss", "--format", "markdown", "--create-date", "2026-01-02 00:00:00"});
  std::filesystem::remove_all(repo);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("| `cdb_latiss` | changed | 56 |"), std::string::npos) << run.out;
  expectGolden(reviewFixtures() / "migrate_cdb_latiss_31_32.md", run.out);
  std::string html = renderWithCmarkGfm(run.out);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_NE(html.find("<details>"), std::string::npos);
}

}  // namespace
}  // namespace felisc::testing
