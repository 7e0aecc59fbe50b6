/// \file
/// The one place felisc spells PostgreSQL DDL for tables, columns, keys,
/// constraints, indexes and comments. `felisc create` (emitters/postgres_ddl),
/// the plan's statements (statements.cpp, online.cpp) and view recreation
/// (view_sql.cpp) all write their text through it, so they cannot disagree
/// (issue 11: `create` wrote DEFERRABLE on a CHECK, `diff` did not).
///
/// It lives in diff_engine, below emitters, so that both can call it. Every
/// function returns one statement or clause without a final ';': the callers
/// decide the layout of their scripts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/model.h"

namespace felisc::diff {

/// How CREATE INDEX runs (online plans build concurrently).
struct IndexBuild {
  bool concurrently = false;   ///< CONCURRENTLY: writes go on, outside a transaction block
  bool if_not_exists = false;  ///< IF NOT EXISTS: a rerun after a failure skips a built index
};

/// DDL text with names qualified by one schema.
class SqlWriter {
 public:
  explicit SqlWriter(std::string schema);

  [[nodiscard]] const std::string& schema() const { return schema_; }
  /// An identifier quoted exactly when PostgreSQL's quote_ident() quotes it.
  [[nodiscard]] static std::string ident(std::string_view name);
  /// A string literal (standard_conforming_strings: only `'` doubled).
  [[nodiscard]] static std::string literal(std::string_view text);
  /// `"schema".name`.
  [[nodiscard]] std::string qualified(std::string_view name) const;
  /// `a, b, c`, each quoted.
  [[nodiscard]] static std::string identList(const std::vector<std::string>& names);

  /// `name type [GENERATED ... AS IDENTITY] [DEFAULT d] [NOT NULL]`: the type as
  /// format_type() spells it (serial columns as serial, bigserial...), the
  /// default given (`default_sql`, ignored for generated columns).
  [[nodiscard]] static std::string columnDefinition(const model::Column& column, bool not_null,
                                                    const std::optional<std::string>& default_sql);
  /// `[CONSTRAINT name ]PRIMARY KEY (cols)`; `name` empty: unnamed.
  [[nodiscard]] static std::string primaryKeyDefinition(std::string_view name,
                                                        const std::vector<std::string>& columns);
  /// `CONSTRAINT name UNIQUE|CHECK|FOREIGN KEY ...`; a foreign key references
  /// `ref_schema`.table. DEFERRABLE only where PostgreSQL takes it: never on a
  /// CHECK (validate reports one, FEL227).
  [[nodiscard]] static std::string constraintDefinition(const model::Constraint& constraint,
                                                        std::string_view ref_schema);
  /// The schema a foreign key of this writer's tables references: this
  /// writer's schema when the constraint names none or `home` (the model's own
  /// name, so that renaming the output schema moves the targets too).
  [[nodiscard]] std::string referencedSchema(const model::Constraint& constraint,
                                             std::string_view home) const;
  /// ` DEFERRABLE[ INITIALLY DEFERRED]` or nothing.
  [[nodiscard]] static std::string deferrability(const model::Constraint& constraint);

  /// `CREATE TABLE s.t (\n    item,\n    item\n)` (`()` without items).
  [[nodiscard]] std::string createTable(std::string_view table, const std::vector<std::string>& items) const;
  /// `ALTER TABLE s.t ` (with the space), the head of every table alteration.
  [[nodiscard]] std::string alterTable(std::string_view table) const;
  /// `ALTER TABLE s.t ADD <definition>`.
  [[nodiscard]] std::string addToTable(std::string_view table, std::string_view definition) const;
  /// `ALTER TABLE s.t DROP CONSTRAINT name`.
  [[nodiscard]] std::string dropConstraint(std::string_view table, std::string_view name) const;
  /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON <relation>
  /// [USING m] (elements) [WHERE p]`; `relation` already qualified (a table or
  /// a materialized view).
  [[nodiscard]] static std::string createIndex(std::string_view relation, const model::Index& index,
                                               IndexBuild build = {});
  /// The same on a table of this writer's schema.
  [[nodiscard]] std::string createIndexOn(std::string_view table, const model::Index& index,
                                          IndexBuild build = {}) const;
  /// `DROP INDEX [CONCURRENTLY IF EXISTS ]s.name`.
  [[nodiscard]] std::string dropIndex(std::string_view name, bool concurrently = false) const;

  /// `CREATE SEQUENCE s.name AS type INCREMENT BY i MINVALUE m MAXVALUE x START
  /// WITH s CACHE c [NO ]CYCLE OWNED BY s.table.column`: the sequence as the
  /// catalog held it.
  [[nodiscard]] std::string createSequence(const model::Sequence& sequence) const;
  /// `DROP SEQUENCE s.name`.
  [[nodiscard]] std::string dropSequence(std::string_view name) const;

  /// `COMMENT ON <target> IS 'text'`, or `IS NULL` without text.
  [[nodiscard]] static std::string comment(std::string_view target, const std::optional<std::string>& text);
  /// Comment targets: `SCHEMA s`, `TABLE s.t`, `COLUMN s.t.c`, `CONSTRAINT c ON s.t`, `INDEX s.i`.
  [[nodiscard]] std::string schemaTarget() const;
  [[nodiscard]] std::string tableTarget(std::string_view table) const;
  [[nodiscard]] std::string columnTarget(std::string_view table, std::string_view column) const;
  [[nodiscard]] std::string constraintTarget(std::string_view table, std::string_view constraint) const;
  [[nodiscard]] std::string indexTarget(std::string_view index) const;

 private:
  std::string schema_;
};

}  // namespace felisc::diff
