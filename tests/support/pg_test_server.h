/// \file
/// Test support for tests that need PostgreSQL: the throwaway server that CTest's
/// `pg_server` fixture starts (tools/pg-test-cluster.sh), scratch databases on
/// it, and statements whose failures fail the test with the server's own words.
///
/// Written straight over libpq, not over felisc's own connection code, so that a
/// bug there cannot hide behind the harness that tests it.
///
/// Typical use:
/// \code
///   felisc::testing::ScratchDatabase db({.pg_sphere = true});
///   ASSERT_TRUE(db.ok());
///   ASSERT_TRUE(db.exec("CREATE TABLE t (p spoly)"));
///   auto rows = db.query("SELECT format_type(atttypid, atttypmod) FROM ...");
/// \endcode
///
/// There is no skipping: when the server is not there (the test binary was run
/// outside ctest) every database test fails and says how to run it.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace felisc::testing {

/// One field of a result row: nullopt is SQL NULL, distinct from "".
using PgValue = std::optional<std::string>;
using PgRow = std::vector<PgValue>;
using PgRows = std::vector<PgRow>;

/// What a statement that was allowed to fail did (see PgConnection::tryExec).
struct PgOutcome {
  bool ok = false;
  std::string sqlstate;  ///< five characters, e.g. "42P01"; empty on success
  std::string message;   ///< the server's primary message; empty on success
  std::string report;    ///< message, detail, hint, position and the statement, for failure output
};

/// Where the fixture's server is.
class PgServer {
 public:
  /// Name of the environment variable that names the conninfo file.
  static constexpr const char* kConninfoFileVariable = "FELISC_TEST_PG_CONNINFO_FILE";

  /// The superuser conninfo (`host=127.0.0.1 port=N user=postgres dbname=postgres`),
  /// read from the file named by $FELISC_TEST_PG_CONNINFO_FILE. When that is unset
  /// or unreadable, fails the calling test (saying to run it through ctest) and
  /// returns "".
  static std::string conninfo();
  /// The conninfo of `felisc_password`, a login role that must give its password
  /// over TCP (file conninfo_password beside the conninfo file). "" and a test
  /// failure when missing.
  static std::string passwordConninfo();
  /// `conninfo` with its dbname replaced by `database`.
  static std::string withDatabase(const std::string& conninfo, const std::string& database);
};

/// One libpq connection. Notices are collected (see notices()), not printed.
class PgConnection {
 public:
  /// Connects; on failure the test fails with libpq's message and ok() is false.
  explicit PgConnection(const std::string& conninfo);
  /// Connects without failing the test; ok() and error() tell what happened.
  static PgConnection tryConnect(const std::string& conninfo);
  /// Not connected: every statement fails the test.
  PgConnection() = default;

  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  [[nodiscard]] bool ok() const;
  /// libpq's message when the connection failed.
  [[nodiscard]] const std::string& error() const { return error_; }
  /// The raw handle, for tests that drive libpq directly (null when !ok()).
  [[nodiscard]] PGconn* raw() const { return conn_.get(); }

  /// Runs `sql` (one statement or several separated by `;`). On an error, fails
  /// the test with the server's message, SQLSTATE, position and the statement,
  /// and returns false.
  bool exec(std::string_view sql);
  /// Runs `sql` and returns the rows of its (last) result; on an error, fails the
  /// test as exec() does and returns no rows.
  PgRows query(std::string_view sql);
  /// The single value of a one-row, one-column query; fails the test (and returns
  /// nullopt) when the result has another shape.
  PgValue queryValue(std::string_view sql);
  /// Runs `sql` for a test that expects it may fail: never fails the test.
  PgOutcome tryExec(std::string_view sql);

  /// NOTICE/WARNING messages received so far, oldest first.
  [[nodiscard]] const std::vector<std::string>& notices() const { return *notices_; }

 private:
  struct Finish {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  struct Clear {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  using ResultPtr = std::unique_ptr<PGresult, Clear>;

  bool connect(const std::string& conninfo);
  /// Runs `sql`; returns the last result on success, else null with `outcome` filled.
  ResultPtr run(std::string_view sql, PgOutcome& outcome);

  std::unique_ptr<PGconn, Finish> conn_;
  std::string error_;
  // On the heap so the notice receiver's pointer survives moves.
  std::unique_ptr<std::vector<std::string>> notices_ = std::make_unique<std::vector<std::string>>();
};

/// A database of its own for one test: created on the fixture's server with a
/// name unique to the process and the test (felisc_<test>_<pid>_<n>), connected,
/// and dropped WITH (FORCE) when the object goes away, even when the test failed.
class ScratchDatabase {
 public:
  struct Options {
    bool pg_sphere = false;  ///< CREATE EXTENSION pg_sphere in it
  };

  ScratchDatabase();
  explicit ScratchDatabase(Options options);
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  ~ScratchDatabase();

  /// Created, connected and (if asked) pgsphere installed. Tests ASSERT it.
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  /// A conninfo for this database (superuser), e.g. for felisc itself.
  [[nodiscard]] const std::string& conninfo() const { return conninfo_; }
  [[nodiscard]] PgConnection& connection() { return connection_; }

  /// PgConnection::exec/query/queryValue/tryExec on this database.
  bool exec(std::string_view sql) { return connection_.exec(sql); }
  PgRows query(std::string_view sql) { return connection_.query(sql); }
  PgValue queryValue(std::string_view sql) { return connection_.queryValue(sql); }
  PgOutcome tryExec(std::string_view sql) { return connection_.tryExec(sql); }

 private:
  std::string name_;
  std::string conninfo_;
  PgConnection admin_;       ///< to the postgres database: creates and drops
  PgConnection connection_;  ///< to the scratch database
  bool created_ = false;
  bool ok_ = false;
};

/// A database name unique to this process and the running test: lower case,
/// [a-z0-9_], at most 63 bytes, starting with "felisc_".
std::string uniqueDatabaseName();

}  // namespace felisc::testing
