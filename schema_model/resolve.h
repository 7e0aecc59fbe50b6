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
#pragma once

#include "schema_model/model.h"
#include "schema_model/type_mapping.h"

namespace felisc::model {

/// Resolves every table of `schema` for `dialect`. Idempotent.
void resolveSchema(Schema& schema, const Dialect& dialect);

/// PostgreSQL's makeObjectName(): `<name1>_<name2>_<label>` truncated to fit
/// 63 bytes the way the server does it (used for `_pkey` and `_seq` names).
std::string makeObjectName(std::string_view name1, std::string_view name2, std::string_view label);

}  // namespace felisc::model
