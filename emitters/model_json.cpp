#include "emitters/model_json.h"

namespace felisc::emit {

namespace {

Json optionalText(const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); }

template <typename Number>
Json optionalNumber(const std::optional<Number>& number) {
  return number ? Json(*number) : Json(nullptr);
}

Json strings(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const std::string& item : items) out.push_back(item);
  return out;
}

std::string_view scalarKindName(model::Scalar::Kind kind) {
  switch (kind) {
    case model::Scalar::Kind::Null: return "null";
    case model::Scalar::Kind::String: return "string";
    case model::Scalar::Kind::Integer: return "integer";
    case model::Scalar::Kind::Float: return "float";
    case model::Scalar::Kind::Boolean: return "boolean";
  }
  return "null";
}

std::string_view generationName(model::Generation generation) {
  switch (generation) {
    case model::Generation::None: return "none";
    case model::Generation::Serial: return "serial";
    case model::Generation::IdentityAlways: return "identity_always";
    case model::Generation::IdentityByDefault: return "identity_by_default";
  }
  return "none";
}

std::string_view constraintKindName(model::ConstraintKind kind) {
  switch (kind) {
    case model::ConstraintKind::Unique: return "unique";
    case model::ConstraintKind::ForeignKey: return "foreign_key";
    case model::ConstraintKind::Check: return "check";
  }
  return "unique";
}

Json annotationsJson(const std::vector<model::Annotation>& annotations) {
  Json out = Json::array();
  for (const model::Annotation& annotation : annotations)
    out.push_back(Json{{"key", annotation.key}, {"value", scalarJson(annotation.value)}});
  return out;
}

Json grantsJson(const std::vector<model::Grant>& grants) {
  Json out = Json::array();
  for (const model::Grant& grant : grants)
    out.push_back(Json{{"grantee", grant.grantee},
                       {"privilege", grant.privilege},
                       {"column", grant.column},
                       {"grantable", grant.grantable}});
  return out;
}

Json indexesJson(const std::vector<model::Index>& indexes) {
  Json out = Json::array();
  for (const model::Index& index : indexes) out.push_back(indexJson(index));
  return out;
}

/// Invalid UTF-8 (which neither a Felis file nor a UTF-8 catalog should hold) is
/// replaced rather than thrown on.
std::string dump(const Json& json) { return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace

Json scalarJson(const model::Scalar& scalar) {
  return Json{{"kind", scalarKindName(scalar.kind)}, {"text", scalar.text}};
}

Json columnJson(const model::Column& column) {
  Json out;
  out["name"] = column.name;
  out["id"] = column.id;
  out["description"] = optionalText(column.description);
  out["datatype"] = model::felisTypeName(column.datatype);
  out["length"] = optionalNumber(column.length);
  out["precision"] = optionalNumber(column.precision);
  out["nullable"] = column.nullable;
  out["value"] = column.value ? scalarJson(*column.value) : Json(nullptr);
  out["autoincrement"] = optionalNumber(column.autoincrement);
  out["postgresql_datatype"] = optionalText(column.postgresql_datatype);
  out["mysql_datatype"] = optionalText(column.mysql_datatype);
  out["annotations"] = annotationsJson(column.annotations);
  out["sql_type"] = column.sql_type;
  out["sql_default"] = optionalText(column.sql_default);
  out["generation"] = generationName(column.generation);
  out["sequence"] = column.sequence;
  return out;
}

Json constraintJson(const model::Constraint& constraint) {
  Json out;
  out["kind"] = constraintKindName(constraint.kind);
  out["name"] = constraint.name;
  out["id"] = constraint.id;
  out["description"] = optionalText(constraint.description);
  if (constraint.kind != model::ConstraintKind::Check) out["columns"] = strings(constraint.columns);
  if (constraint.kind == model::ConstraintKind::ForeignKey) {
    out["ref_schema"] = constraint.ref_schema;
    out["ref_table"] = constraint.ref_table;
    out["ref_columns"] = strings(constraint.ref_columns);
    out["on_delete"] = model::fkActionSql(constraint.on_delete);
    out["on_update"] = model::fkActionSql(constraint.on_update);
  }
  if (constraint.kind == model::ConstraintKind::Check) out["expression"] = constraint.expression;
  out["deferrable"] = constraint.deferrable;
  out["initially_deferred"] = constraint.initially_deferred;
  out["annotations"] = annotationsJson(constraint.annotations);
  return out;
}

Json indexJson(const model::Index& index) {
  Json elements = Json::array();
  for (const model::IndexElement& element : index.elements)
    elements.push_back(Json{{"text", element.text}, {"is_expression", element.is_expression}});
  Json out;
  out["name"] = index.name;
  out["id"] = index.id;
  out["description"] = optionalText(index.description);
  out["elements"] = std::move(elements);
  out["unique"] = index.unique;
  out["method"] = index.method;
  out["predicate"] = index.predicate;
  out["annotations"] = annotationsJson(index.annotations);
  return out;
}

Json tableJson(const model::Table& table) {
  Json out;
  out["name"] = table.name;
  out["id"] = table.id;
  out["description"] = optionalText(table.description);
  out["owner"] = table.owner;
  Json columns = Json::array();
  for (const model::Column& column : table.columns) columns.push_back(columnJson(column));
  out["columns"] = std::move(columns);
  out["primary_key"] = table.primary_key ? Json{{"name", table.primary_key->name},
                                                {"columns", strings(table.primary_key->columns)}}
                                         : Json(nullptr);
  Json constraints = Json::array();
  for (const model::Constraint& constraint : table.constraints)
    constraints.push_back(constraintJson(constraint));
  out["constraints"] = std::move(constraints);
  out["indexes"] = indexesJson(table.indexes);
  Json groups = Json::array();
  for (const model::ColumnGroup& group : table.column_groups)
    groups.push_back(Json{{"name", group.name},
                          {"id", group.id},
                          {"description", optionalText(group.description)},
                          {"columns", strings(group.columns)},
                          {"annotations", annotationsJson(group.annotations)}});
  out["column_groups"] = std::move(groups);
  out["annotations"] = annotationsJson(table.annotations);
  out["grants"] = grantsJson(table.grants);
  return out;
}

Json viewJson(const model::View& view) {
  Json columns = Json::array();
  for (const model::ViewColumn& column : view.columns)
    columns.push_back(Json{{"name", column.name},
                           {"sql_type", column.sql_type},
                           {"description", optionalText(column.description)}});
  Json dependencies = Json::array();
  for (const model::ViewDependency& dependency : view.depends_on)
    dependencies.push_back(Json{
        {"schema", dependency.schema}, {"relation", dependency.relation}, {"column", dependency.column}});
  Json out;
  out["name"] = view.name;
  out["materialized"] = view.materialized;
  out["definition"] = view.definition;
  out["columns"] = std::move(columns);
  out["description"] = optionalText(view.description);
  out["owner"] = view.owner;
  out["grants"] = grantsJson(view.grants);
  out["options"] = strings(view.options);
  out["depends_on"] = std::move(dependencies);
  out["indexes"] = indexesJson(view.indexes);
  return out;
}

Json schemaJson(const model::Schema& schema) {
  Json out;
  out["format"] = "felisc-model";
  out["version"] = kModelJsonVersion;
  out["name"] = schema.name;
  out["id"] = schema.id;
  out["description"] = optionalText(schema.description);
  if (schema.version)
    out["schema_version"] = Json{{"current", schema.version->current},
                                 {"compatible", strings(schema.version->compatible)},
                                 {"read_compatible", strings(schema.version->read_compatible)},
                                 {"is_mapping", schema.version->is_mapping}};
  else
    out["schema_version"] = nullptr;
  out["source_file"] = schema.source_file;
  out["annotations"] = annotationsJson(schema.annotations);
  Json tables = Json::array();
  for (const model::Table& table : schema.tables) tables.push_back(tableJson(table));
  out["tables"] = std::move(tables);
  Json views = Json::array();
  for (const model::View& view : schema.views) views.push_back(viewJson(view));
  out["views"] = std::move(views);
  return out;
}

std::string modelToJson(const model::Schema& schema) { return dump(schemaJson(schema)); }

std::string modelsToJson(const std::vector<model::Schema>& schemas) {
  Json list = Json::array();
  for (const model::Schema& schema : schemas) {
    Json one = schemaJson(schema);
    one.erase("format");
    one.erase("version");
    list.push_back(std::move(one));
  }
  Json out;
  out["format"] = "felisc-model";
  out["version"] = kModelJsonVersion;
  out["schemas"] = std::move(list);
  return dump(out);
}

}  // namespace felisc::emit
