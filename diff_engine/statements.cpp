// SQL for each change record (PostgreSQL 15), with its hazards and backfill slot.
#include <algorithm>
#include <cctype>

#include "diff_engine/planner.h"
#include "diff_engine/sql_writer.h"
#include "diff_engine/type_change.h"
#include "diff_engine/view_sql.h"
#include "schema_model/overloaded.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::diff {

namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;
using model::Generation;

bool isIdentity(Generation generation) {
  return generation == Generation::IdentityAlways || generation == Generation::IdentityByDefault;
}

/// A backfill text that is a whole statement rather than an expression.
bool isStatement(std::string_view text) {
  std::string head;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c)) == 0) {
      if (!head.empty()) break;
      if (std::isspace(static_cast<unsigned char>(c)) != 0) continue;
      break;
    }
    head.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return head == "UPDATE" || head == "WITH" || head == "INSERT" || head == "DELETE" || head == "SELECT" ||
         head == "DO";
}

std::string trimmedStatement(std::string text) {
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) != 0 || text.back() == ';'))
    text.pop_back();
  auto first = text.find_first_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : text.substr(first);
}

class Renderer {
 public:
  Renderer(const std::string& schema, const PlanOptions& options, Step& step)
      : pg_(model::postgresDialect()), sql_(schema), schema_(schema), options_(options), step_(step) {}

  void render(const Change& change) {
    std::visit(
        Overloaded{
            [&](const CreateSchema&) { add("CREATE SCHEMA " + q(schema_)); },
            [&](const DropSchema&) { add("DROP SCHEMA " + q(schema_)); },
            [&](const AddTable& c) { addTable(c.table); },
            [&](const DropTable& c) {
              add("DROP TABLE " + qualified(c.table.name));
              hazard(HazardKind::DeletesData, "drops table " + c.table.name + " and all its rows");
            },
            [&](const RenameTable& c) { add("ALTER TABLE " + qualified(c.from) + " RENAME TO " + q(c.to)); },
            [&](const AddColumn& c) { addColumn(c); },
            [&](const DropColumn& c) {
              add(alterTable(c.table) + "DROP COLUMN " + q(c.column.name));
              hazard(HazardKind::DeletesData,
                     "drops column " + c.table + "." + c.column.name + " and its values");
            },
            [&](const AlterColumn& c) { alterColumn(c); },
            [&](const CreateView& c) {
              for (auto& sql : createViewStatements(c.view, schema_)) add(std::move(sql));
              if (c.view.materialized)
                hazard(HazardKind::RewritesTable, "recreating materialized view " + c.view.name +
                                                      " runs its query and stores the rows again");
            },
            [&](const DropView& c) { add(dropViewStatement(c.view, schema_)); },
            [&](const DropSequence& c) { add(sql_.dropSequence(c.sequence.name)); },
            [&](const CreateSequence& c) { add(sql_.createSequence(c.sequence)); },
            [&](const RenameColumn& c) {
              add(alterTable(c.table) + "RENAME COLUMN " + q(c.from) + " TO " + q(c.to));
            },
            [&](const SetComment& c) { setComment(c); },
            [&](const AddConstraint& c) { addConstraint(c); },
            [&](const DropConstraint& c) { add(sql_.dropConstraint(c.table, c.constraint.name)); },
            [&](const RenameConstraint& c) {
              add(alterTable(c.table) + "RENAME CONSTRAINT " + q(c.from) + " TO " + q(c.to));
            },
            [&](const AddPrimaryKey& c) {
              add(sql_.addToTable(c.table, SqlWriter::primaryKeyDefinition(c.key.name, c.key.columns)));
              // The key's comment comes with it (also when a downgrade puts a dropped key back).
              if (normalizedDescription(c.key.description))
                comment(sql_.constraintTarget(c.table, c.key.name), c.key.description);
              hazard(HazardKind::BuildsIndex, "builds the primary key index of " + c.table);
            },
            [&](const DropPrimaryKey& c) { add(sql_.dropConstraint(c.table, c.key.name)); },
            [&](const AddIndex& c) {
              add(sql_.createIndexOn(c.table, c.index));
              if (c.index.description) comment(sql_.indexTarget(c.index.name), c.index.description);
              if (!c.fresh_table) hazard(HazardKind::BuildsIndex, "builds index " + c.index.name);
            },
            [&](const DropIndex& c) { add(sql_.dropIndex(c.index.name)); },
            [&](const RenameIndex& c) { add("ALTER INDEX " + qualified(c.from) + " RENAME TO " + q(c.to)); },
            [&](const RenameSequence& c) {
              add("ALTER SEQUENCE " + qualified(c.from) + " RENAME TO " + q(c.to));
            },
        },
        change);
    step_.data_loss = losesData(change);
  }

 private:
  [[nodiscard]] std::string q(std::string_view name) const { return pg_.quoteIdentifier(name); }
  [[nodiscard]] std::string qualified(std::string_view name) const { return q(schema_) + "." + q(name); }
  [[nodiscard]] std::string alterTable(std::string_view table) const { return sql_.alterTable(table); }
  [[nodiscard]] std::string alterColumnPrefix(std::string_view table, std::string_view column) const {
    return alterTable(table) + "ALTER COLUMN " + q(column) + " ";
  }
  void add(std::string sql) { step_.sql.push_back(std::move(sql)); }
  void hazard(HazardKind kind, std::string message) { step_.hazards.push_back({kind, std::move(message)}); }

  /// COMMENT ON with the description as the model normalizes it (IS NULL for none).
  void comment(const std::string& target, const std::optional<std::string>& text) {
    add(SqlWriter::comment(target, normalizedDescription(text)));
  }

  /// `name type [GENERATED ...] [DEFAULT x] [NOT NULL]`; `not_null` overrides the column's.
  [[nodiscard]] static std::string columnDefinition(const Column& column, bool not_null) {
    return SqlWriter::columnDefinition(column, not_null, column.sql_default);
  }

  [[nodiscard]] std::string constraintDefinition(const Constraint& c) const {
    return SqlWriter::constraintDefinition(c, sql_.referencedSchema(c, schema_));
  }

  /// A serial column's sequence gets PostgreSQL's default name; rename it when the model says otherwise.
  void renameDefaultSequence(const std::string& table, const Column& column) {
    if (column.generation != Generation::Serial || column.sequence.empty()) return;
    std::string chosen = model::makeObjectName(table, column.name, "seq");
    if (chosen != column.sequence)
      add("ALTER SEQUENCE " + qualified(chosen) + " RENAME TO " + q(column.sequence));
  }

  void addTable(const model::Table& table) {
    std::vector<std::string> items;
    for (const auto& column : table.columns) items.push_back(columnDefinition(column, !column.nullable));
    if (table.primary_key)
      items.push_back(SqlWriter::primaryKeyDefinition(table.primary_key->name, table.primary_key->columns));
    for (const auto& constraint : table.constraints) items.push_back(constraintDefinition(constraint));
    add(sql_.createTable(table.name, items));
    for (const auto& column : table.columns) renameDefaultSequence(table.name, column);
    for (const auto& index : table.indexes) add(sql_.createIndexOn(table.name, index));
    if (normalizedDescription(table.description)) comment(sql_.tableTarget(table.name), table.description);
    for (const auto& column : table.columns)
      if (normalizedDescription(column.description))
        comment(sql_.columnTarget(table.name, column.name), column.description);
    // The key's comment (a folded unique's description), as create writes it;
    // also when a downgrade recreates a dropped table.
    if (table.primary_key && normalizedDescription(table.primary_key->description))
      comment(sql_.constraintTarget(table.name, table.primary_key->name), table.primary_key->description);
    for (const auto& constraint : table.constraints)
      if (normalizedDescription(constraint.description))
        comment(sql_.constraintTarget(table.name, constraint.name), constraint.description);
    for (const auto& index : table.indexes)
      if (normalizedDescription(index.description)) comment(sql_.indexTarget(index.name), index.description);
  }

  /// Existing rows get a value before SET NOT NULL: the provided SQL, the
  /// column's default, or a guard that stops the script if a NULL is there.
  void backfill(const std::string& table, const Column& column, bool default_available) {
    BackfillSlot slot{table, column.name, BackfillSlot::Source::Missing, {}, step_.sql.size()};
    std::string target = qualified(table);
    std::string col = q(column.name);
    auto provided = options_.backfills.find(table + "." + column.name);
    if (provided != options_.backfills.end()) {
      slot.source = BackfillSlot::Source::Provided;
      slot.sql = trimmedStatement(provided->second);
      add(isStatement(slot.sql)
              ? slot.sql
              : "UPDATE " + target + " SET " + col + " = (" + slot.sql + ") WHERE " + col + " IS NULL");
      hazard(HazardKind::Backfill, "fills NULLs of " + table + "." + column.name + " with the provided SQL");
    } else if (default_available) {
      slot.source = BackfillSlot::Source::Default;
      slot.sql =
          column.generation == Generation::Serial ? "nextval()" : column.sql_default.value_or("DEFAULT");
      add("UPDATE " + target + " SET " + col + " = DEFAULT WHERE " + col + " IS NULL");
      hazard(HazardKind::Backfill,
             "fills NULLs of " + table + "." + column.name + " with its default " + slot.sql);
    } else {
      std::string message = "felisc: backfill missing for " + table + "." + column.name +
                            ": it becomes NOT NULL, has no default, and holds NULLs";
      std::string escaped;
      for (char c : message) escaped += c == '%' ? std::string("%%") : std::string(1, c);
      add("DO $felisc$ BEGIN IF EXISTS (SELECT 1 FROM " + target + " WHERE " + col +
          " IS NULL) THEN RAISE EXCEPTION " + pg_.quoteLiteral(escaped) + "; END IF; END $felisc$");
      hazard(HazardKind::BackfillMissing, "no backfill for " + table + "." + column.name +
                                              " (give one with --backfill, or a default): the upgrade stops "
                                              "if the table holds rows");
    }
    step_.backfill = std::move(slot);
  }

  /// A NOT NULL column: with a default and no backfill given, PostgreSQL fills
  /// the rows with the default in ADD COLUMN; otherwise the column is added
  /// nullable (and without its default, which ADD COLUMN would write into every
  /// row), backfilled, then given its default and NOT NULL. A backfill given for
  /// a column with a default wins: a default cannot fill a unique key.
  void addColumn(const AddColumn& c) {
    const Column& column = c.column;
    const bool plain = column.generation == Generation::None;
    const bool provided = options_.backfills.contains(c.table + "." + column.name);
    const bool needs_backfill = !column.nullable && plain && (!column.sql_default || provided);
    Column added = column;
    if (needs_backfill) added.sql_default.reset();
    add(alterTable(c.table) + "ADD COLUMN " + columnDefinition(added, !column.nullable && !needs_backfill));
    if (needs_backfill) {
      backfill(c.table, column, false);
      if (column.sql_default)
        add(alterColumnPrefix(c.table, column.name) + "SET DEFAULT " + *column.sql_default);
      add(alterColumnPrefix(c.table, column.name) + "SET NOT NULL");
      hazard(HazardKind::ValidatesRows, "SET NOT NULL scans " + c.table);
    }
    if (column.generation != Generation::None)
      hazard(HazardKind::RewritesTable,
             "fills " + c.table + "." + column.name + " from a sequence in every row");
    renameDefaultSequence(c.table, column);
    if (normalizedDescription(column.description))
      comment(sql_.columnTarget(c.table, column.name), column.description);
  }

  void alterColumn(const AlterColumn& c) {
    const Column& from = c.from;
    const Column& to = c.to;
    const std::string prefix = alterColumnPrefix(c.table, to.name);
    const std::string col = q(to.name);
    const bool type = (c.kinds & kColumnType) != 0;
    const bool generation = (c.kinds & kColumnGeneration) != 0;
    const bool defaults = (c.kinds & kColumnDefault) != 0;

    // 1. Generation that goes away (a serial's default depends on its sequence).
    if (generation && from.generation == Generation::Serial) {
      add(prefix + "DROP DEFAULT");
      std::string sequence =
          from.sequence.empty() ? model::makeObjectName(c.table, to.name, "seq") : from.sequence;
      add("DROP SEQUENCE " + qualified(sequence));
    }
    if (generation && isIdentity(from.generation) && !isIdentity(to.generation))
      add(prefix + "DROP IDENTITY");
    // 2. The old default, which may not cast to the new type.
    if (from.generation == Generation::None && from.sql_default && (defaults || type))
      add(prefix + "DROP DEFAULT");
    // 3. The type.
    if (type) alterType(c, prefix, col);
    // 4. The new default.
    if (to.generation == Generation::None && to.sql_default && (defaults || type))
      add(prefix + "SET DEFAULT " + *to.sql_default);
    // 5. A serial: its sequence, the default, and a start after the existing values.
    if (generation && to.generation == Generation::Serial) {
      std::string sequence =
          to.sequence.empty() ? model::makeObjectName(c.table, to.name, "seq") : to.sequence;
      std::string sequence_literal = pg_.quoteLiteral(qualified(sequence));
      add("CREATE SEQUENCE " + qualified(sequence) + " AS " + to.sql_type + " OWNED BY " +
          qualified(c.table) + "." + col);
      add(prefix + "SET DEFAULT nextval(" + sequence_literal + "::regclass)");
      add("SELECT setval(" + sequence_literal + ", COALESCE(max(" + col + "), 0) + 1, false) FROM " +
          qualified(c.table));
    }
    // 6. Nullability: backfill, then SET NOT NULL; or DROP NOT NULL.
    if ((c.kinds & kColumnNullability) != 0) {
      if (!to.nullable) {
        backfill(
            c.table, to,
            to.generation == Generation::Serial || (to.generation == Generation::None && to.sql_default));
        add(prefix + "SET NOT NULL");
        hazard(HazardKind::ValidatesRows, "SET NOT NULL scans " + c.table);
      } else {
        add(prefix + "DROP NOT NULL");
      }
    }
    // 7. Identity that appears or changes kind (needs NOT NULL first).
    if (generation && isIdentity(to.generation)) {
      std::string kind = to.generation == Generation::IdentityAlways ? "ALWAYS" : "BY DEFAULT";
      if (isIdentity(from.generation)) {
        add(prefix + "SET GENERATED " + kind);
      } else {
        add(prefix + "ADD GENERATED " + kind + " AS IDENTITY");
        add("SELECT setval(pg_get_serial_sequence(" + pg_.quoteLiteral(qualified(c.table)) + ", " +
            pg_.quoteLiteral(to.name) + "), COALESCE(max(" + col + "), 0) + 1, false) FROM " +
            qualified(c.table));
      }
    }
  }

  void alterType(const AlterColumn& c, const std::string& prefix, const std::string& col) {
    TypeChange change = classifyTypeChange(c.from.sql_type, c.to.sql_type, col);
    std::string sql = prefix + "TYPE " + c.to.sql_type;
    if (change.needs_using) sql += " USING " + change.using_expr;
    add(sql);
    if (c.from.generation == Generation::Serial && c.to.generation == Generation::Serial &&
        !c.to.sequence.empty())
      add("ALTER SEQUENCE " + qualified(c.to.sequence) + " AS " + c.to.sql_type);
    std::string what = c.table + "." + c.to.name + " from " + c.from.sql_type + " to " + c.to.sql_type;
    if (!change.convertible)
      hazard(HazardKind::CastMayFail, "PostgreSQL has no conversion from " + c.from.sql_type + " to " +
                                          c.to.sql_type + ": the statement fails; write its USING by hand");
    if (change.narrows) hazard(HazardKind::NarrowsType, "values may not survive converting " + what);
    if (change.may_fail)
      hazard(HazardKind::CastMayFail, "converting " + what + " fails on values that do not fit");
    if (change.timezone_dependent)
      hazard(HazardKind::TimezoneDependent, "converting " + what + " uses the session TimeZone");
    if (change.rewrites)
      hazard(HazardKind::RewritesTable,
             "converting " + what + " rewrites the table" +
                 (change.rewrite_skipped_in_utc ? " (not when the session TimeZone is UTC)" : ""));
  }

  void setComment(const SetComment& c) {
    switch (c.kind) {
      case ObjectKind::Schema: comment(sql_.schemaTarget(), c.to); return;
      case ObjectKind::Table: comment(sql_.tableTarget(c.table), c.to); return;
      case ObjectKind::Column: comment(sql_.columnTarget(c.table, c.object), c.to); return;
      case ObjectKind::Constraint: comment(sql_.constraintTarget(c.table, c.object), c.to); return;
      case ObjectKind::Index: comment(sql_.indexTarget(c.object), c.to); return;
      case ObjectKind::View: comment("VIEW " + qualified(c.table), c.to); return;
      case ObjectKind::MaterializedView: comment("MATERIALIZED VIEW " + qualified(c.table), c.to); return;
    }
  }

  void addConstraint(const AddConstraint& c) {
    add(sql_.addToTable(c.table, constraintDefinition(c.constraint)));
    if (normalizedDescription(c.constraint.description))
      comment(sql_.constraintTarget(c.table, c.constraint.name), c.constraint.description);
    if (c.fresh_table) return;
    if (c.constraint.kind == ConstraintKind::Unique)
      hazard(HazardKind::BuildsIndex, "builds the index of " + c.constraint.name);
    else
      hazard(HazardKind::ValidatesRows, "checks every row of " + c.table + " against " + c.constraint.name);
  }

  const model::Dialect& pg_;
  SqlWriter sql_;
  const std::string& schema_;
  const PlanOptions& options_;
  Step& step_;
};

}  // namespace

Step renderStep(const Change& change, const std::string& schema, const PlanOptions& options) {
  Step step;
  step.change = change;
  Renderer(schema, options, step).render(change);
  return step;
}

}  // namespace felisc::diff
