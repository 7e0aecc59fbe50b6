// The command line as users expect it (issue 14): did-you-mean for commands and
// options, `felisc help [COMMAND]`, an example in each --help, usage naming
// `felisc`, `felisc explain` and docs/diagnostics.md, felis's spellings, a bare
// --lock-timeout number refused, `-` as standard input, colour, SQLAlchemy URLs,
// and source lines shown safely. One test per behaviour.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/catalog/conninfo.h"
#include "compiler/cli/output.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string cliFixture(const std::string& name) { return (fixturesDir() / "cli" / name).string(); }
std::string demo(const std::string& name) { return (fixturesDir() / "demo" / name).string(); }

const std::vector<std::string> kCommands = {"validate", "create", "diff",    "inspect",
                                            "verify",   "drift",  "migrate", "explain"};

/// Runs the felisc binary through the shell (for stdin and the environment).
std::string shell(const std::string& command, int& status) {
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    int raw = ::pclose(pipe);
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }
  return out;
}

TEST(CliBehaviour, MisspelledCommandGetsASuggestion) {
  CliRun run = runFelisc({"valdate", cliFixture("valid.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown command 'valdate'; did you mean 'validate'?"), std::string::npos)
      << run.err;
}

TEST(CliBehaviour, UnknownCommandListsTheCommands) {
  CliRun run = runFelisc({"foo"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown command 'foo'\n"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("the commands are validate create diff"), std::string::npos) << run.err;
}

TEST(CliBehaviour, MisspelledOptionGetsASuggestion) {
  CliRun run = runFelisc({"diff", "--formt", "json", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("diff: unknown option '--formt'; did you mean '--format'?"), std::string::npos)
      << run.err;
  CliRun with_value = runFelisc({"validate", "--chek-description=1", cliFixture("valid.yaml")});
  EXPECT_NE(with_value.err.find("did you mean '--check-description'?"), std::string::npos) << with_value.err;
}

TEST(CliBehaviour, OptionsOfACommandOfACommandAreKnown) {
  // `tap create` takes --init; a misspelling is judged against tap create's options.
  CliRun run = runFelisc({"tap", "create", "--iniit", "x.yaml"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown option '--iniit'; did you mean '--init'?"), std::string::npos) << run.err;
  CliRun known = runFelisc({"tap", "create", "--init", (fixturesDir() / "demo" / "old.yaml").string()});
  EXPECT_EQ(known.exit_code, 0) << known.err;
  EXPECT_NE(known.out.find("CREATE TABLE"), std::string::npos);
}

TEST(CliBehaviour, HelpCommand) {
  CliRun all = runFelisc({"help"});
  EXPECT_EQ(all.exit_code, 0);
  EXPECT_NE(all.out.find("Usage: felisc"), std::string::npos) << all.out;
  for (const auto& command : kCommands) EXPECT_NE(all.out.find("  " + command), std::string::npos) << command;
  CliRun one = runFelisc({"help", "diff"});
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_NE(one.out.find("Usage: felisc diff"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("--format"), std::string::npos);
  CliRun misspelled = runFelisc({"help", "dif"});
  EXPECT_EQ(misspelled.exit_code, 2);
  EXPECT_NE(misspelled.err.find("did you mean 'diff'?"), std::string::npos) << misspelled.err;
}

TEST(CliBehaviour, EveryCommandHelpHasAnExampleAndSaysFelisc) {
  for (const auto& command : kCommands) {
    CliRun run = runFelisc({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find("Usage: felisc " + command), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Example:\n  felisc " + command + " "), std::string::npos) << run.out;
  }
}

TEST(CliBehaviour, UsageSaysFeliscNotArgv0) {
  int status = 0;
  std::string out = shell(std::string(FELISC_BINARY) + " --help", status);
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("Usage: felisc "), std::string::npos) << out;
  EXPECT_EQ(out.find(FELISC_BINARY), std::string::npos) << out;
}

TEST(CliBehaviour, ExplainACode) {
  CliRun run = runFelisc({"explain", "FEL101"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("FEL101 (error"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("unknown key '%0' in %1"), std::string::npos) << run.out;
  EXPECT_EQ(runFelisc({"explain", "101"}).out, run.out);
  CliRun unknown = runFelisc({"explain", "FEL999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no diagnostic code 'FEL999'"), std::string::npos) << unknown.err;
}

TEST(CliBehaviour, CatalogueOfCodesInDocsIsCurrent) {
  CliRun run = runFelisc({"explain", "--list", "--format", "markdown"});
  ASSERT_EQ(run.exit_code, 0);
  const fs::path docs = fs::path(FELISC_SOURCE_DIR) / "docs" / "diagnostics.md";
  const char* update = std::getenv("FELISC_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") std::ofstream(docs, std::ios::binary) << run.out;
  EXPECT_EQ(run.out, readFile(docs))
      << "docs/diagnostics.md is stale: run the test with FELISC_UPDATE_GOLDEN=1";
  EXPECT_NE(run.out.find("| FEL101 | error | `unknown key '%0' in %1` |"), std::string::npos);
}

TEST(CliBehaviour, SchemaNameIsFelissSpellingOfSchema) {
  CliRun felis = runFelisc({"create", "--schema-name", "other", demo("old.yaml")});
  CliRun felisc = runFelisc({"create", "--schema", "other", demo("old.yaml")});
  EXPECT_EQ(felis.exit_code, 0) << felis.err;
  EXPECT_EQ(felis.out, felisc.out);
  EXPECT_NE(felis.out.find("other."), std::string::npos);
}

TEST(CliBehaviour, GlobalNoIdGenerationAsInFelis) {
  // A file without @ids: the command's flag and felis's global one agree.
  fs::path file = fs::temp_directory_path() / ("felisc-no-ids-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << "name: s\ntables:\n- name: t\n  columns:\n  - name: c\n    datatype: int\n";
  CliRun global = runFelisc({"--no-id-generation", "validate", file.string()});
  CliRun local = runFelisc({"validate", "--no-id-generation", file.string()});
  CliRun generated = runFelisc({"validate", file.string()});
  fs::remove(file);
  EXPECT_EQ(generated.exit_code, 0) << generated.err;
  EXPECT_EQ(local.exit_code, 1) << local.err;
  EXPECT_EQ(global.exit_code, local.exit_code);
  EXPECT_EQ(global.err, local.err);
}

TEST(CliBehaviour, BareNumberLockTimeoutIsRefused) {
  CliRun run = runFelisc({"diff", "--lock-timeout", "10", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("'10' has no unit, which PostgreSQL reads as milliseconds: write 10ms or 10s"),
            std::string::npos)
      << run.err;
  // With a unit it plans (exit 0: the one exit-code table; 1 only with --exit-code).
  EXPECT_EQ(runFelisc({"diff", "--lock-timeout", "10s", demo("old.yaml"), demo("new.yaml")}).exit_code, 0);
}

TEST(CliBehaviour, DashReadsStandardInput) {
  int status = 0;
  std::string out = shell(std::string(FELISC_BINARY) + " create - < '" + demo("old.yaml") + "'", status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(out, runFelisc({"create", demo("old.yaml")}).out);
}

TEST(CliBehaviour, ColourFollowsColorAndNoColor) {
  CliRun always = runFelisc({"--color", "always", "validate", cliFixture("invalid.yaml")});
  EXPECT_NE(always.err.find("\x1b[1;31merror:\x1b[0m unknown key 'nulable'"), std::string::npos)
      << always.err;
  EXPECT_NE(always.err.find("\x1b[1;32m      ^\x1b[0m\n"), std::string::npos) << always.err;
  CliRun never = runFelisc({"--color=never", "validate", cliFixture("invalid.yaml")});
  EXPECT_EQ(never.err.find('\x1b'), std::string::npos);
  // auto: a terminal only, and never with NO_COLOR (https://no-color.org).
  EXPECT_EQ(runFelisc({"validate", cliFixture("invalid.yaml")}).err, never.err);
  int status = 0;
  std::string through_script = shell("NO_COLOR=1 script -qec \"" + std::string(FELISC_BINARY) +
                                         " validate '" + cliFixture("invalid.yaml") + "'\" /dev/null",
                                     status);
  EXPECT_EQ(through_script.find('\x1b'), std::string::npos) << through_script;
  // On a terminal (script(1) gives it one) without NO_COLOR: coloured.
  std::string on_terminal = shell("env -u NO_COLOR script -qec \"" + std::string(FELISC_BINARY) +
                                      " validate '" + cliFixture("invalid.yaml") + "'\" /dev/null",
                                  status);
  EXPECT_NE(on_terminal.find("\x1b[1;31merror:"), std::string::npos) << on_terminal;
}

TEST(CliBehaviour, ColourOnlyTheSeverity) {
  EXPECT_EQ(cli::colorizeDiagnosticLine("f.yaml:1:2: warning: error: x\n"),
            "f.yaml:1:2: \x1b[1;35mwarning:\x1b[0m error: x\n");
  EXPECT_EQ(cli::colorizeDiagnosticLine("felisc: note: a\n"), "felisc: \x1b[1;36mnote:\x1b[0m a\n");
  EXPECT_EQ(cli::colorizeDiagnosticLine("  name: error: x\n"), "  name: error: x\n");
}

TEST(CliBehaviour, SqlAlchemyUrlsLoseTheirDriver) {
  EXPECT_EQ(catalog::libpqConninfo("postgresql+psycopg2://u:p@db.example:5432/consdb"),
            "postgresql://u:p@db.example:5432/consdb");
  EXPECT_EQ(catalog::libpqConninfo("postgres+asyncpg://h/d"), "postgres://h/d");
  EXPECT_EQ(catalog::libpqConninfo("host=h dbname=d"), "host=h dbname=d");
  // Through the command: the error names the host, not a Unix socket, and no password.
  CliRun run = runFelisc({"drift", "postgresql+psycopg2://u:secret@127.0.0.1:1/consdb", demo("old.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("127.0.0.1"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("socket"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("secret"), std::string::npos) << run.err;
}

TEST(CliBehaviour, EngineUrlEnvironmentAsFelisAndConsdb) {
  ::setenv("CONSDB_URL", "postgresql+psycopg2://consdb@127.0.0.2:1/consdb", 1);
  EXPECT_EQ(catalog::libpqConninfo(""), "postgresql://consdb@127.0.0.2:1/consdb");
  ::setenv("FELIS_ENGINE_URL", "postgresql://felis@127.0.0.3:1/felis", 1);
  EXPECT_EQ(catalog::libpqConninfo(""), "postgresql://felis@127.0.0.3:1/felis");  // felis's first
  EXPECT_EQ(catalog::libpqConninfo("dbname=x"), "dbname=x");                      // an argument wins
  CliRun run = runFelisc({"drift", "", demo("old.yaml")});
  ::unsetenv("FELIS_ENGINE_URL");
  ::unsetenv("CONSDB_URL");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("127.0.0.3"), std::string::npos) << run.err;
}

TEST(CliBehaviour, SourceLinesAreEscapedAndCut) {
  fs::path file = fs::temp_directory_path() / ("felisc-binary-" + std::to_string(::getpid()) + ".yaml");
  std::string long_value(3000, 'x');
  std::ofstream(file, std::ios::binary)
      << "name: s\ntables:\n- name: t\n  nulable: \x01\xff" << long_value << "\n";
  CliRun run = runFelisc({"validate", file.string()});
  fs::remove(file);
  EXPECT_EQ(run.exit_code, 1);
  std::istringstream lines(run.err);
  bool shown = false;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 200u) << line.substr(0, 200);
    if (line.find("nulable: <U+0001><FF>xxx") != std::string::npos) {
      shown = true;
      EXPECT_TRUE(line.ends_with("...")) << line;
    }
  }
  EXPECT_TRUE(shown) << run.err.substr(0, 2000);
}

TEST(CliBehaviour, DifferentSchemaNamesGetAWarningNamingBoth) {
  const fs::path yml = sdmSchemasDir() / "yml";
  CliRun run = runFelisc({"diff", "--allow-data-loss", "--format", "text", (yml / "cdb_latiss.yaml").string(),
                          (yml / "cdb_lsstcam.yaml").string()});
  EXPECT_NE(
      run.err.find("warning: the sides are different schemas, 'cdb_latiss' (old) and 'cdb_lsstcam' (new)"),
      std::string::npos)
      << run.err;
  CliRun same = runFelisc({"diff", "--format", "text", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(same.err.find("different schemas"), std::string::npos) << same.err;
}

TEST(CliBehaviour, ViewsWhereTheFileHasTablesHintAtProfile) {
  // drift's differences as a database deployed with a profile gives them.
  std::vector<model::Difference> differences = {{{"table exposure"}, "missing", "present", "absent"},
                                                {{"view exposure"}, "unexpected", "absent", "present"},
                                                {{"table visit"}, "missing", "present", "absent"}};
  std::vector<std::string> hint = cli::profileHint(differences);
  ASSERT_EQ(hint.size(), 1u);
  EXPECT_EQ(hint[0],
            "felisc: note: tables of the file are views in the database (exposure): was it deployed with a "
            "profile? compare with --profile PROFILE\n");
  EXPECT_TRUE(cli::profileHint({differences[2]}).empty());
  // diff with a database side: the two models.
  model::Schema file;
  file.tables.resize(1);
  file.tables[0].name = "exposure";
  model::Schema database;
  database.views.resize(1);
  database.views[0].name = "exposure";
  EXPECT_EQ(cli::profileHint(file, database).size(), 1u);
  EXPECT_TRUE(cli::profileHint(file, model::Schema{}).empty());
}

}  // namespace
}  // namespace felisc::testing
