/// \file
/// What TAP_SCHEMA rows depend on that the schema model does not keep: whether a
/// table's `primaryKey` is written as a single string (only then does felis mark
/// the column `indexed`) and which columns are `columnRefs` copies (numbered by
/// --column-ref-index-increment). Read from the YAML tree of the file.
#pragma once

#include <string>
#include <string_view>

#include "schema_model/tap_rows.h"

namespace felisc::felis {

/// The facts of a Felis file's text. The file is assumed to have been read
/// successfully by readFelisFile; a text that does not parse gives no facts.
model::TapSourceFacts tapSourceFacts(std::string_view text, const std::string& display_name);

}  // namespace felisc::felis
