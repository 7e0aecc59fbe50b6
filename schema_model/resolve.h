/// \file
/// Resolution: fills the SQL facts of a model read from a Felis file.
///
/// After the Felis reader builds a model from what the file says, resolution
/// adds what a database built from it will hold, in the catalog's own spelling:
/// each column's `sql_type`, `sql_default` and `generation` (Felis's
/// autoincrement rule, §6.4 of the format notes), the primary key's name
/// (`<table>_pkey`, truncated as PostgreSQL truncates it) and the names of
/// owned sequences (`<table>_<column>_seq`). Where two such names would collide,
/// a digit is appended to the label as the server does (`a_b_c_seq1`). A model
/// read from a catalog has these facts already.
///
/// A unique constraint on exactly the primary key's columns is folded into the key
/// by PostgreSQL when both are in one CREATE TABLE, and an unnamed key takes the
/// unique constraint's name (cdb_* files do this: `un_exposure_ds`). Resolution
/// names the key so, and mergedIntoConstraint() tells which constraints the
/// database does not hold on their own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schema_model/model.h"
#include "schema_model/type_mapping.h"

namespace felisc::model {

/// Resolves every table of `schema` for `dialect`. Idempotent.
void resolveSchema(Schema& schema, const Dialect& dialect);

/// The name of the constraint PostgreSQL folds `constraint` into when the table is
/// created in one CREATE TABLE: for a unique constraint with exactly the columns
/// (same order) of the primary key, the key; for one identical to an earlier unique
/// constraint (same columns, same deferrability), that one. nullopt when the
/// constraint stands on its own (always for foreign keys and checks). The database
/// has no constraint under the folded one's name, unless the key took it.
std::optional<std::string> mergedIntoConstraint(const Table& table, const Constraint& constraint);

/// The primary key's comment: its own (read from a catalog), else, as `felisc
/// create` writes it, the description of the unique constraint folded into the
/// key whose name the key took. nullopt when there is none.
std::optional<std::string> primaryKeyDescription(const Table& table);

/// PostgreSQL's makeObjectName(): `<name1>_<name2>_<label>` truncated to fit
/// 63 bytes the way the server does it (used for `_pkey` and `_seq` names).
std::string makeObjectName(std::string_view name1, std::string_view name2, std::string_view label);

}  // namespace felisc::model
