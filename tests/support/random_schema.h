/// \file
/// A seeded generator of random, valid schema pairs for the diff property test:
/// a random schema A, and B = A after a few random edits (tables and columns
/// added, dropped, renamed with a stable @id, retyped, made NOT NULL or nullable,
/// defaults and descriptions changed; keys, unique, check and foreign-key
/// constraints and indexes added, dropped, renamed and changed).
///
/// Models are built at the Felis level and resolved, as the Felis reader does.
/// Every schema stays valid for PostgreSQL: a foreign key always has a key on
/// its referenced columns and the same types on both sides, boolean columns
/// are never in a key (three rows would repeat a value), a check only names a
/// numeric column whose type never changes.
#pragma once

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "schema_model/model.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::testing {

class RandomSchemas {
 public:
  explicit RandomSchemas(std::uint64_t seed) : rng_(seed) {}

  /// A random schema of 1-5 tables.
  model::Schema schema() {
    model::Schema s;
    s.name = "rnd";
    int tables = between(1, 5);
    for (int i = 0; i < tables; ++i) s.tables.push_back(table());
    for (auto& t : s.tables)
      if (chance(35)) addForeignKey(s, t);
    repair(s);
    return s;
  }

  /// `a` after 1-6 random edits.
  model::Schema mutate(const model::Schema& a) {
    model::Schema b = a;
    int edits = between(1, 6);
    for (int i = 0; i < edits; ++i) edit(b);
    repair(b);
    return b;
  }

  /// The model as the Felis reader hands it over: SQL facts filled.
  static model::Schema resolved(model::Schema schema) {
    model::resolveSchema(schema, model::postgresDialect());
    return schema;
  }

 private:
  using Table = model::Table;
  using Column = model::Column;
  using FelisType = model::FelisType;

  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  template <class T>
  T& pick(std::vector<T>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))];
  }

  std::string fresh(const char* prefix) { return prefix + std::to_string(++counter_); }

  /// Types that convert into each other on the generated values (see diff_roundtrip.h).
  static constexpr FelisType kChangeable[] = {FelisType::Short, FelisType::Int,    FelisType::Long,
                                              FelisType::Float, FelisType::Double, FelisType::String,
                                              FelisType::Text};

  void setType(Column& c, FelisType type) {
    c.datatype = type;
    c.length.reset();
    c.precision.reset();
    if (type == FelisType::String || type == FelisType::Char)
      c.length = std::vector<int>{8, 16, 32}[between(0, 2)];
    if (type == FelisType::Timestamp && chance(50)) c.precision = between(0, 6);
  }

  void setDefault(Column& c) {
    using Kind = model::Scalar::Kind;
    switch (c.datatype) {
      case FelisType::Short:
      case FelisType::Int:
      case FelisType::Long: c.value = model::Scalar{Kind::Integer, std::to_string(between(0, 99))}; break;
      case FelisType::Float:
      case FelisType::Double:
        c.value = model::Scalar{Kind::Float, std::to_string(between(0, 9)) + ".5"};
        break;
      case FelisType::String:
      case FelisType::Text:
        c.value = model::Scalar{Kind::String, "d" + std::to_string(between(0, 99))};
        break;
      case FelisType::Boolean: c.value = model::Scalar{Kind::Boolean, chance(50) ? "true" : "false"}; break;
      default: c.value.reset();
    }
  }

  Column column(const std::string& table_id) {
    Column c;
    c.name = fresh("c");
    c.id = table_id + "." + c.name;
    static constexpr FelisType kAll[] = {FelisType::Short, FelisType::Int,     FelisType::Long,
                                         FelisType::Float, FelisType::Double,  FelisType::String,
                                         FelisType::Text,  FelisType::Boolean, FelisType::Timestamp};
    setType(c, kAll[between(0, 8)]);
    c.nullable = chance(60);
    if (chance(20)) setDefault(c);
    if (chance(30)) c.description = "column " + c.name;
    return c;
  }

  static bool keyable(const Column& c) { return c.datatype != FelisType::Boolean; }

  std::vector<std::string> keyableColumns(const Table& t, int count) {
    std::vector<std::string> names;
    for (const auto& c : t.columns)
      if (keyable(c)) names.push_back(c.name);
    std::shuffle(names.begin(), names.end(), rng_);
    names.resize(std::min<std::size_t>(names.size(), static_cast<std::size_t>(count)));
    return names;
  }

  Table table() {
    Table t;
    t.name = fresh("t");
    t.id = "#" + t.name;
    int columns = between(1, 6);
    for (int i = 0; i < columns; ++i) t.columns.push_back(column(t.id));
    if (chance(30)) t.description = "table " + t.name;
    if (chance(60)) setPrimaryKey(t);
    if (chance(30)) addUnique(t);
    if (chance(20)) addCheck(t);
    if (chance(30)) addIndex(t);
    return t;
  }

  void setPrimaryKey(Table& t) {
    auto key = keyableColumns(t, between(1, 2));
    if (key.empty()) {
      t.primary_key.reset();
      return;
    }
    t.primary_key = model::PrimaryKey{"", key, {}};
  }

  void addUnique(Table& t) {
    auto key = keyableColumns(t, between(1, 2));
    if (key.empty()) return;
    model::Constraint c;
    c.kind = model::ConstraintKind::Unique;
    c.name = fresh("un");
    c.id = "#" + c.name;
    c.columns = key;
    if (chance(20)) c.description = "unique " + c.name;
    if (chance(15)) c.deferrable = true;
    t.constraints.push_back(c);
  }

  void addCheck(Table& t) {
    for (auto& column : t.columns) {
      bool numeric = model::isInteger(column.datatype) || model::isFloating(column.datatype);
      if (!numeric || checked_.contains(column.id)) continue;
      model::Constraint c;
      c.kind = model::ConstraintKind::Check;
      c.name = fresh("ck");
      c.id = "#" + c.name;
      c.expression = column.name + " > -1000000";
      checked_.insert(column.id);
      t.constraints.push_back(c);
      return;
    }
  }

  void addIndex(Table& t) {
    auto columns = keyableColumns(t, between(1, 2));
    if (columns.empty()) return;
    model::Index index;
    index.name = fresh("ix");
    for (const auto& c : columns) index.elements.push_back({c, false});
    index.unique = chance(20);
    if (chance(20)) index.description = "index " + index.name;
    t.indexes.push_back(index);
  }

  /// A foreign key from new columns of `t` (copies of the referenced key's
  /// columns) to a key of some table.
  void addForeignKey(model::Schema& s, Table& t) {
    std::vector<std::pair<Table*, std::vector<std::string>>> keys;
    for (auto& target : s.tables) {
      if (target.primary_key) keys.emplace_back(&target, target.primary_key->columns);
      for (const auto& c : target.constraints)  // PostgreSQL: a deferrable key cannot be referenced
        if (c.kind == model::ConstraintKind::Unique && !c.deferrable) keys.emplace_back(&target, c.columns);
    }
    if (keys.empty()) return;
    auto& [target, key] = pick(keys);
    model::Constraint fk;
    fk.kind = model::ConstraintKind::ForeignKey;
    fk.name = fresh("fk");
    fk.id = "#" + fk.name;
    fk.ref_table = target->name;
    fk.ref_columns = key;
    for (const auto& name : key) {
      const Column* referenced = target->findColumn(name);
      Column copy = column(t.id);
      setType(copy, referenced->datatype);
      copy.length = referenced->length;
      copy.precision = referenced->precision;
      copy.value.reset();
      copy.postgresql_datatype = referenced->postgresql_datatype;
      fixed_.insert(copy.id);
      fixed_.insert(referenced->id);
      fk.columns.push_back(copy.name);
      t.columns.push_back(copy);
    }
    if (chance(30)) fk.on_delete = model::FkAction::Cascade;
    if (chance(20)) fk.description = "references " + target->name;
    t.constraints.push_back(fk);
  }

  /// Renames column `from` of `t` to `to` everywhere a name refers to it.
  static void renameColumn(model::Schema& s, Table& t, const std::string from,
                           const std::string to) {  // NOLINT: copies, `from` may alias a column name
    auto swap = [&](std::vector<std::string>& names) { std::replace(names.begin(), names.end(), from, to); };
    for (auto& c : t.columns)
      if (c.name == from) c.name = to;
    if (t.primary_key) swap(t.primary_key->columns);
    for (auto& c : t.constraints) {
      swap(c.columns);
      if (c.kind == model::ConstraintKind::Check && c.expression.starts_with(from + " "))
        c.expression = to + c.expression.substr(from.size());
    }
    for (auto& index : t.indexes)
      for (auto& e : index.elements)
        if (e.text == from) e.text = to;
    for (auto& other : s.tables)
      for (auto& c : other.constraints)
        if (c.kind == model::ConstraintKind::ForeignKey && c.ref_table == t.name) swap(c.ref_columns);
  }

  /// Removes what names a column that is gone.
  static void dropColumnReferences(model::Schema& s, Table& t, const std::string& name) {
    auto uses = [&](const std::vector<std::string>& names) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (t.primary_key && uses(t.primary_key->columns)) t.primary_key.reset();
    std::erase_if(t.constraints, [&](const model::Constraint& c) {
      return uses(c.columns) ||
             (c.kind == model::ConstraintKind::Check && c.expression.starts_with(name + " "));
    });
    std::erase_if(t.indexes, [&](const model::Index& index) {
      return std::any_of(index.elements.begin(), index.elements.end(),
                         [&](const model::IndexElement& e) { return e.text == name; });
    });
    for (auto& other : s.tables)
      std::erase_if(other.constraints, [&](const model::Constraint& c) {
        return c.kind == model::ConstraintKind::ForeignKey && c.ref_table == t.name && uses(c.ref_columns);
      });
  }

  void edit(model::Schema& s) {
    if (s.tables.empty() || chance(10)) {
      s.tables.push_back(table());
      if (chance(50)) addForeignKey(s, s.tables.back());
      return;
    }
    Table& t = pick(s.tables);
    switch (between(0, 15)) {
      case 0: {  // drop a table, and the foreign keys into it
        std::string name = t.name;
        std::erase_if(s.tables, [&](const Table& x) { return x.name == name; });
        for (auto& other : s.tables)
          std::erase_if(other.constraints, [&](const model::Constraint& c) { return c.ref_table == name; });
        return;
      }
      case 1: {  // rename a table (its @id stays)
        std::string from = t.name;
        std::string to = fresh("t");
        t.name = to;
        for (auto& other : s.tables)
          for (auto& c : other.constraints)
            if (c.ref_table == from) c.ref_table = to;
        return;
      }
      case 2: {  // add a column
        Column c = column(t.id);
        if (!c.nullable && chance(40)) setDefault(c);
        t.columns.push_back(c);
        return;
      }
      case 3: {  // drop a column
        if (t.columns.size() < 2) return;
        Column& c = pick(t.columns);
        std::string name = c.name;
        dropColumnReferences(s, t, name);
        std::erase_if(t.columns, [&](const Column& x) { return x.name == name; });
        return;
      }
      case 4: {  // rename a column (its @id stays)
        Column& c = pick(t.columns);
        renameColumn(s, t, c.name, fresh("c"));
        return;
      }
      case 5: {  // change a column's type
        Column& c = pick(t.columns);
        if (fixed_.contains(c.id) || checked_.contains(c.id) || c.datatype == FelisType::Boolean ||
            c.datatype == FelisType::Timestamp)
          return;
        setType(c, kChangeable[between(0, 6)]);
        if (c.value) setDefault(c);
        return;
      }
      case 6: pick(t.columns).nullable = chance(50); return;
      case 7: {  // default set, changed or removed
        Column& c = pick(t.columns);
        if (chance(30))
          c.value.reset();
        else
          setDefault(c);
        return;
      }
      case 8: {  // descriptions
        if (chance(50))
          t.description = chance(70) ? std::optional<std::string>("new text " + fresh("d")) : std::nullopt;
        else
          pick(t.columns).description =
              chance(70) ? std::optional<std::string>("text " + fresh("d")) : std::nullopt;
        return;
      }
      case 9: addUnique(t); return;
      case 10: {  // drop or rename a constraint
        if (t.constraints.empty()) return;
        model::Constraint& c = pick(t.constraints);
        if (chance(50)) {
          std::string name = c.name;
          std::erase_if(t.constraints, [&](const model::Constraint& x) { return x.name == name; });
        } else {
          c.name = fresh(c.kind == model::ConstraintKind::ForeignKey ? "fk" : "cn");
          if (chance(30)) c.description = "renamed";
        }
        return;
      }
      case 11: addForeignKey(s, t); return;
      case 12: {  // primary key set, changed or dropped
        if (t.primary_key && chance(30))
          t.primary_key.reset();
        else
          setPrimaryKey(t);
        return;
      }
      case 13: addIndex(t); return;
      case 14: {  // drop or rename an index
        if (t.indexes.empty()) return;
        model::Index& index = pick(t.indexes);
        if (chance(50)) {
          std::string name = index.name;
          std::erase_if(t.indexes, [&](const model::Index& x) { return x.name == name; });
        } else {
          index.name = fresh("ix");
        }
        return;
      }
      default: addCheck(t); return;
    }
  }

  /// Drops every foreign key whose referenced columns are no longer exactly a
  /// key of the referenced table, or whose column types no longer agree.
  static void repair(model::Schema& s) {
    auto sameSet = [](std::vector<std::string> a, std::vector<std::string> b) {
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      return a == b;
    };
    for (auto& t : s.tables) {
      std::erase_if(t.constraints, [&](const model::Constraint& c) {
        if (c.kind != model::ConstraintKind::ForeignKey) return false;
        const Table* target = s.findTable(c.ref_table);
        if (target == nullptr) return true;
        bool keyed = target->primary_key && sameSet(target->primary_key->columns, c.ref_columns);
        for (const auto& u : target->constraints)
          keyed = keyed || (u.kind == model::ConstraintKind::Unique && !u.deferrable &&
                            sameSet(u.columns, c.ref_columns));
        if (!keyed) return true;
        for (std::size_t i = 0; i < c.columns.size(); ++i) {
          const Column* mine = t.findColumn(c.columns[i]);
          const Column* theirs = target->findColumn(c.ref_columns[i]);
          if (mine == nullptr || theirs == nullptr || mine->datatype != theirs->datatype ||
              mine->length != theirs->length)
            return true;
        }
        return false;
      });
    }
  }

  std::mt19937_64 rng_;
  int counter_ = 0;
  std::set<std::string> fixed_;    ///< column @ids on either side of a foreign key: type never changes
  std::set<std::string> checked_;  ///< column @ids named by a check: type never changes
};

}  // namespace felisc::testing
