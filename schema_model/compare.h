/// \file
/// Model equality on what a database can hold.
///
/// compareSchemas() says how two models differ, in readable lines such as
///
///     table exposure: column foo: type: expected bigint, got integer
///
/// It compares the facts a PostgreSQL catalog keeps, and only those:
///  - names (schema, tables, columns, constraints, indexes, views), as stored;
///  - column order, `sql_type`, nullability, `sql_default`, generation (serial or
///    identity) and the owned sequence's name, comments (`description`);
///  - the primary key (name, columns), constraints by name (kind, columns,
///    referenced table and columns, ON DELETE / ON UPDATE, deferrable, initially
///    deferred, check expression), indexes by name (keys, unique, method,
///    predicate);
///  - views, only when both models have some: definition, columns, comment,
///    options, dependencies, indexes; the definition text only when neither view
///    was written by a deployment profile rule (View::generated: felisc's spelling
///    of the SELECT, not pg_get_viewdef's), so such a view compares by its
///    columns (names, types, comments), dependencies, options, grants and owner;
///  - owners when both models name one; grants when both models were read from
///    a catalog (neither has a `source_file`), or when CompareOptions::grants says so.
/// It ignores what only a Felis file says: @ids, annotations (UCDs, units, TAP
/// and VOTable keys), column groups, the schema version, source positions, and
/// the Felis `datatype`/`length`/`precision`/`value`/`autoincrement`/overrides,
/// which it sees through `sql_type`, `sql_default` and `generation` instead.
///
/// Normalisation: a missing and an empty description are the same (PostgreSQL
/// drops an empty comment); a primary key column is NOT NULL whatever the file
/// says (PostgreSQL makes it so); tables, constraints and indexes match by name,
/// not position; a unique constraint PostgreSQL folds into the primary key or
/// into an identical earlier one (resolve.h: mergedIntoConstraint) is not missing
/// from a catalog that lacks it, but one a catalog holds (Constraint::stands_alone)
/// is compared as any other; the primary key's comment compares as its
/// constraint's description (resolve.h: primaryKeyDescription). Check constraint, index expression and predicate texts compare
/// modulo white space, parentheses and the case of unquoted text: a Felis file
/// holds an expression as written and the catalog as the server renders it, so
/// `a > 0 AND b < 1` matches `((a > 0) AND (b < 1))`, but casts the server adds
/// (`(status)::text = 'x'::text`) are reported as differences.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema_model/model.h"

namespace felisc::model {

/// One difference between two models, as data (for JSON reports and filters).
struct Difference {
  /// The objects it is in, outermost first: {"table exposure", "column foo"}.
  std::vector<std::string> path;
  /// The property that differs ("type", "description", "column order", ...), or
  /// "missing" (in expected only) or "unexpected" (in actual only) for a whole object.
  std::string what;
  /// The two values; "present" / "absent" for a missing or unexpected object.
  std::string expected;
  std::string actual;

  /// The line compareSchemas() gives: `table exposure: column foo: type: expected
  /// bigint, got integer`, or `table exposure: column foo: missing`.
  [[nodiscard]] std::string text() const;
};

/// What a comparison includes beyond its defaults.
struct CompareOptions {
  /// Compare grants even when a model was read from a Felis file: a model
  /// realized with a deployment profile carries the profile's grants.
  bool grants = false;
};

/// The differences between `expected` and `actual`, in a deterministic order
/// (schema facts, then tables and views in `expected`'s order, then the
/// unexpected ones). Empty when they are equal.
std::vector<Difference> schemaDifferences(const Schema& expected, const Schema& actual,
                                          const CompareOptions& options = {});

/// schemaDifferences(), one readable line each (Difference::text()).
std::vector<std::string> compareSchemas(const Schema& expected, const Schema& actual,
                                        const CompareOptions& options = {});

/// The text of a check expression, index expression or predicate reduced for
/// comparison: no parentheses, white space collapsed, unquoted text lower case.
std::string normalizeSqlExpression(std::string_view expression);

}  // namespace felisc::model
