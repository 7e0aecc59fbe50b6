#include "compiler/verify/migration_verify.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "compiler/catalog/facts.h"
#include "compiler/catalog/reader.h"
#include "compiler/verify/sql_script.h"
#include "schema_model/type_mapping.h"

namespace felisc::verify {

namespace {

using model::DiagId;
using model::Difference;

/// A schema read inside the transaction: `ok` false when it could not be read;
/// `schema` empty when it does not exist.
struct State {
  bool ok = false;
  std::optional<model::Schema> schema;
  catalog::Facts facts{};   ///< every fact of the catalog (facts.h), empty when there is no schema
  std::string read_name{};  ///< the schema read (pg_temp_N for a fresh create)
};

/// Whether the model comparison already named what the fact difference `fact`
/// says, so that it is not said twice: the same property of the same object, a
/// definition (or identity, generation, kind) of an object the model found
/// different, anything inside an object the model found missing or unexpected,
/// the primary key's constraint when the model named the key, a view's columns.
bool alreadyNamed(const Difference& fact, const std::vector<Difference>& named) {
  auto starts_with = [](const std::vector<std::string>& path, const std::vector<std::string>& prefix) {
    return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
  };
  for (const Difference& model : named) {
    if (model.path == fact.path &&
        (model.what == fact.what || fact.what == "definition" || fact.what == "identity" ||
         fact.what == "generated" || fact.what == "kind"))
      return true;
    if ((model.what == "missing" || model.what == "unexpected") && starts_with(fact.path, model.path))
      return true;
    if (model.what == "columns" && fact.path.size() == 2 && starts_with(fact.path, model.path) &&
        fact.path[1].starts_with("column "))
      return true;
    if (model.what == "primary key" && fact.path.size() == 2 && starts_with(fact.path, model.path) &&
        fact.path[1].starts_with("constraint ")) {
      const std::string name = fact.path[1].substr(11) + " ";
      if (model.expected.starts_with(name) || model.actual.starts_with(name)) return true;
    }
    if (model.what == "sequence" && fact.path.size() == 1 && fact.path[0].starts_with("sequence ") &&
        (fact.path[0].substr(9) == model.expected || fact.path[0].substr(9) == model.actual))
      return true;
  }
  return false;
}

/// Adds the fact differences of two states that the model comparison did not name.
void addFactDifferences(const State& expected, const State& actual, catalog::FactFilter filter,
                        std::vector<Difference>& differences, std::vector<Difference>& notes) {
  if (!expected.schema || !actual.schema) return;  // the schema itself is the difference
  filter.qualifier = expected.read_name;
  catalog::Facts left = catalog::filtered(expected.facts, filter);
  filter.qualifier = actual.read_name;
  catalog::Facts right = catalog::filtered(actual.facts, filter);
  std::vector<Difference> named = differences;
  named.insert(named.end(), notes.begin(), notes.end());
  for (Difference& fact : catalog::factDifferences(left, right)) {
    if (alreadyNamed(fact, named)) continue;
    (fact.what == "column order" ? notes : differences).push_back(std::move(fact));
  }
}

/// The byte offset in `text` of the 1-based character `position` (UTF-8).
std::size_t byteOffsetOfCharacter(std::string_view text, int position) {
  int characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (++characters == position) return i;
  }
  return text.size();
}

/// Whole-object differences when a side has no schema at all.
void compareStates(const std::optional<model::Schema>& expected, const std::optional<model::Schema>& actual,
                   const std::string& name, std::vector<Difference>& differences,
                   std::vector<Difference>& notes, const model::CompareOptions& options = {}) {
  if (!expected && !actual) return;
  if (expected && !actual) {
    differences.push_back(Difference{{"schema " + name}, "missing", "present", "absent"});
    return;
  }
  if (!expected) {
    differences.push_back(Difference{{"schema " + name}, "unexpected", "absent", "present"});
    return;
  }
  partitionColumnOrder(model::schemaDifferences(*expected, *actual, options), differences, notes);
}

/// A view definition without the `schema.` qualifiers of its own schema's objects.
/// pg_get_viewdef() qualifies a relation that is not on the search path: the live
/// schema's (the catalog reader's search path is `public`) but never a temporary
/// one's (pg_temp is always searched first). Without its own qualifier, a view of
/// the live schema reads as the same view created afresh in temporary tables.
/// String literals are left as they are.
std::string withoutOwnQualifier(const std::string& definition, const std::string& schema) {
  return catalog::withoutQualifier(definition, schema, catalog::QualifiedLiterals::Keep);
}

/// `schema` without the tables named in `ignored`.
std::optional<model::Schema> withoutTables(std::optional<model::Schema> schema,
                                           const std::vector<std::string>& ignored) {
  if (!schema) return schema;
  std::erase_if(schema->tables, [&](const model::Table& table) {
    return std::find(ignored.begin(), ignored.end(), table.name) != ignored.end();
  });
  std::erase_if(schema->sequences, [&](const model::Sequence& sequence) {
    return std::find(ignored.begin(), ignored.end(), sequence.owned_by_table) != ignored.end();
  });
  return schema;
}

/// A table whose rows verify follows through both directions, and the columns
/// it hashes: those neither direction drops or retypes.
struct DataColumns {
  std::string table;
  std::vector<std::string> columns;
};

/// The tables of the start that the target keeps, with the columns the target
/// keeps under the same type (a dropped or retyped column's values are the
/// plan's declared data loss, not a failure).
std::vector<DataColumns> survivingColumns(const catalog::Facts& start, const catalog::Facts& target,
                                          const std::vector<std::string>& ignored) {
  std::vector<DataColumns> out;
  std::vector<std::string> target_tables = target.tables();
  for (const std::string& table : start.tables()) {
    if (std::find(ignored.begin(), ignored.end(), table) != ignored.end()) continue;
    if (std::find(target_tables.begin(), target_tables.end(), table) == target_tables.end()) continue;
    std::vector<std::pair<std::string, std::string>> kept = target.columns(table);
    DataColumns data{table, {}};
    for (const auto& column : start.columns(table))
      if (std::find(kept.begin(), kept.end(), column) != kept.end()) data.columns.push_back(column.first);
    out.push_back(std::move(data));
  }
  return out;
}

/// A difference for each table whose rows are not those of `before`.
void compareRows(const std::map<std::string, std::string>& before,
                 const std::map<std::string, std::string>& after, std::vector<Difference>& differences) {
  for (const auto& [table, digest] : before) {
    auto other = after.find(table);
    std::string actual = other == after.end() ? "none" : other->second;
    if (actual != digest) differences.push_back(Difference{{"table " + table}, "rows", digest, actual});
  }
}

/// One transaction on the connection that is never committed, and what the
/// checks do in it: run scripts, read the catalog, build models afresh.
class Session {
 public:
  Session(catalog::Connection& connection, model::Diagnostics& diagnostics)
      : connection_(connection), diagnostics_(diagnostics) {}

  bool exec(std::string_view sql, std::string_view what) {
    catalog::Error error;
    if (connection_.exec(sql, error)) return true;
    std::string message = std::string(what) + ": " + error.message;
    if (!error.sqlstate.empty()) message += " (SQLSTATE " + error.sqlstate + ")";
    diagnostics_.report(DiagId::err_database, "", {}, {message});
    return false;
  }

  bool begin(const std::string& lock_timeout) {
    if (!exec("BEGIN", "cannot start the transaction")) return false;
    if (lock_timeout.empty()) return true;
    catalog::Error error;
    std::array<std::string, 1> params = {lock_timeout};
    if (connection_.exec("SELECT pg_catalog.set_config('lock_timeout', $1, true)", params, error))
      return true;
    diagnostics_.report(DiagId::err_database, "", {},
                        {"invalid lock timeout '" + lock_timeout + "': " + error.message});
    return false;
  }

  /// Ends the transaction without committing; true when it is over.
  bool rollback() {
    catalog::Error error;
    connection_.exec("ROLLBACK", error);
    connection_.takeNotices();  // NOTICEs of scripts (DROP ... IF EXISTS and the like) are not findings
    return !connection_.inTransaction();
  }

  /// Reads `name` in the open transaction; warnings kept only when asked (the
  /// first read: later ones would repeat them).
  State read(const std::string& name, bool keep_warnings) {
    catalog::CatalogResult result =
        catalog::readSchemas(connection_, {name}, catalog::ReadTransaction::Caller);
    bool only_missing = true;
    for (const model::Diagnostic& diagnostic : result.diagnostics.all())
      if (diagnostic.severity == model::Severity::Error && diagnostic.id != DiagId::err_schema_missing)
        only_missing = false;
    if (result.diagnostics.hasErrors()) {
      if (only_missing) return State{true, std::nullopt};
      diagnostics_.append(result.diagnostics);
      return State{};
    }
    if (keep_warnings) diagnostics_.append(result.diagnostics);
    std::optional<catalog::Facts> facts =
        catalog::readFacts(connection_, name, diagnostics_, catalog::ReadTransaction::Caller);
    if (!facts) return State{};
    return State{true, std::move(result.schemas.front()), std::move(*facts), name};
  }

  /// Splits a script; an unreadable one, or one that would end the transaction, is an error.
  verify::Script parse(const ScriptSource& source) {
    verify::Script script = verify::splitScript(source.text, source.file);
    diagnostics_.append(script.diagnostics);
    for (const verify::Statement& statement : script.statements) {
      if (statement.control != verify::TransactionControl::Rollback &&
          statement.control != verify::TransactionControl::Prepare)
        continue;
      diagnostics_.report(DiagId::err_sql_ends_transaction, source.file, statement.pos,
                          {std::string(verify::transactionControlName(statement.control))});
    }
    return script;
  }

  /// Runs the statements of `script` but its BEGIN and COMMIT; stops at the
  /// first failure, which goes to `failure`.
  bool apply(const std::string& step, const verify::Script& script, const ScriptSource& source,
             StepReport& out, std::optional<StatementFailure>& failure) {
    out.file = source.file;
    out.statements = script.statements.size();
    for (std::size_t i = 0; i < script.statements.size(); ++i) {
      const verify::Statement& statement = script.statements[i];
      if (statement.control == verify::TransactionControl::Begin ||
          statement.control == verify::TransactionControl::Commit) {
        ++out.skipped;
        continue;
      }
      catalog::Error error;
      if (!connection_.exec(statement.text, error)) {
        failure = fail(step, source, statement, i + 1, std::move(error));
        return false;
      }
      ++out.run;
    }
    return true;
  }

  /// Builds `model` in temporary tables under a savepoint, reads them, and undoes
  /// it all: the catalog the server makes of a fresh create. The result carries
  /// the model's schema comment (a temporary schema takes none).
  State fresh(const std::string& step, const FreshCreate& model, std::optional<StatementFailure>& failure) {
    const std::string savepoint = "SAVEPOINT felisc_fresh_create";
    if (!exec(savepoint, "cannot set a savepoint")) return State{};
    ScriptSource source{"<fresh create of " + model.label + ">", model.sql("pg_temp")};
    verify::Script script = parse(source);
    StepReport ignored;
    State state;
    if (!diagnostics_.hasErrors() && apply(step, script, source, ignored, failure)) state = readTemporary();
    // Back to the savepoint: the temporary tables go, also after a failed statement.
    if (!exec("ROLLBACK TO SAVEPOINT felisc_fresh_create", "cannot roll back to a savepoint") ||
        !exec("RELEASE SAVEPOINT felisc_fresh_create", "cannot release a savepoint"))
      return State{};
    if (state.schema) state.schema->description = model.description;
    return state;
  }

  [[nodiscard]] std::string databaseName() const { return connection_.databaseName(); }

  /// The row count and a hash of the rows (the values of `columns` only) of each
  /// table of `tables`, in one statement; nullopt after an error.
  std::optional<std::map<std::string, std::string>> digests(const std::string& schema,
                                                            const std::vector<DataColumns>& tables) {
    std::map<std::string, std::string> out;
    if (tables.empty()) return out;
    std::string query;
    for (const DataColumns& table : tables) {
      std::string row;
      for (const std::string& column : table.columns)
        row += (row.empty() ? "" : ", ") + model::postgresQuoteIdentifier(column);
      if (!query.empty()) query += "\nUNION ALL\n";
      // Rows are hashed in a fixed order (their text, byte order), so the hash
      // says whether the same rows are there, whatever their physical order.
      query +=
          "SELECT " + model::postgresQuoteLiteral(table.table) +
          ", pg_catalog.count(*)::text || ' rows, md5 ' || pg_catalog.md5(COALESCE(pg_catalog.string_agg("
          "x.r, E'\\n' ORDER BY x.r COLLATE \"C\"), '')) FROM (SELECT ROW(" +
          row + ")::text AS r FROM " + model::postgresQuoteIdentifier(schema) + "." +
          model::postgresQuoteIdentifier(table.table) + ") AS x";
    }
    catalog::Error error;
    auto rows = connection_.exec(query, error);
    if (!rows) {
      diagnostics_.report(DiagId::err_database, "", {}, {"cannot hash the rows: " + error.message});
      return std::nullopt;
    }
    for (int row = 0; row < rows->rows(); ++row)
      out[std::string(rows->get(row, 0))] = std::string(rows->get(row, 1));
    return out;
  }

 private:
  /// The session's temporary schema (pg_temp_N), read; an empty model when
  /// nothing temporary was created.
  State readTemporary() {
    catalog::Error error;
    auto rows = connection_.exec(
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = pg_catalog.pg_my_temp_schema()", error);
    if (!rows) {
      diagnostics_.report(DiagId::err_database, "", {},
                          {"cannot find the temporary schema: " + error.message});
      return State{};
    }
    if (rows->rows() == 0) return State{true, model::Schema{}};
    State state = read(std::string(rows->get(0, 0)), false);
    if (state.ok && !state.schema) state.schema = model::Schema{};
    return state;
  }

  StatementFailure fail(const std::string& step, const ScriptSource& source,
                        const verify::Statement& statement, std::size_t index, catalog::Error error) {
    StatementFailure failure;
    failure.step = step;
    failure.file = source.file;
    failure.index = index;
    failure.pos = statement.pos;
    if (error.position > 0)
      failure.pos = verify::positionOf(
          source.text, statement.offset + byteOffsetOfCharacter(statement.text, error.position));
    failure.first_line = statement.firstLine();
    std::string message = error.message;
    if (!error.sqlstate.empty()) message += " (SQLSTATE " + error.sqlstate + ")";
    diagnostics_.report(DiagId::err_verify_statement_failed, source.file, failure.pos,
                        {step, std::to_string(index), message});
    failure.error = std::move(error);
    return failure;
  }

  catalog::Connection& connection_;
  model::Diagnostics& diagnostics_;
};

/// For comparing with a fresh create: the same name, no owners (fresh tables
/// are the checker's), no grants unless they are compared.
std::optional<model::Schema> againstFresh(std::optional<model::Schema> schema, const std::string& name,
                                          const std::vector<std::string>& ignored, bool compare_grants) {
  schema = withoutTables(std::move(schema), ignored);
  if (!schema) return schema;
  // A fresh create lives in pg_temp_N: views read the same relations under the
  // schema's own name, in the same spelling (see withoutOwnQualifier).
  const std::string read_name = schema->name;
  schema->name = name;
  for (model::Table& table : schema->tables) {
    table.owner.clear();
    if (!compare_grants) table.grants.clear();
  }
  for (model::View& view : schema->views) {
    view.owner.clear();
    if (!compare_grants) view.grants.clear();
    view.definition = withoutOwnQualifier(view.definition, read_name);
    for (model::ViewDependency& dependency : view.depends_on)
      if (dependency.schema == read_name) dependency.schema = name;
  }
  return schema;
}

class Verifier {
 public:
  Verifier(catalog::Connection& connection, const Request& request)
      : request_(request), session_(connection, outcome_.diagnostics) {}

  Outcome run() {
    Report& report = outcome_.report;
    report.schema = request_.schema;
    report.database = session_.databaseName();
    report.target_label = request_.target.label;
    if (request_.old) report.start_label = request_.old->label;
    if (session_.begin(request_.lock_timeout)) check();
    report.rolled_back = session_.rollback();
    return std::move(outcome_);
  }

 private:
  void check() {
    Report& report = outcome_.report;
    State start = session_.read(request_.schema, true);
    if (!start.ok) return;
    report.start_present = start.schema.has_value();
    if (start.schema) {
      report.start_tables = start.schema->tables.size();
      report.start_views = start.schema->views.size();
    }
    if (request_.old) {
      State old_state = session_.fresh("old", *request_.old, report.failure);
      if (!old_state.ok) return;
      compareStates(comparable(old_state.schema), comparable(start.schema), request_.schema,
                    report.start_differences, report.start_notes, {.grants = request_.compare_grants});
      addFactDifferences(old_state, start, freshFilter(), report.start_differences, report.start_notes);
    }
    State target = session_.fresh("target", request_.target, report.failure);
    if (!target.ok) return;

    std::optional<ScriptPair> scripts =
        request_.scripts(start.schema ? &*start.schema : nullptr, outcome_.diagnostics);
    if (!scripts) return;
    verify::Script upgrade = session_.parse(scripts->upgrade);
    verify::Script downgrade = session_.parse(scripts->downgrade);
    if (outcome_.diagnostics.hasErrors()) return;

    // The rows of the start, to follow through both directions.
    std::vector<DataColumns> data;
    if (start.schema) data = survivingColumns(start.facts, target.facts, request_.ignored_tables);
    std::optional<std::map<std::string, std::string>> rows_before = session_.digests(request_.schema, data);
    if (!rows_before) return;
    report.data_tables = data.size();

    if (!session_.apply("upgrade", upgrade, scripts->upgrade, report.upgrade, report.failure)) return;
    State upgraded = session_.read(request_.schema, false);
    if (!upgraded.ok) return;
    auto rows_upgraded = session_.digests(request_.schema, data);
    if (!rows_upgraded) return;
    compareRows(*rows_before, *rows_upgraded, report.upgrade.differences);
    report.upgrade.compared = true;
    compareStates(comparable(target.schema), comparable(upgraded.schema), request_.schema,
                  report.upgrade.differences, report.upgrade.notes, {.grants = request_.compare_grants});
    addFactDifferences(target, upgraded, freshFilter(), report.upgrade.differences, report.upgrade.notes);

    if (!session_.apply("downgrade", downgrade, scripts->downgrade, report.downgrade, report.failure)) return;
    State downgraded = session_.read(request_.schema, false);
    if (!downgraded.ok) return;
    auto rows_downgraded = session_.digests(request_.schema, data);
    if (!rows_downgraded) return;
    compareRows(*rows_before, *rows_downgraded, report.downgrade.differences);
    report.downgrade.compared = true;
    // The start and the end are the same schema: owners and grants compare too.
    compareStates(withoutTables(start.schema, request_.ignored_tables),
                  withoutTables(downgraded.schema, request_.ignored_tables), request_.schema,
                  report.downgrade.differences, report.downgrade.notes);
    addFactDifferences(start, downgraded, {.ignored_tables = request_.ignored_tables},
                       report.downgrade.differences, report.downgrade.notes);
  }

  /// Against a fresh create: no owners (fresh tables are the checker's), grants
  /// only when the target carries them.
  [[nodiscard]] catalog::FactFilter freshFilter() const {
    return {.ignored_tables = request_.ignored_tables, .owners = false, .grants = request_.compare_grants};
  }

  [[nodiscard]] std::optional<model::Schema> comparable(std::optional<model::Schema> schema) const {
    return againstFresh(std::move(schema), request_.schema, request_.ignored_tables, request_.compare_grants);
  }

  const Request& request_;
  Outcome outcome_;
  Session session_;
};

DriftOutcome driftReadOnly(catalog::Connection& connection, const DriftRequest& request) {
  DriftOutcome outcome;
  outcome.report.schema = request.schema;
  outcome.report.database = connection.databaseName();
  catalog::CatalogResult result = catalog::readSchemas(connection, {request.schema});
  bool only_missing = true;
  for (const model::Diagnostic& diagnostic : result.diagnostics.all())
    if (diagnostic.severity == model::Severity::Error && diagnostic.id != DiagId::err_schema_missing)
      only_missing = false;
  if (result.diagnostics.hasErrors() && !only_missing) {
    outcome.diagnostics.append(result.diagnostics);
    return outcome;
  }
  if (!result.diagnostics.hasErrors()) outcome.diagnostics.append(result.diagnostics);
  std::optional<model::Schema> actual;
  if (!result.schemas.empty()) actual = std::move(result.schemas.front());
  compareStates(withoutTables(request.expected, request.ignored_tables),
                withoutTables(std::move(actual), request.ignored_tables), request.schema,
                outcome.report.differences, outcome.report.notes, {.grants = request.compare_grants});
  return outcome;
}

DriftOutcome driftAgainstFresh(catalog::Connection& connection, const DriftRequest& request) {
  DriftOutcome outcome;
  outcome.report.schema = request.schema;
  outcome.report.database = connection.databaseName();
  Session session(connection, outcome.diagnostics);
  std::optional<StatementFailure> failure;
  State live;
  State fresh;
  if (session.begin("")) {
    live = session.read(request.schema, true);
    if (live.ok) fresh = session.fresh("file", request.fresh, failure);
  }
  session.rollback();
  if (!live.ok || !fresh.ok) return outcome;
  compareStates(againstFresh(fresh.schema, request.schema, request.ignored_tables, request.compare_grants),
                againstFresh(live.schema, request.schema, request.ignored_tables, request.compare_grants),
                request.schema, outcome.report.differences, outcome.report.notes,
                {.grants = request.compare_grants});
  addFactDifferences(
      fresh, live,
      {.ignored_tables = request.ignored_tables, .owners = false, .grants = request.compare_grants},
      outcome.report.differences, outcome.report.notes);
  return outcome;
}

// --- rendering ------------------------------------------------------------------------

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

void listDifferences(std::string& out, const std::vector<Difference>& differences, std::string_view prefix) {
  for (const Difference& difference : differences) out += std::string(prefix) + difference.text() + "\n";
}

std::string failureLine(const StatementFailure& failure) {
  std::string line = failure.step + " statement " + std::to_string(failure.index) + " (" + failure.file +
                     ":" + std::to_string(failure.pos.line) + ") failed: " + failure.error.message;
  if (!failure.error.sqlstate.empty()) line += " (SQLSTATE " + failure.error.sqlstate + ")";
  return line;
}

void stepText(std::string& out, std::string_view name, const StepReport& step, const Report& report,
              std::string_view equals_what) {
  if (step.file.empty()) {
    out += std::string(name) + ": not run\n";
    return;
  }
  out += std::string(name) + " (" + step.file + "): " + std::to_string(step.run) + " of " +
         plural(step.statements, "statement", "statements") + " run";
  if (step.skipped != 0) out += ", " + std::to_string(step.skipped) + " transaction control skipped";
  out += "\n";
  if (report.failure && (report.failure->step == name)) {
    out += "  failed: " + failureLine(*report.failure) + "\n";
    out += "    " + report.failure->first_line + "\n";
    if (report.failure->file.starts_with("<planned"))
      out += "  (felisc diff prints the planned scripts, with --direction down for the downgrade)\n";
    return;
  }
  if (!step.compared) return;
  if (step.differences.empty())
    out += "  the catalog equals " + std::string(equals_what) + "\n";
  else
    out += "  " + plural(step.differences.size(), "difference", "differences") + " from " +
           std::string(equals_what) + ":\n";
  listDifferences(out, step.differences, "    ");
  listDifferences(out, step.notes, "  note (PostgreSQL appends added columns): ");
}

nlohmann::ordered_json differencesJson(const std::vector<Difference>& differences) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Difference& difference : differences)
    list.push_back({{"path", difference.path},
                    {"what", difference.what},
                    {"expected", difference.expected},
                    {"actual", difference.actual},
                    {"text", difference.text()}});
  return list;
}

nlohmann::ordered_json stepJson(const StepReport& step) {
  if (step.file.empty()) return nullptr;
  return {{"script", step.file},
          {"statements", step.statements},
          {"skipped", step.skipped},
          {"run", step.run},
          {"compared", step.compared},
          {"differences", differencesJson(step.differences)},
          {"notes", differencesJson(step.notes)}};
}

std::string verdict(const Report& report) {
  if (report.failure) return "failed";
  return report.exact() ? "exact" : "different";
}

}  // namespace

bool Report::exact() const {
  return !failure && upgrade.compared && downgrade.compared && start_differences.empty() &&
         upgrade.differences.empty() && downgrade.differences.empty();
}

void partitionColumnOrder(std::vector<Difference> all, std::vector<Difference>& differences,
                          std::vector<Difference>& notes) {
  for (Difference& difference : all)
    (difference.what == "column order" ? notes : differences).push_back(std::move(difference));
}

Outcome run(catalog::Connection& connection, const Request& request) {
  return Verifier(connection, request).run();
}

std::string reportText(const Report& report) {
  std::string out = "felisc verify: schema " + report.schema + " in database " + report.database + "\n";
  if (!report.start_present)
    out += "start: the schema does not exist\n";
  else
    out += "start: " + plural(report.start_tables, "table", "tables") + ", " +
           plural(report.start_views, "view", "views") + "\n";
  if (!report.start_label.empty()) {
    if (report.failure && report.failure->step == "old")
      out += "  cannot create " + report.start_label + " to compare with: " + failureLine(*report.failure) +
             "\n";
    else if (report.start_differences.empty())
      out += "  the catalog equals " + report.start_label + "\n";
    else
      out += "  " + plural(report.start_differences.size(), "difference", "differences") + " from " +
             report.start_label + " (the plan was made for it):\n";
    listDifferences(out, report.start_differences, "    ");
    listDifferences(out, report.start_notes, "  note: ");
  }
  if (report.failure && report.failure->step == "target")
    out += "target: cannot create " + report.target_label +
           " to compare with: " + failureLine(*report.failure) + "\n";
  if (report.data_tables != 0)
    out += "rows: " + plural(report.data_tables, "table", "tables") +
           " counted and hashed before the upgrade, after it and after the downgrade\n";
  stepText(out, "upgrade", report.upgrade, report, "a fresh create of " + report.target_label);
  stepText(out, "downgrade", report.downgrade, report, "the start");
  out += report.rolled_back ? "rolled back: nothing was committed\n"
                            : "warning: the transaction could not be rolled back; the connection was closed "
                              "without COMMIT\n";
  std::size_t count = report.start_differences.size() + report.upgrade.differences.size() +
                      report.downgrade.differences.size();
  if (report.failure)
    out += "result: FAILED at " + report.failure->step + " statement " +
           std::to_string(report.failure->index) + "\n";
  else if (report.exact())
    out += "result: exact (the upgrade gives the target, the downgrade gives back the start)\n";
  else if (!report.downgrade.compared)
    out += "result: no verdict\n";
  else
    out += "result: NOT exact: " + plural(count, "difference", "differences") + "\n";
  return out;
}

std::string reportJson(const Report& report) {
  nlohmann::ordered_json json;
  json["format"] = "felisc-verify";  // docs/json-schemas/verify.schema.json
  json["version"] = 1;
  json["schema"] = report.schema;
  json["database"] = report.database;
  json["target"] = report.target_label;
  json["result"] = verdict(report);
  json["start"] = {{"present", report.start_present},
                   {"tables", report.start_tables},
                   {"views", report.start_views},
                   {"old", report.start_label.empty() ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(report.start_label)},
                   {"differences", differencesJson(report.start_differences)},
                   {"notes", differencesJson(report.start_notes)}};
  json["rows"] = {{"tables", report.data_tables}};
  json["upgrade"] = stepJson(report.upgrade);
  json["downgrade"] = stepJson(report.downgrade);
  if (report.failure) {
    const StatementFailure& failure = *report.failure;
    json["failure"] = {{"step", failure.step},
                       {"file", failure.file},
                       {"statement", failure.index},
                       {"line", failure.pos.line},
                       {"column", failure.pos.column},
                       {"first_line", failure.first_line},
                       {"message", failure.error.message},
                       {"sqlstate", failure.error.sqlstate},
                       {"detail", failure.error.detail}};
  } else {
    json["failure"] = nullptr;
  }
  json["rolled_back"] = report.rolled_back;
  return json.dump(2) + "\n";
}

DriftOutcome checkDrift(catalog::Connection& connection, const DriftRequest& request) {
  return request.read_only ? driftReadOnly(connection, request) : driftAgainstFresh(connection, request);
}

std::string driftText(const DriftReport& report) {
  std::string out;
  listDifferences(out, report.differences, "");
  return out;
}

std::string driftJson(const DriftReport& report) {
  nlohmann::ordered_json json;
  json["format"] = "felisc-drift";  // docs/json-schemas/drift.schema.json
  json["version"] = 1;
  json["schema"] = report.schema;
  json["database"] = report.database;
  json["file"] = report.file;
  json["result"] = report.differences.empty() ? "equal" : "drift";
  json["differences"] = differencesJson(report.differences);
  json["notes"] = differencesJson(report.notes);
  return json.dump(2) + "\n";
}

}  // namespace felisc::verify
