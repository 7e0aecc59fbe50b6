/// \file
/// The schema model as a Felis file: `felisc inspect --format yaml`.
///
/// The writer first projects the model onto what Felis can say (datatype,
/// length, precision, nullable, value, autoincrement, `postgresql:datatype`,
/// descriptions, the primary key, unique / foreign key / check constraints,
/// plain indexes), resolves that projection exactly as the Felis reader would,
/// and compares it with the model (schema_model/compare.h). Every difference is
/// a warning: something the database holds that the file cannot carry (a
/// default that is not a literal, an identity column, a partial or unique index,
/// a primary key not named `<table>_pkey`, grants, views, ...). When there is no
/// warning, `felisc create` of the file gives back the same catalog.
///
/// Output is deterministic text written by hand: fixed key order, two-space
/// indent, names plain when YAML 1.1 reads them back as the same string and
/// double-quoted otherwise, descriptions and expressions always double-quoted
/// with escapes, floats in YAML 1.1 float form (`1.0e-07`).
#pragma once

#include <string>
#include <string_view>

#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::emit {

/// Writes `schema` as a Felis YAML document; what it cannot carry is reported as
/// warnings in `diagnostics`.
std::string felisYaml(const model::Schema& schema, model::Diagnostics& diagnostics);

/// What the Felis file written for `schema` says, as a model resolved for
/// PostgreSQL: the model a Felis reader builds from felisYaml()'s output.
model::Schema felisProjection(const model::Schema& schema);

/// A YAML scalar for `text` that a YAML 1.1 reader (PyYAML, libyaml) reads back
/// as exactly this string: plain when that is safe, else double-quoted.
std::string yamlString(std::string_view text);
/// Always double-quoted, with YAML escapes for `\`, `"`, control and
/// non-printable characters.
std::string yamlQuoted(std::string_view text);
/// Python's float repr ("1e-07", "inf") as a YAML 1.1 float ("1.0e-07", ".inf").
std::string yamlFloat(std::string_view python_repr);

}  // namespace felisc::emit
