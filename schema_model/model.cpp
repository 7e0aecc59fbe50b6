#include "schema_model/model.h"

#include <algorithm>
#include <array>
#include <utility>

namespace felisc::model {

namespace {

constexpr std::array<std::pair<FelisType, std::string_view>, 13> kFelisTypeNames = {{
    {FelisType::Boolean, "boolean"},
    {FelisType::Byte, "byte"},
    {FelisType::Short, "short"},
    {FelisType::Int, "int"},
    {FelisType::Long, "long"},
    {FelisType::Float, "float"},
    {FelisType::Double, "double"},
    {FelisType::Char, "char"},
    {FelisType::String, "string"},
    {FelisType::Unicode, "unicode"},
    {FelisType::Text, "text"},
    {FelisType::Binary, "binary"},
    {FelisType::Timestamp, "timestamp"},
}};

template <typename Item>
const Item* findByName(const std::vector<Item>& items, std::string_view name) {
  auto found = std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.name == name; });
  return found == items.end() ? nullptr : &*found;
}

}  // namespace

std::string_view felisTypeName(FelisType type) {
  for (const auto& [value, name] : kFelisTypeNames)
    if (value == type) return name;
  return "int";
}

std::optional<FelisType> parseFelisType(std::string_view name) {
  for (const auto& [value, spelling] : kFelisTypeNames)
    if (spelling == name) return value;
  return std::nullopt;
}

bool isSized(FelisType type) {
  return type == FelisType::Char || type == FelisType::String || type == FelisType::Unicode ||
         type == FelisType::Binary;
}

bool isInteger(FelisType type) {
  return type == FelisType::Byte || type == FelisType::Short || type == FelisType::Int ||
         type == FelisType::Long;
}

bool isFloating(FelisType type) { return type == FelisType::Float || type == FelisType::Double; }

bool isCharacter(FelisType type) {
  return type == FelisType::Char || type == FelisType::String || type == FelisType::Unicode ||
         type == FelisType::Text;
}

std::string_view fkActionSql(FkAction action) {
  switch (action) {
    case FkAction::NoAction: return "NO ACTION";
    case FkAction::Restrict: return "RESTRICT";
    case FkAction::Cascade: return "CASCADE";
    case FkAction::SetNull: return "SET NULL";
    case FkAction::SetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

const Column* Table::findColumn(std::string_view column_name) const {
  return findByName(columns, column_name);
}
const Constraint* Table::findConstraint(std::string_view constraint_name) const {
  return findByName(constraints, constraint_name);
}
const Index* Table::findIndex(std::string_view index_name) const { return findByName(indexes, index_name); }
const Table* Schema::findTable(std::string_view table_name) const { return findByName(tables, table_name); }
const View* Schema::findView(std::string_view view_name) const { return findByName(views, view_name); }

}  // namespace felisc::model
