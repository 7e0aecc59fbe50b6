#include "compiler/felis/ids.h"

namespace felisc::felis {

void IdMap::add(std::string_view id, IdTarget target, model::SourcePos pos, DiagnosticBuffer& diagnostics) {
  auto [it, inserted] = entries_.try_emplace(id, Entry{target, pos});
  if (inserted) return;
  // felis keeps the first object under the @id and fails the schema.
  diagnostics.report(model::DiagId::err_duplicate_id, pos, {id});
  diagnostics.note(model::DiagId::note_previous_definition, it->second.pos);
}

void IdMap::build(const model::Schema& schema, const SchemaSite& site, DiagnosticBuffer& diagnostics) {
  std::size_t count = 1;
  for (const model::Table& table : schema.tables)
    count += 1 + table.columns.size() + table.constraints.size();
  entries_.reserve(count);
  if (site.has_id) add(schema.id, IdTarget{IdTarget::Kind::Schema, 0, 0}, site.at("@id"), diagnostics);
  for (std::size_t t = 0; t < schema.tables.size(); ++t) {
    const model::Table& table = schema.tables[t];
    const TableSite& table_site = site.tables[t];
    if (table_site.has_id)
      add(table.id, IdTarget{IdTarget::Kind::Table, t, 0}, table_site.at("@id"), diagnostics);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const ColumnSite& column_site = table_site.columns[c];
      if (column_site.has_id)
        add(table.columns[c].id, IdTarget{IdTarget::Kind::Column, t, c}, column_site.at("@id"), diagnostics);
    }
    for (std::size_t k = 0; k < table.constraints.size(); ++k) {
      const ConstraintSite& constraint_site = table_site.constraints[k];
      if (constraint_site.has_id)
        add(table.constraints[k].id, IdTarget{IdTarget::Kind::Constraint, t, k}, constraint_site.at("@id"),
            diagnostics);
    }
  }
}

const IdTarget* IdMap::find(std::string_view id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.target;
}

std::string describeTarget(const model::Schema& schema, const IdTarget& target) {
  switch (target.kind) {
    case IdTarget::Kind::Schema: return "the schema '" + schema.name + "'";
    case IdTarget::Kind::Table: return "table '" + schema.tables[target.table].name + "'";
    case IdTarget::Kind::Column: {
      const model::Table& table = schema.tables[target.table];
      return "column '" + table.name + "." + table.columns[target.item].name + "'";
    }
    case IdTarget::Kind::Constraint:
      return "constraint '" + schema.tables[target.table].constraints[target.item].name + "'";
  }
  return "an object";
}

}  // namespace felisc::felis
