/// \file
/// `felisc create`: a schema model compiled to PostgreSQL DDL.
#pragma once

#include <optional>
#include <string>

#include "schema_model/model.h"

namespace felisc::emit {

struct CreateOptions {
  std::optional<std::string> schema_name;  ///< --schema: overrides the model's name
  bool create_schema = true;               ///< emit CREATE SCHEMA
  bool transaction = true;                 ///< wrap the script in BEGIN/COMMIT
};

/// The whole script: CREATE SCHEMA, tables (columns, NOT NULL, defaults, serial
/// types, primary key, unique and check constraints), indexes, foreign keys after
/// all tables, and COMMENT ON for every description. Deterministic: the same
/// model always gives byte-identical text.
std::string createSchemaSql(const model::Schema& schema, const CreateOptions& options = {});

}  // namespace felisc::emit
