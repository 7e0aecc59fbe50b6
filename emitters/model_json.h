/// \file
/// The schema model as JSON: `felisc inspect --format json`, and the building
/// blocks of `diff --format json`.
///
/// The structure is stable (format version kModelJsonVersion); keys keep the
/// order below, and the same model always gives byte-identical text.
///
///     {
///       "format": "felisc-model", "version": 2,  // the same two keys as every felisc JSON
///       "name", "id", "description",           // description: string or null
///       "schema_version": null | {"current", "compatible": [], "read_compatible": [], "is_mapping"},
///       "source_file",                          // "" for a model read from a catalog
///       "annotations": [Annotation],
///       "tables": [Table], "views": [View]
///     }
///     Table:  {"name", "id", "description", "owner", "columns": [Column],
///              "primary_key": null | {"name", "columns": [str]},
///              "constraints": [Constraint], "indexes": [Index],
///              "column_groups": [{"name", "id", "description", "columns", "annotations"}],
///              "annotations": [Annotation], "grants": [Grant]}
///     Column: {"name", "id", "description",
///              "datatype", "length", "precision", "nullable", "value", "autoincrement",
///              "postgresql_datatype", "mysql_datatype", "annotations",   // what Felis says
///              "sql_type", "sql_default", "generation", "sequence"}      // what PostgreSQL holds
///             length, precision, autoincrement, the overrides and sql_default are null
///             when unset; generation is "none", "serial", "identity_always" or
///             "identity_by_default"; value is null or a Scalar.
///     Constraint: {"kind": "unique" | "foreign_key" | "check", "name", "id", "description",
///              "columns"                                   (unique, foreign_key)
///              "ref_schema", "ref_table", "ref_columns",   (foreign_key; ref_schema "" = same)
///              "on_delete", "on_update"                    (foreign_key: "NO ACTION", "CASCADE", ...)
///              "expression"                                (check)
///              "deferrable", "initially_deferred", "annotations"}
///     Index:  {"name", "id", "description", "elements": [{"text", "is_expression"}],
///              "unique", "method", "predicate", "annotations"}   // predicate "" = none
///     View:   {"name", "materialized", "definition", "columns": [{"name", "sql_type", "description"}],
///              "description", "owner", "grants": [Grant], "options": [str],
///              "depends_on": [{"schema", "relation", "column"}], "indexes": [Index]}
///     Grant:  {"grantee", "privilege", "column", "grantable"}   // column "" = whole relation
///     Annotation: {"key", "value": Scalar}
///     Scalar: {"kind": "null" | "string" | "integer" | "float" | "boolean", "text"}
///
/// Source positions are not written. docs/json-schemas/model.schema.json is the
/// JSON Schema of this structure. Version 2 renamed version 1's "format_version"
/// to "version" and its "version" (the Felis version) to "schema_version".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "schema_model/model.h"

namespace felisc::emit {

inline constexpr int kModelJsonVersion = 2;

using Json = nlohmann::ordered_json;

Json scalarJson(const model::Scalar& scalar);
Json columnJson(const model::Column& column);
Json constraintJson(const model::Constraint& constraint);
Json indexJson(const model::Index& index);
Json tableJson(const model::Table& table);
Json viewJson(const model::View& view);
Json schemaJson(const model::Schema& schema);

/// One schema as a JSON document (2-space indent, final newline).
std::string modelToJson(const model::Schema& schema);
/// Several schemas: `{"format": ..., "schemas": [...]}`.
std::string modelsToJson(const std::vector<model::Schema>& schemas);

}  // namespace felisc::emit
