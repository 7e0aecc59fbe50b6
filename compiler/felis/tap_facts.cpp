#include "compiler/felis/tap_facts.h"

#include <optional>

#include "compiler/felis/yaml_tree.h"

namespace felisc::felis {

namespace {

std::string stripped(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

/// A key under its Felis spelling or its Python name.
const YamlNode* field(const YamlDocument& doc, const YamlNode& mapping, std::string_view key,
                      std::string_view python_key) {
  if (const YamlNode* value = doc.get(mapping, key)) return value;
  return python_key.empty() ? nullptr : doc.get(mapping, python_key);
}

bool isMapping(const YamlNode* node) { return node != nullptr && node->kind == YamlNode::Kind::Mapping; }

}  // namespace

model::TapSourceFacts tapSourceFacts(std::string_view text, const std::string& display_name) {
  model::TapSourceFacts facts;
  model::Diagnostics ignored;
  std::optional<YamlDocument> doc = parseYaml(text, display_name, ignored);
  if (!doc || doc->root().kind != YamlNode::Kind::Mapping) return facts;
  const YamlNode* tables = doc->get(doc->root(), "tables");
  if (tables == nullptr || tables->kind != YamlNode::Kind::Sequence) return facts;
  for (NodeIndex table_index : tables->children) {
    const YamlNode& table = doc->node(table_index);
    if (table.kind != YamlNode::Kind::Mapping) continue;
    const YamlNode* name = doc->get(table, "name");
    if (name == nullptr || name->kind != YamlNode::Kind::Scalar) continue;
    const std::string table_name = stripped(name->value);
    // tap.py:682-703 compares `primaryKey` itself with the column's @id: a
    // one-element list never equals it.
    const YamlNode* primary_key = field(*doc, table, "primaryKey", "primary_key");
    if (primary_key != nullptr && primary_key->kind == YamlNode::Kind::Scalar &&
        resolveScalar(*primary_key).kind == ResolvedScalar::Kind::String)
      facts.scalar_primary_key_tables.insert(table_name);
    const YamlNode* refs = field(*doc, table, "columnRefs", "column_refs");
    if (!isMapping(refs)) continue;
    for (std::size_t r = 0; r + 1 < refs->children.size(); r += 2) {
      const YamlNode& resource = doc->node(refs->children[r]);
      const YamlNode& ref_tables = doc->node(refs->children[r + 1]);
      if (ref_tables.kind != YamlNode::Kind::Mapping) continue;
      for (std::size_t t = 0; t + 1 < ref_tables.children.size(); t += 2) {
        const YamlNode& columns = doc->node(ref_tables.children[t + 1]);
        if (columns.kind != YamlNode::Kind::Mapping) continue;
        for (std::size_t c = 0; c + 1 < columns.children.size(); c += 2) {
          model::TapSourceFacts::ColumnRef ref;
          ref.table = table_name;
          ref.column = std::string(doc->node(columns.children[c]).value);
          ref.resource = std::string(resource.value);
          const YamlNode& spec = doc->node(columns.children[c + 1]);
          if (spec.kind == YamlNode::Kind::Mapping) {
            const YamlNode* overrides = doc->get(spec, "overrides");
            if (isMapping(overrides))
              ref.column_index_overridden =
                  field(*doc, *overrides, "tap:column_index", "tap_column_index") != nullptr;
          }
          facts.column_refs.push_back(std::move(ref));
        }
      }
    }
  }
  return facts;
}

}  // namespace felisc::felis
