/// \file
/// A small RAII wrapper over libpq: connections and query results.
///
/// Connections are opened the libpq way (a conninfo string, a `postgresql://`
/// URI, the `PG*` environment variables and `~/.pgpass`), always with UTF-8 as
/// the client encoding. Every message this wrapper hands out has passed through
/// `scrub()`: any password that was given (in the conninfo, the URI, PGPASSWORD
/// or the password file) is replaced, so that no output, log or error message of
/// felisc can carry one. The conninfo itself is never printed.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// libpq's opaque handles, declared here so that users of this header need no libpq headers.
struct pg_conn;
struct pg_result;

namespace felisc::catalog {

/// Why a libpq call failed, in words safe to show (passwords scrubbed).
struct Error {
  std::string message;   ///< one line per libpq line, no trailing newline
  std::string sqlstate;  ///< five-character SQLSTATE; empty for connection failures
  std::string detail;    ///< the server's DETAIL, if any
  std::string hint;      ///< the server's HINT, if any
  int position = 0;      ///< 1-based character position of the error in the statement; 0 if none
};

/// The rows of one query, every value as text.
class Result {
 public:
  Result() = default;
  explicit Result(pg_result* result);

  [[nodiscard]] int rows() const { return rows_; }
  [[nodiscard]] int columns() const { return columns_; }
  /// The value of a field; empty for NULL (see isNull()).
  [[nodiscard]] std::string_view get(int row, int column) const;
  [[nodiscard]] bool isNull(int row, int column) const;
  /// The index of a result column by name; -1 when there is none.
  [[nodiscard]] int columnIndex(std::string_view name) const;

 private:
  struct Free {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Free> result_;
  int rows_ = 0;
  int columns_ = 0;
};

/// One open connection. Movable, not copyable; closes itself.
class Connection {
 public:
  /// Connects with `conninfo` (a `key=value` string or a `postgresql://` URI; an
  /// empty string means the environment alone). Returns nullopt and fills `error`
  /// when the conninfo is malformed or the server refuses.
  static std::optional<Connection> open(std::string_view conninfo, Error& error);

  /// Runs one statement with text parameters. Counts towards queryCount().
  std::optional<Result> exec(std::string_view sql, std::span<const std::string> params, Error& error);
  /// The same without parameters.
  std::optional<Result> exec(std::string_view sql, Error& error) { return exec(sql, {}, error); }

  /// Statements sent since the connection was opened (or since resetQueryCount()).
  [[nodiscard]] std::size_t queryCount() const { return query_count_; }
  void resetQueryCount() { query_count_ = 0; }

  [[nodiscard]] std::string databaseName() const;
  [[nodiscard]] std::string userName() const;
  /// "host:port" (or the socket directory), for messages; never holds a password.
  [[nodiscard]] std::string serverDescription() const;
  /// The server's version number, e.g. 150018.
  [[nodiscard]] int serverVersion() const;
  /// True inside a transaction block (also a failed one).
  [[nodiscard]] bool inTransaction() const;

  /// `text` with every known password replaced by "********".
  [[nodiscard]] std::string scrub(std::string_view text) const;

  /// NOTICE and WARNING messages the server sent since the last call, oldest
  /// first, scrubbed. Collected here rather than printed to the process's stderr.
  std::vector<std::string> takeNotices();

 private:
  struct Close {
    void operator()(pg_conn* connection) const;
  };
  Connection(pg_conn* connection, std::vector<std::string> secrets);

  std::unique_ptr<pg_conn, Close> connection_;
  std::vector<std::string> secrets_;
  // On the heap, so that libpq's pointer to it survives moves of the Connection.
  std::unique_ptr<std::vector<std::string>> notices_ = std::make_unique<std::vector<std::string>>();
  std::size_t query_count_ = 0;
};

/// Every password-like value that `conninfo` (or the environment) could carry, in
/// every spelling libpq might echo: the `password` keyword, the password of a URI's
/// user info and a URI `password=` parameter, raw and percent-decoded, and
/// PGPASSWORD. Used to scrub messages; works on conninfo strings libpq rejects.
std::vector<std::string> secretsOf(std::string_view conninfo);

/// `text` with each of `secrets` replaced by "********" (longest first).
std::string scrubSecrets(std::string_view text, std::span<const std::string> secrets);

/// Quotes `items` as a PostgreSQL text array literal (`{"a","b\"c"}`), for
/// passing a list as one text parameter.
std::string textArrayLiteral(std::span<const std::string> items);

/// Parses a one-dimensional PostgreSQL array in text output form (`{a,"b c",NULL}`);
/// NULL elements become empty strings. Returns nullopt on malformed input.
std::optional<std::vector<std::string>> parseTextArray(std::string_view text);

}  // namespace felisc::catalog
