#include "tests/support/pg_test_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace felisc::testing {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;  // PostgreSQL's NAMEDATALEN - 1
constexpr std::size_t kMaxStatementShown = 4000;

std::string trim(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

const char* howToRun() {
  return "database tests need the throwaway PostgreSQL that ctest starts (fixture pg_server): "
         "run them through ctest, e.g. `ctest -L pg` in the build directory, or run tools/test.sh";
}

/// Reads the one-line conninfo file at `path`; fails the test when it cannot.
std::string readConninfoFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string conninfo;
  if (in) std::getline(in, conninfo);
  conninfo = trim(conninfo);
  if (conninfo.empty()) ADD_FAILURE() << "cannot read a conninfo from " << path << ": " << howToRun();
  return conninfo;
}

std::filesystem::path conninfoFile() {
  const char* file = std::getenv(PgServer::kConninfoFileVariable);
  if (file == nullptr || *file == '\0') {
    ADD_FAILURE() << PgServer::kConninfoFileVariable << " is not set: " << howToRun();
    return {};
  }
  return file;
}

/// A conninfo value as libpq parses it: bare when it can be (so that the result
/// reads like the fixture's own `host=127.0.0.1 port=N ...`), else in single quotes.
std::string quoteConninfoValue(std::string_view value) {
  const bool bare = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-' || c == '/' ||
           c == ':' || c == ',';
  });
  if (bare) return std::string(value);
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string field(const PGresult* result, int code) {
  const char* text = PQresultErrorField(result, code);
  return text == nullptr ? std::string() : std::string(text);
}

/// Byte offset of the 1-based character position `position` in UTF-8 `text`.
std::size_t byteOffsetOfCharacter(std::string_view text, long position) {
  std::size_t offset = 0;
  for (long seen = 1; offset < text.size(); ++offset) {
    if ((static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) continue;  // continuation byte
    if (seen++ == position) break;
  }
  return offset;
}

/// "at line L, column C:" plus the line and a caret under the error position.
std::string describePosition(std::string_view sql, const std::string& position_text) {
  const long position = std::strtol(position_text.c_str(), nullptr, 10);
  if (position <= 0) return {};
  const std::size_t offset = std::min(byteOffsetOfCharacter(sql, position), sql.size());
  const std::size_t line_start = sql.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t begin = (line_start == std::string_view::npos || offset == 0) ? 0 : line_start + 1;
  const std::size_t end = std::min(sql.find('\n', offset), sql.size());
  const auto line = std::count(sql.begin(), sql.begin() + static_cast<std::ptrdiff_t>(begin), '\n') + 1;
  const std::string_view before = sql.substr(begin, offset - begin);
  const auto column = static_cast<std::size_t>(std::count_if(before.begin(), before.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // count characters, not bytes
  }));
  std::ostringstream out;
  out << "at line " << line << ", column " << column + 1 << ":\n  " << sql.substr(begin, end - begin)
      << "\n  " << std::string(column, ' ') << "^\n";
  return out.str();
}

std::string describeStatement(std::string_view sql) {
  if (sql.size() <= kMaxStatementShown) return std::string(sql);
  return std::string(sql.substr(0, kMaxStatementShown)) + "\n... (" + std::to_string(sql.size()) +
         " bytes in all)";
}

void collectNotice(void* arg, const PGresult* result) {
  auto* notices = static_cast<std::vector<std::string>*>(arg);
  notices->push_back(field(result, PG_DIAG_SEVERITY_NONLOCALIZED) + ": " +
                     field(result, PG_DIAG_MESSAGE_PRIMARY));
}

std::string sanitizeForIdentifier(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const char lowered = static_cast<char>(std::tolower(u));
    const bool word = std::isalnum(u) != 0 && u < 0x80;
    if (word) {
      out += lowered;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

}  // namespace

// ---------------------------------------------------------------- PgServer

std::string PgServer::conninfo() {
  const std::filesystem::path file = conninfoFile();
  return file.empty() ? std::string() : readConninfoFile(file);
}

std::string PgServer::passwordConninfo() {
  const std::filesystem::path file = conninfoFile();
  return file.empty() ? std::string() : readConninfoFile(file.parent_path() / "conninfo_password");
}

std::string PgServer::withDatabase(const std::string& conninfo, const std::string& database) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    ADD_FAILURE() << "bad conninfo: " << (error != nullptr ? error : "out of memory");
    PQfreemem(error);
    return {};
  }
  std::string result;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr || std::string_view(option->keyword) == "dbname") continue;
    result += std::string(option->keyword) + "=" + quoteConninfoValue(option->val) + " ";
  }
  PQconninfoFree(options);
  return result + "dbname=" + quoteConninfoValue(database);
}

// ------------------------------------------------------------- PgConnection

PgConnection::PgConnection(const std::string& conninfo) {
  if (!connect(conninfo)) ADD_FAILURE() << "cannot connect to PostgreSQL: " << error_;
}

PgConnection PgConnection::tryConnect(const std::string& conninfo) {
  PgConnection connection;
  connection.connect(conninfo);
  return connection;
}

PgConnection::PgConnection(PgConnection&&) noexcept = default;
PgConnection& PgConnection::operator=(PgConnection&&) noexcept = default;
PgConnection::~PgConnection() = default;

bool PgConnection::connect(const std::string& conninfo) {
  if (conninfo.empty()) {
    error_ = "no conninfo";
    return false;
  }
  conn_.reset(PQconnectdb(conninfo.c_str()));
  if (conn_ == nullptr || PQstatus(conn_.get()) != CONNECTION_OK) {
    error_ = conn_ == nullptr ? "out of memory" : trim(PQerrorMessage(conn_.get()));
    conn_.reset();
    return false;
  }
  PQsetNoticeReceiver(conn_.get(), collectNotice, notices_.get());
  return true;
}

bool PgConnection::ok() const { return conn_ != nullptr && PQstatus(conn_.get()) == CONNECTION_OK; }

PgConnection::ResultPtr PgConnection::run(std::string_view sql, PgOutcome& outcome) {
  outcome = PgOutcome{};
  if (conn_ == nullptr) {
    outcome.message = "not connected" + (error_.empty() ? std::string() : " (" + error_ + ")");
    outcome.report = outcome.message + "; statement:\n" + describeStatement(sql);
    return nullptr;
  }
  ResultPtr result(PQexec(conn_.get(), std::string(sql).c_str()));
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    outcome.ok = true;
    return result;
  }
  outcome.sqlstate = field(result.get(), PG_DIAG_SQLSTATE);
  outcome.message = field(result.get(), PG_DIAG_MESSAGE_PRIMARY);
  if (outcome.message.empty())  // not a server error: lost connection, COPY, ...
    outcome.message = result == nullptr ? trim(PQerrorMessage(conn_.get()))
                                        : "unexpected result status " + std::string(PQresStatus(status));
  std::ostringstream report;
  report << "PostgreSQL error: " << outcome.message;
  if (!outcome.sqlstate.empty()) report << " [SQLSTATE " << outcome.sqlstate << "]";
  report << '\n';
  if (auto detail = field(result.get(), PG_DIAG_MESSAGE_DETAIL); !detail.empty())
    report << "DETAIL: " << detail << '\n';
  if (auto hint = field(result.get(), PG_DIAG_MESSAGE_HINT); !hint.empty())
    report << "HINT: " << hint << '\n';
  if (auto context = field(result.get(), PG_DIAG_CONTEXT); !context.empty())
    report << "CONTEXT: " << context << '\n';
  report << describePosition(sql, field(result.get(), PG_DIAG_STATEMENT_POSITION));
  report << "statement:\n" << describeStatement(sql);
  outcome.report = report.str();
  return nullptr;
}

bool PgConnection::exec(std::string_view sql) {
  PgOutcome outcome;
  if (run(sql, outcome) != nullptr) return true;
  ADD_FAILURE() << outcome.report;
  return false;
}

PgOutcome PgConnection::tryExec(std::string_view sql) {
  PgOutcome outcome;
  run(sql, outcome);
  return outcome;
}

PgRows PgConnection::query(std::string_view sql) {
  PgOutcome outcome;
  const ResultPtr result = run(sql, outcome);
  if (result == nullptr) {
    ADD_FAILURE() << outcome.report;
    return {};
  }
  PgRows rows;
  const int row_count = PQntuples(result.get());
  const int column_count = PQnfields(result.get());
  rows.reserve(static_cast<std::size_t>(row_count));
  for (int r = 0; r < row_count; ++r) {
    PgRow& row = rows.emplace_back();
    row.reserve(static_cast<std::size_t>(column_count));
    for (int c = 0; c < column_count; ++c) {
      if (PQgetisnull(result.get(), r, c) != 0)
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                     static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
    }
  }
  return rows;
}

PgValue PgConnection::queryValue(std::string_view sql) {
  PgRows rows = query(sql);
  if (rows.size() != 1 || rows[0].size() != 1) {
    ADD_FAILURE() << "expected exactly one value, got " << rows.size() << " row(s) of "
                  << (rows.empty() ? 0 : rows[0].size()) << " column(s) from:\n"
                  << describeStatement(sql);
    return std::nullopt;
  }
  return std::move(rows[0][0]);
}

// ---------------------------------------------------------- ScratchDatabase

std::string uniqueDatabaseName() {
  static std::atomic<unsigned> counter{0};
  std::string test = "notest";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info(); info != nullptr)
    test = sanitizeForIdentifier(std::string(info->test_suite_name()) + "_" + info->name());
  const std::string prefix = "felisc_";
  const std::string suffix = "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const std::size_t room = kMaxIdentifierBytes - prefix.size() - suffix.size();
  if (test.size() > room) test.resize(room);
  while (!test.empty() && test.back() == '_') test.pop_back();
  return prefix + test + suffix;
}

ScratchDatabase::ScratchDatabase() : ScratchDatabase(Options{}) {}

ScratchDatabase::ScratchDatabase(Options options) {
  const std::string server = PgServer::conninfo();
  if (server.empty()) return;
  admin_ = PgConnection(server);
  if (!admin_.ok()) return;
  name_ = uniqueDatabaseName();
  // The name is [a-z0-9_] only (uniqueDatabaseName), so it needs no quoting.
  if (!admin_.exec("CREATE DATABASE " + name_)) return;
  created_ = true;
  conninfo_ = PgServer::withDatabase(server, name_);
  connection_ = PgConnection(conninfo_);
  if (!connection_.ok()) return;
  if (options.pg_sphere && !connection_.exec("CREATE EXTENSION pg_sphere")) return;
  ok_ = true;
}

ScratchDatabase::~ScratchDatabase() {
  connection_ = PgConnection();  // disconnect first; FORCE ends any other session
  if (created_ && admin_.ok()) admin_.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace felisc::testing
