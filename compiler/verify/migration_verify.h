/// \file
/// Checks on a live database: `felisc verify` and `felisc drift`.
///
/// `felisc verify` proves a migration on a live database, leaving no trace.
///
/// Everything happens in ONE transaction that is always rolled back, never
/// committed:
///
///   BEGIN; SET LOCAL lock_timeout
///   read the catalog of the schema                      -> the start
///   [create OLD afresh, read it, undo it]               -> start vs OLD
///   create the target afresh, read it, undo it          -> the reference
///   run the upgrade, statement by statement; read        -> reference vs upgraded
///   run the downgrade, statement by statement; read      -> start vs downgraded
///   ROLLBACK
///
/// The reference is the target as the server itself builds it (`felisc create`
/// into temporary tables, under a savepoint that is rolled back), so expressions
/// compare in the server's own rendering: the upgraded catalog must equal a
/// fresh create of the target. (A model whose foreign keys reach into another
/// schema cannot be built so: a temporary table may only reference temporary
/// tables; verify then reports that it cannot create the target.)
/// The downgrade must give back exactly the catalog read at the start, owners
/// and grants included.
///
/// Beside felisc's model, every catalog fact (compiler/catalog/facts.h: kinds,
/// collations, every constraint and index definition, sequences and their
/// ownership, triggers, rules, policies, ...) is compared, so that a fact the
/// model does not hold still differs; a fact the model comparison already named
/// is not named twice. Rows: for each table the start and the target share, the
/// row count and an md5 of the rows' values in the columns that neither direction
/// drops or retypes, before the upgrade, after it and after the downgrade (the
/// full table; there is no sampling).
///
/// What is not a difference: column order (PostgreSQL appends an added column at
/// the end of its table and cannot move it; reported as notes), the tables named
/// in `ignored_tables` (Alembic's `alembic_version`), and, against the reference,
/// table owners (fresh tables belong to whoever runs verify) and grants
/// (unless the target carries grants, as a deployment profile does).
///
/// Scripts are split with sql_script.h; their own transaction control (BEGIN,
/// COMMIT, END, as `alembic upgrade --sql` writes) is skipped, and a ROLLBACK or
/// PREPARE TRANSACTION in a script is refused before anything runs.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/catalog/connection.h"
#include "schema_model/compare.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::verify {

/// One script to run: its text and the name its positions are reported against.
struct ScriptSource {
  std::string file;  ///< a path, or a label such as "<plan upgrade>" for a generated script
  std::string text;
};

/// The upgrade and downgrade scripts of one migration.
struct ScriptPair {
  ScriptSource upgrade;
  ScriptSource downgrade;
};

/// A statement the server refused.
struct StatementFailure {
  std::string step;        ///< "upgrade", "downgrade", "target" or "old" (the fresh creates)
  std::string file;        ///< as in ScriptSource
  std::size_t index = 0;   ///< 1-based, among the script's statements (skipped ones counted)
  model::SourcePos pos;    ///< the server's error position in the file, else the statement's start
  std::string first_line;  ///< of the statement
  catalog::Error error;
};

/// One direction: what ran and how the catalog compared afterwards.
struct StepReport {
  std::string file;
  std::size_t statements = 0;  ///< in the script
  std::size_t skipped = 0;     ///< its own transaction control, not run
  std::size_t run = 0;         ///< statements the server accepted
  bool compared = false;       ///< the catalog was read and compared after the script
  std::vector<model::Difference> differences;
  std::vector<model::Difference> notes;  ///< column order only
};

/// Everything verify found.
struct Report {
  std::string schema;
  std::string database;
  std::string target_label;  ///< the target file
  std::string start_label;   ///< OLD when it was a file; empty when the database is the start
  bool start_present = false;
  std::size_t start_tables = 0;
  std::size_t start_views = 0;
  std::vector<model::Difference> start_differences;  ///< OLD vs the database at the start
  std::vector<model::Difference> start_notes;
  /// Tables whose rows were counted and hashed before the upgrade, after it and
  /// after the downgrade (a lost or changed row is a "rows" difference of its step).
  std::size_t data_tables = 0;
  StepReport upgrade;
  StepReport downgrade;
  std::optional<StatementFailure> failure;
  bool rolled_back = false;

  /// No failure and no difference anywhere: both directions are exact.
  [[nodiscard]] bool exact() const;
};

/// A model for the server to build afresh, so that it can be compared in the
/// server's own rendering (check expressions, index expressions, defaults).
struct FreshCreate {
  std::string label;  ///< the file, for messages
  /// The DDL that creates the model's tables in schema `schema_name`, without
  /// CREATE SCHEMA, COMMENT ON SCHEMA or BEGIN/COMMIT (emit::createSchemaSql with
  /// schema_name, create_schema = false, transaction = false). It runs with
  /// schema_name "pg_temp": the tables are temporary, which needs only the TEMP
  /// privilege, and they go away with a savepoint.
  std::function<std::string(const std::string& schema_name)> sql;
  /// The schema's comment, which a temporary schema cannot take.
  std::optional<std::string> description;
};

/// What to verify. The model-to-SQL steps are callbacks so that this library
/// needs neither the planner nor the DDL emitter (the CLI passes them in).
struct Request {
  std::string schema;  ///< the schema the scripts change
  FreshCreate target;  ///< what the upgraded catalog must equal
  /// OLD, when OLD is a file: the start is compared with it. Unset when the
  /// database itself is the start.
  std::optional<FreshCreate> old;
  /// The scripts, made once the start is known: `start` is the catalog read in
  /// the transaction, null when the schema does not exist. Returns nullopt after
  /// reporting errors into the diagnostics.
  std::function<std::optional<ScriptPair>(const model::Schema* start, model::Diagnostics& diagnostics)>
      scripts;
  /// Tables left out of every comparison.
  std::vector<std::string> ignored_tables = {"alembic_version"};
  /// Compare grants against the reference (the target carries grants).
  bool compare_grants = false;
  /// SET LOCAL lock_timeout for the transaction: waiting for a lock on a live
  /// database makes every later query queue behind verify. "0" waits forever.
  std::string lock_timeout = "5s";
};

/// The report and what stopped verify before a report could be made.
struct Outcome {
  Report report;
  /// Errors here (unreadable scripts, a script that ends the transaction, a
  /// catalog that cannot be read) mean no verdict: exit 2. A failing statement
  /// is not one of them: it is in report.failure, with an error diagnostic
  /// (FEL690) for file:line:col output.
  model::Diagnostics diagnostics;
};

/// Runs the whole check on `connection`, which must not be in a transaction.
/// Whatever happens, the transaction is rolled back (report.rolled_back says it was).
Outcome run(catalog::Connection& connection, const Request& request);

/// The report as text: the steps, every difference, the verdict.
std::string reportText(const Report& report);
/// The report as JSON (deterministic; differences as {path, what, expected, actual, text}).
std::string reportJson(const Report& report);

/// `felisc drift`: what to compare.
struct DriftRequest {
  std::string schema;  ///< in the database
  /// The file's model as deployed, named `schema`: compared as it is in read-only mode.
  model::Schema expected;
  /// The same built afresh by the server (the default mode).
  FreshCreate fresh;
  /// Compare with `expected` directly in a READ ONLY transaction (a hot standby,
  /// a role without TEMP): expressions then compare as compare.h says, modulo
  /// parentheses, white space and case, so casts the server adds are differences.
  /// Only the model compares then: catalog facts need the fresh create.
  bool read_only = false;
  std::vector<std::string> ignored_tables = {"alembic_version"};
  /// Compare grants too (the file is realized with a deployment profile, which
  /// says what is granted).
  bool compare_grants = false;
};

/// What drift found.
struct DriftReport {
  std::string schema;
  std::string database;
  std::string file;
  std::vector<model::Difference> differences;
  std::vector<model::Difference> notes;  ///< column order only
};

/// drift's report, and the errors that left it without a verdict (exit 2).
struct DriftOutcome {
  DriftReport report;
  model::Diagnostics diagnostics;
};

/// Compares the live schema with the file: by default with a fresh create of the
/// file in temporary tables, inside a transaction that is rolled back (so owners,
/// which a file does not say, are not compared, nor grants unless the request
/// asks); see DriftRequest.
/// A schema that does not exist is one difference.
DriftOutcome checkDrift(catalog::Connection& connection, const DriftRequest& request);

/// One difference per line; nothing when there is none.
std::string driftText(const DriftReport& report);
/// {schema, database, file, result, differences: [{path, what, expected, actual, text}], notes}.
std::string driftJson(const DriftReport& report);

/// Splits the differences of a comparison into real ones and column-order notes.
void partitionColumnOrder(std::vector<model::Difference> all, std::vector<model::Difference>& differences,
                          std::vector<model::Difference>& notes);

}  // namespace felisc::verify
