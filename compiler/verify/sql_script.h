/// \file
/// Splitting a PostgreSQL script into statements, without psql.
///
/// The script is cut at each `;` that ends a statement, exactly as the server's
/// lexer sees the text: not inside a quoted string (`'it''s'`, with backslash
/// escapes only in `E'...'`), a dollar-quoted string (`$$...$$`, `$tag$...$tag$`),
/// a quoted identifier (`"a;b"`), a `--` comment or a (nested) `/* */` comment,
/// nor inside parentheses (`CREATE RULE ... DO (a; b)`) or the `BEGIN ATOMIC ...
/// END` body of a SQL-standard function (psql's own heuristic: the statement
/// starts with CREATE [OR REPLACE] FUNCTION|PROCEDURE). Strings are read with
/// `standard_conforming_strings` on, the server's default since 9.1.
///
/// Each statement also says whether it is transaction control (BEGIN, START
/// TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION), so that a
/// caller can run a script that opens and commits its own transaction inside a
/// transaction of its own (`felisc verify`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/diagnostic.h"

namespace felisc::verify {

/// What a statement does to the transaction it runs in.
enum class TransactionControl {
  None,      ///< anything else (SAVEPOINT, ROLLBACK TO SAVEPOINT and COMMIT PREPARED included)
  Begin,     ///< BEGIN, START TRANSACTION
  Commit,    ///< COMMIT, END (also with AND CHAIN)
  Rollback,  ///< ROLLBACK, ABORT
  Prepare,   ///< PREPARE TRANSACTION: ends the transaction, like a commit
};

/// "BEGIN", "COMMIT", "ROLLBACK", "PREPARE TRANSACTION" or "none".
std::string_view transactionControlName(TransactionControl control);

/// One statement of a script.
struct Statement {
  std::string text;        ///< from its first token to before its `;`, comments inside kept
  std::size_t offset = 0;  ///< byte offset of `text` in the script
  model::SourcePos pos;    ///< 1-based line and column (bytes) of its first token
  TransactionControl control = TransactionControl::None;

  /// The first line of `text`, for messages.
  [[nodiscard]] std::string firstLine() const;
};

/// The statements of a script, in order, and what made it unreadable.
struct Script {
  std::vector<Statement> statements;
  /// Errors: an unterminated string, identifier or comment; a psql meta-command
  /// (`\set`, `\i`, COPY data ending in `\.`), which only psql understands.
  model::Diagnostics diagnostics;
};

/// Splits `text`; `file` names it in diagnostics. Empty statements (`;;`) and
/// comments between statements are dropped; a last statement without `;` is kept.
Script splitScript(std::string_view text, const std::string& file);

/// The script position (line, column) of byte `offset` in `text`.
model::SourcePos positionOf(std::string_view text, std::size_t offset);

}  // namespace felisc::verify
