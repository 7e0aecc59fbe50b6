/// \file
/// Catalog facts: everything PostgreSQL holds for one schema, as sorted
/// (object, property) -> value pairs, so that two states compare generically and
/// completely, whatever felisc's model covers.
///
/// A fact's path names the object, outermost first, in the words compare.h uses:
/// {"table exposure"}, {"table exposure", "column airmass"}, {"table exposure",
/// "constraint un_exposure_id"}, {"table exposure", "index i"}, {"table t",
/// "trigger tr"}, {"table t", "rule r"}, {"table t", "policy p"}, {"view v"},
/// {"view v", "column c"}, {"sequence s"}. The property "" says the object
/// exists (its value is its kind); the others are:
///  - relations: owner, options (reloptions), description, definition (views,
///    pg_get_viewdef), row level security, grants (table and column grants, as
///    compare.h spells them), column order (reported apart);
///  - columns: type (format_type), collation (when not the type's), nullable,
///    default, generated, identity, statistics, storage, compression, description;
///  - constraints: definition (pg_get_constraintdef: kind, keys, references,
///    actions, deferrability, NOT VALID), description;
///  - indexes no constraint owns: definition (pg_get_indexdef: method, keys with
///    sort order, NULLS, opclass, collation, INCLUDE, predicate, storage
///    options), validity, clustering, description;
///  - sequences: options (type, start, increment, bounds, cache, cycle), owned
///    by (the column, or an identity), owner, grants;
///  - triggers (pg_get_triggerdef, enabled), rules (pg_get_ruledef) and policies
///    (command, permissive or restrictive, roles, USING, WITH CHECK), each with
///    its description.
/// Objects that belong to an extension are left out, with everything in them.
///
/// Cost: one statement, whatever the number of objects (queriesPerFactsRead()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/reader.h"
#include "schema_model/compare.h"
#include "schema_model/diagnostic.h"

namespace felisc::catalog {

/// One fact: a property of an object and its value.
struct FactKey {
  std::vector<std::string> path;
  std::string what;  ///< "" for the object's existence
  auto operator<=>(const FactKey&) const = default;
};

/// The facts of one schema, sorted by key.
struct Facts {
  std::map<FactKey, std::string> values;
  /// Tables in the schema (facts of "table X" objects), for data checks.
  [[nodiscard]] std::vector<std::string> tables() const;
  /// The table's columns with their types, in attnum order.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> columns(const std::string& table) const;
};

/// Reads the facts of `schema`; nullopt after an error (in `diagnostics`). A schema
/// that does not exist has no facts: an empty set.
std::optional<Facts> readFacts(Connection& connection, const std::string& schema,
                               model::Diagnostics& diagnostics,
                               ReadTransaction transaction = ReadTransaction::Own);

/// Statements one readFacts() sends, whatever the schema holds.
std::size_t queriesPerFactsRead();

/// Ways to set facts aside before comparing.
struct FactFilter {
  std::vector<std::string> ignored_tables{};  ///< tables left out, with everything in them
  bool owners = true;                         ///< keep owners
  bool grants = true;                         ///< keep grants
  /// The schema the facts were read from: its qualifier is removed from every
  /// value (definitions of the live schema name it, a fresh create's pg_temp_N).
  std::string qualifier{};
};
Facts filtered(Facts facts, const FactFilter& filter);

/// The differences between two fact sets, in key order: an object in one only is
/// one "missing" / "unexpected" difference (its properties are not listed), a
/// kind that differs is "kind", a property that differs is named by its key
/// ("none" where a side has no value). Column order compares the shared columns
/// only (what "column order", for partitionColumnOrder()).
std::vector<model::Difference> factDifferences(const Facts& expected, const Facts& actual);

/// What withoutQualifier() does with a string literal that starts with the qualifier.
enum class QualifiedLiterals : std::uint8_t {
  Strip,  ///< a name the server wrote qualified ('s.seq'::regclass in nextval()): it goes
  Keep,   ///< every literal as it is (a view's text)
};

/// `text` without the `"schema".` qualifiers that start a word; string literals
/// kept as they are, except a qualifier at a literal's start under `Strip`.
std::string withoutQualifier(const std::string& text, const std::string& schema,
                             QualifiedLiterals literals = QualifiedLiterals::Strip);

}  // namespace felisc::catalog
