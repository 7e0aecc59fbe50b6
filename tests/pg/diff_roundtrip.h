/// \file
/// The diff round-trip property on a real PostgreSQL, shared by the history and
/// the random-schema tests:
///
///   create A (and fill it with rows) -> apply the upgrade -> the catalog equals a
///   fresh create of B -> diff(catalog, B) is empty -> apply the downgrade -> the
///   catalog equals a fresh create of A -> diff(catalog, A) is empty -> every row
///   and every value of A that the plan does not drop came back.
///
/// With `online`, the plan is rewritten by diff::makeOnline() and its script is
/// sent statement by statement, as psql sends it (CREATE INDEX CONCURRENTLY
/// refuses the implicit transaction of a multi-statement query).
///
/// Catalogs are compared with model::compareSchemas() after one normalisation:
/// columns are sorted by name, because PostgreSQL appends an added column at the
/// end of its table and cannot move it (a fresh create puts it where the file
/// says), and the schema's own name is neutralised (each side lives in a schema
/// of its own in one database).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/catalog/reader.h"
#include "diff_engine/differ.h"
#include "diff_engine/online.h"
#include "diff_engine/planner.h"
#include "diff_engine/type_change.h"
#include "emitters/plan_sql.h"
#include "emitters/postgres_ddl.h"
#include "schema_model/compare.h"
#include "schema_model/type_mapping.h"
#include "tests/support/pg_test_server.h"

namespace felisc::testing::diffcheck {

inline std::string q(std::string_view name) { return model::postgresQuoteIdentifier(name); }

inline std::string joinLines(const std::vector<std::string>& lines, std::size_t limit = 40) {
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < limit; ++i) text += "  " + lines[i] + "\n";
  if (lines.size() > limit) text += "  ... " + std::to_string(lines.size() - limit) + " more\n";
  return text;
}

inline std::string renderAll(const model::Diagnostics& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics.all()) text += "  " + model::renderDiagnostic(diagnostic);
  return text;
}

/// The catalog of `schema`, or an empty model and a test failure.
inline model::Schema readCatalog(ScratchDatabase& db, const std::string& schema) {
  catalog::CatalogResult result = catalog::readSchemas(db.conninfo(), {schema});
  EXPECT_FALSE(result.diagnostics.hasErrors()) << renderAll(result.diagnostics);
  if (result.schemas.size() != 1) return {};
  return std::move(result.schemas.front());
}

/// Columns by name, schema name neutral, references to the schema itself as none.
inline model::Schema normalized(model::Schema schema) {
  const std::string own = schema.name;
  schema.name = "schema";
  for (auto& table : schema.tables) {
    std::sort(table.columns.begin(), table.columns.end(),
              [](const model::Column& a, const model::Column& b) { return a.name < b.name; });
    for (auto& constraint : table.constraints)
      if (constraint.ref_schema == own) constraint.ref_schema.clear();
  }
  return schema;
}

/// The values of one column type for row `i` (1-based), as SQL literals: small
/// integers everywhere, so that keys, foreign keys and conversions between
/// numbers and strings all agree.
inline std::string valueFor(const std::string& sql_type, int i) {
  using Family = diff::SqlTypeInfo::Family;
  diff::SqlTypeInfo info = diff::parseSqlType(sql_type);
  std::string n = std::to_string(i);
  switch (info.family) {
    case Family::Integer:
    case Family::Numeric: return n;
    case Family::Float: return n + ".25";
    case Family::Boolean: return i % 2 == 1 ? "true" : "false";
    case Family::Char:
    case Family::Varchar:
    case Family::Text: return "'" + n + "'";
    case Family::Timestamp: return "'2024-01-0" + n + " 12:00:00.123456'";
    case Family::TimestampTz: return "'2024-01-0" + n + " 12:00:00.123456+00'";
    case Family::Date: return "'2024-01-0" + n + "'";
    case Family::Bytea: return "'\\x0" + n + "'";
    case Family::Other: return "NULL";
  }
  return "NULL";
}

/// The SQL that gives existing rows of `target` (in schema `schema`) a value
/// for `column` consistent with fillTables(): the row's number, taken from an
/// integer column the row already has, else from its insertion order, converted
/// to the column's type.
inline std::string backfillFor(const std::string& schema, const model::Table& target,
                               const model::Column& column, const model::Table* source) {
  using Family = diff::SqlTypeInfo::Family;
  std::string row;
  for (const auto& candidate : target.columns) {
    if (candidate.name == column.name) continue;
    if (diff::parseSqlType(candidate.sql_type).family != Family::Integer) continue;
    const model::Column* before = source ? source->findColumn(candidate.name) : nullptr;
    if (before == nullptr || diff::parseSqlType(before->sql_type).family != Family::Integer) continue;
    row = q(candidate.name);
    break;
  }
  bool by_order = row.empty();
  if (by_order) row = "n";
  std::string value;
  switch (diff::parseSqlType(column.sql_type).family) {
    case Family::Integer:
    case Family::Numeric: value = row + "::" + column.sql_type; break;
    case Family::Float: value = row + " + 0.25"; break;
    case Family::Boolean: value = "(" + row + " % 2 = 1)"; break;
    case Family::Char:
    case Family::Varchar:
    case Family::Text: value = row + "::text"; break;
    // The same instants as valueFor() writes for row n.
    case Family::Timestamp:
      value = "'2024-01-01 12:00:00.123456'::timestamp + (" + row + " - 1) * interval '1 day'";
      break;
    case Family::TimestampTz:
      value = "'2024-01-01 12:00:00.123456+00'::timestamptz + (" + row + " - 1) * interval '1 day'";
      break;
    case Family::Date: value = "'2024-01-01'::date + (" + row + " - 1)::integer"; break;
    default: value = "NULL";
  }
  if (!by_order) return value;
  std::string table = q(schema) + "." + q(target.name);
  return "UPDATE " + table + " SET " + q(column.name) + " = " + value + " FROM (SELECT ctid AS row_id, " +
         "row_number() OVER (ORDER BY ctid) AS n FROM " + table + ") AS numbered WHERE " + table +
         ".ctid = numbered.row_id AND " + table + "." + q(column.name) + " IS NULL";
}

/// Rows 1..`rows` in every table of `schema` (created as `name`), foreign-key
/// triggers off while filling (the values are consistent by construction).
inline void fillTables(ScratchDatabase& db, const model::Schema& schema, const std::string& name, int rows) {
  std::string sql = "SET session_replication_role = replica;\n";
  for (const auto& table : schema.tables) {
    if (table.columns.empty()) continue;
    std::string columns;
    for (const auto& column : table.columns) columns += (columns.empty() ? "" : ", ") + q(column.name);
    for (int i = 1; i <= rows; ++i) {
      std::string values;
      for (const auto& column : table.columns)
        values += (values.empty() ? "" : ", ") + valueFor(column.sql_type, i);
      sql += "INSERT INTO " + q(name) + "." + q(table.name) + " (" + columns +
             ") OVERRIDING SYSTEM VALUE VALUES (" + values + ");\n";
    }
  }
  sql += "SET session_replication_role = origin;\n";
  ASSERT_TRUE(db.exec(sql));
}

/// Every table's rows as text, `columns` of each table only, sorted.
using Snapshot = std::map<std::string, std::vector<std::string>>;

inline Snapshot snapshot(ScratchDatabase& db, const std::string& name,
                         const std::map<std::string, std::vector<std::string>>& columns) {
  Snapshot out;
  for (const auto& [table, names] : columns) {
    std::string list;
    for (const auto& column : names)
      list += (list.empty() ? "" : " || '|' || ") + ("coalesce(" + q(column) + "::text, 'NULL')");
    if (list.empty()) list = "'-'";
    for (const auto& row : db.query("SELECT " + list + " FROM " + q(name) + "." + q(table) + " ORDER BY 1"))
      out[table].push_back(row.at(0).value_or("NULL"));
  }
  return out;
}

/// What is compared after the round trip: for each table of A the plan keeps,
/// the columns of A the plan neither drops nor narrows.
inline std::map<std::string, std::vector<std::string>> survivingColumns(const model::Schema& a,
                                                                        const diff::Plan& plan) {
  std::set<std::string> dropped_tables;
  std::set<std::pair<std::string, std::string>> lost;
  for (const auto& step : plan.up) {
    if (const auto* drop = std::get_if<diff::DropTable>(&step.change))
      dropped_tables.insert(drop->table.name);
    if (const auto* drop = std::get_if<diff::DropColumn>(&step.change))
      lost.insert({drop->table, drop->column.name});
  }
  // Narrowed columns: named as in B (AlterColumn), which equals A's name unless renamed; skip both.
  std::set<std::string> narrowed;
  for (const auto& step : plan.up)
    if (const auto* alter = std::get_if<diff::AlterColumn>(&step.change); alter && step.data_loss)
      narrowed.insert(alter->to.name);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& table : a.tables) {
    if (dropped_tables.contains(table.name)) continue;
    auto& names = out[table.name];
    for (const auto& column : table.columns)
      if (!lost.contains({table.name, column.name}) && !narrowed.contains(column.name))
        names.push_back(column.name);
  }
  return out;
}

/// Expects the catalogs of two schemas of `db` to hold the same thing.
inline void expectSameCatalog(ScratchDatabase& db, const std::string& expected, const std::string& actual,
                              const std::string& what) {
  model::Schema want = normalized(readCatalog(db, expected));
  model::Schema got = normalized(readCatalog(db, actual));
  std::vector<std::string> differences = model::compareSchemas(want, got);
  EXPECT_TRUE(differences.empty()) << what << ":\n" << joinLines(differences);
}

/// The catalog of `schema` named as `model` is, for diffing against it.
inline model::Schema catalogAs(ScratchDatabase& db, const std::string& schema, const std::string& name) {
  model::Schema catalog = readCatalog(db, schema);
  catalog.name = name;
  for (auto& table : catalog.tables)
    for (auto& constraint : table.constraints)
      if (constraint.ref_schema == schema) constraint.ref_schema.clear();
  return catalog;
}

/// Expects "diff again" to find nothing: the catalog of `schema` against the
/// catalog of a fresh create (`reference`), and against the file's `model`.
/// Against the file, check constraints and expression indexes are left out: the
/// catalog holds the server's rendering (`(seeing > (0)::double precision)`,
/// `lower((b)::text)`), which only the server can produce from the file's text
/// (the live-database side of `felisc diff`).
inline void expectNoDiff(ScratchDatabase& db, const std::string& schema, const std::string& reference,
                         const model::Schema& model, const std::string& what) {
  auto describeAll = [](const diff::ChangeSet& changes, bool skip_checks) {
    std::vector<std::string> lines;
    for (const auto& change : changes.changes) {
      const model::Constraint* constraint = nullptr;
      if (const auto* add = std::get_if<diff::AddConstraint>(&change)) constraint = &add->constraint;
      if (const auto* drop = std::get_if<diff::DropConstraint>(&change)) constraint = &drop->constraint;
      if (skip_checks && constraint != nullptr && constraint->kind == model::ConstraintKind::Check) continue;
      const model::Index* index = nullptr;
      if (const auto* add = std::get_if<diff::AddIndex>(&change)) index = &add->index;
      if (const auto* drop = std::get_if<diff::DropIndex>(&change)) index = &drop->index;
      auto expression = [](const model::IndexElement& element) { return element.is_expression; };
      if (skip_checks && index != nullptr &&
          std::any_of(index->elements.begin(), index->elements.end(), expression))
        continue;
      lines.push_back(diff::describe(change));
    }
    return lines;
  };
  model::Schema catalog = catalogAs(db, schema, model.name);
  auto against_catalog = describeAll(diff::diffSchemas(catalog, catalogAs(db, reference, model.name)), false);
  EXPECT_TRUE(against_catalog.empty()) << what << " (against a fresh catalog):\n"
                                       << joinLines(against_catalog);
  auto against_file = describeAll(diff::diffSchemas(catalog, model), true);
  EXPECT_TRUE(against_file.empty()) << what << " (against the file):\n" << joinLines(against_file);
}

/// Backfills for every slot the plan leaves missing, both ways.
inline std::map<std::string, std::string> backfillsFor(const std::string& schema, const model::Schema& a,
                                                       const model::Schema& b, const diff::Plan& plan) {
  std::map<std::string, std::string> out;
  auto fill = [&](diff::Direction direction, const model::Schema& target, const model::Schema& source) {
    for (const auto& slot : plan.missingBackfills(direction)) {
      const model::Table* table = target.findTable(slot.table);
      if (table == nullptr) continue;
      const model::Column* column = table->findColumn(slot.column);
      if (column == nullptr) continue;
      // The same table before the plan: by name, else by @id (a renamed table keeps its rows).
      const model::Table* before = source.findTable(slot.table);
      for (const auto& candidate : source.tables)
        if (before == nullptr && !candidate.id.empty() && candidate.id == table->id) before = &candidate;
      out[slot.table + "." + slot.column] = backfillFor(schema, *table, *column, before);
    }
  };
  fill(diff::Direction::Up, b, a);
  fill(diff::Direction::Down, a, b);
  // A NOT NULL column added with a default in a key: the default would give every
  // existing row the same value, so the key needs values of its own.
  auto keys = [&](diff::Direction direction, const model::Schema& target, const model::Schema& source) {
    for (const auto& step : plan.steps(direction)) {
      const auto* add = std::get_if<diff::AddColumn>(&step.change);
      if (add == nullptr || add->column.nullable || !add->column.sql_default) continue;
      const model::Table* table = target.findTable(add->table);
      if (table == nullptr) continue;
      auto in = [&](const std::vector<std::string>& names) {
        return std::find(names.begin(), names.end(), add->column.name) != names.end();
      };
      bool keyed = table->primary_key && in(table->primary_key->columns);
      for (const auto& c : table->constraints)
        keyed = keyed || (c.kind == model::ConstraintKind::Unique && in(c.columns));
      for (const auto& index : table->indexes)
        for (const auto& e : index.elements) keyed = keyed || (index.unique && e.text == add->column.name);
      if (!keyed) continue;
      const model::Table* before = source.findTable(add->table);
      for (const auto& candidate : source.tables)
        if (before == nullptr && !candidate.id.empty() && candidate.id == table->id) before = &candidate;
      out[add->table + "." + add->column.name] = backfillFor(schema, *table, add->column, before);
    }
  };
  keys(diff::Direction::Up, b, a);
  keys(diff::Direction::Down, a, b);
  return out;
}

/// Runs the script of one direction of `plan`: as one query, or (online) one
/// statement at a time. On failure, `failed` names the statement.
inline bool applyPlan(ScratchDatabase& db, const diff::Plan& plan, diff::Direction direction,
                      std::string& failed) {
  if (!plan.online) {
    failed = emit::planSql(plan, direction);
    return db.exec(failed);
  }
  for (const std::string& statement : emit::planStatements(plan, direction)) {
    if (!db.exec(statement)) {
      failed = statement + "\nin\n" + emit::planSql(plan, direction);
      return false;
    }
  }
  return true;
}

/// The whole property for one pair; `label` names the case in failures.
/// `rows_used` tells how many rows each table held (0 when the pair had to run empty).
inline void checkRoundTripInto(int& rows_used, ScratchDatabase& db, const model::Schema& a,
                               const model::Schema& b, const std::string& label, int rows = 3,
                               const diff::DiffOptions& diff_options = {}, bool online = false) {
  const std::string work = "w_" + std::to_string(std::hash<std::string>{}(label) % 100000);
  const std::string ref_a = work + "_a";
  const std::string ref_b = work + "_b";
  // Without an old schema (old_schema_absent) the plan creates the schema and drops it again.
  const bool absent = diff_options.old_schema_absent;
  for (const auto& name : {work, ref_a, ref_b})
    ASSERT_TRUE(db.exec("DROP SCHEMA IF EXISTS " + q(name) + " CASCADE"));
  ASSERT_TRUE(db.exec(emit::createSchemaSql(b, {.schema_name = ref_b})));
  if (absent) rows = 0;
  if (!absent) {
    ASSERT_TRUE(db.exec(emit::createSchemaSql(a, {.schema_name = ref_a})));
    ASSERT_TRUE(db.exec(emit::createSchemaSql(a, {.schema_name = work})));
  }

  diff::ChangeSet changes = diff::diffSchemas(a, b, diff_options);
  ASSERT_FALSE(changes.diagnostics.hasErrors()) << renderAll(changes.diagnostics);
  diff::PlanOptions options;
  options.schema = work;
  diff::Plan plan = diff::plan(changes, options);
  // A table created by a plan is empty (in the downgrade: a table the upgrade
  // dropped comes back without its rows): a foreign key from a table with rows
  // into it cannot be validated. Such a pair runs without rows; with real data
  // the user fills the new table first (or the data is lost: DELETES_DATA).
  // Likewise a column a plan adds (in the downgrade: one the upgrade dropped) holds
  // NULLs or its default, which a foreign key from rows cannot reference.
  for (auto direction : {diff::Direction::Up, diff::Direction::Down}) {
    std::set<std::string> created;
    std::set<std::pair<std::string, std::string>> added;
    for (const auto& step : plan.steps(direction)) {
      if (const auto* add = std::get_if<diff::AddTable>(&step.change)) created.insert(add->table.name);
      if (const auto* add = std::get_if<diff::AddColumn>(&step.change))
        added.insert({add->table, add->column.name});
    }
    for (const auto& step : plan.steps(direction)) {
      const auto* fk = std::get_if<diff::AddConstraint>(&step.change);
      if (fk == nullptr || fk->fresh_table || fk->constraint.kind != model::ConstraintKind::ForeignKey)
        continue;
      if (created.contains(fk->constraint.ref_table)) rows = 0;
      for (const auto& column : fk->constraint.ref_columns)
        if (added.contains({fk->constraint.ref_table, column})) rows = 0;
    }
  }
  rows_used = rows;
  if (rows > 0) {
    fillTables(db, a, work, rows);
    options.backfills = backfillsFor(work, a, b, plan);
    plan = diff::plan(changes, options);
  }
  if (online) plan = diff::makeOnline(std::move(plan));
  auto columns = survivingColumns(a, plan);
  Snapshot before = rows > 0 ? snapshot(db, work, columns) : Snapshot{};

  std::string failed;
  ASSERT_TRUE(applyPlan(db, plan, diff::Direction::Up, failed)) << label << ": the upgrade failed:\n"
                                                                << failed;
  expectSameCatalog(db, ref_b, work, label + ": upgraded A vs fresh B");
  expectNoDiff(db, work, ref_b, b, label + ": diff(upgraded A, B)");
  if (rows > 0) {
    // Every table the plan keeps still has all its rows (under its new name).
    std::map<std::string, std::string> renamed;
    for (const auto& step : plan.up)
      if (const auto* rename = std::get_if<diff::RenameTable>(&step.change))
        renamed[rename->from] = rename->to;
    for (const auto& [table, values] : before) {
      std::string now = renamed.contains(table) ? renamed.at(table) : table;
      EXPECT_EQ(db.queryValue("SELECT count(*) FROM " + q(work) + "." + q(now)), std::to_string(rows))
          << label << ": rows of " << table << " after the upgrade";
    }
  }

  ASSERT_TRUE(applyPlan(db, plan, diff::Direction::Down, failed)) << label << ": the downgrade failed:\n"
                                                                  << failed;
  if (absent) {
    EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = " +
                            model::postgresQuoteLiteral(work)),
              "0")
        << label << ": the downgrade leaves the schema";
    ASSERT_TRUE(db.exec("DROP SCHEMA IF EXISTS " + q(ref_b) + " CASCADE"));
    return;
  }
  expectSameCatalog(db, ref_a, work, label + ": downgraded B vs fresh A");
  expectNoDiff(db, work, ref_a, a, label + ": diff(downgraded B, A)");
  if (rows > 0) {
    Snapshot after = snapshot(db, work, columns);
    EXPECT_EQ(before, after) << label << ": rows or values lost through upgrade and downgrade";
  }
  for (const auto& name : {work, ref_a, ref_b})
    ASSERT_TRUE(db.exec("DROP SCHEMA IF EXISTS " + q(name) + " CASCADE"));
}

/// checkRoundTripInto() for callers that do not need the row count.
inline void checkRoundTrip(ScratchDatabase& db, const model::Schema& a, const model::Schema& b,
                           const std::string& label, int rows = 3, const diff::DiffOptions& diff_options = {},
                           bool online = false) {
  int rows_used = 0;
  checkRoundTripInto(rows_used, db, a, b, label, rows, diff_options, online);
}

}  // namespace felisc::testing::diffcheck
