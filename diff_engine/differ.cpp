#include "diff_engine/differ.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "diff_engine/type_change.h"
#include "diff_engine/view_diff.h"
#include "schema_model/compare.h"
#include "schema_model/resolve.h"

namespace felisc::diff {

namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;
using model::Index;
using model::Schema;
using model::Table;

constexpr char kSeparator = '\x1f';
/// Prefix of a name that has no counterpart on the other side: never equal to a real name.
constexpr std::string_view kGone = "\x01";

std::string joinKey(const std::vector<std::string>& parts) {
  std::string key;
  for (const auto& part : parts) {
    key += part;
    key += kSeparator;
  }
  return key;
}

std::string sortedKey(std::string_view table, std::vector<std::string> columns) {
  std::sort(columns.begin(), columns.end());
  return std::string(table) + kSeparator + joinKey(columns);
}

/// The coarse class of a type: FK comparisons work across types of one class.
std::string typeClass(const std::string& sql_type) {
  using Family = SqlTypeInfo::Family;
  SqlTypeInfo info = parseSqlType(sql_type);
  switch (info.family) {
    case Family::Integer:
    case Family::Float:
    case Family::Numeric: return "number";
    case Family::Char:
    case Family::Varchar:
    case Family::Text: return "string";
    case Family::Timestamp:
    case Family::TimestampTz:
    case Family::Date: return "time";
    case Family::Boolean: return "boolean";
    case Family::Bytea: return "bytea";
    case Family::Other: return "other:" + sql_type;
  }
  return sql_type;
}

std::string primaryKeyName(const Table& table) {
  if (!table.primary_key) return {};
  if (!table.primary_key->name.empty()) return table.primary_key->name;
  return model::makeObjectName(table.name, "", "pkey");
}

/// A unique constraint PostgreSQL folds into the primary key or an identical
/// earlier unique constraint when the table is created: the database does not
/// hold it on its own, so it is no change either.
bool folded(const Table& table, const Constraint& constraint) {
  return model::mergedIntoConstraint(table, constraint).has_value();
}

/// The table as AddTable/DropTable keep it: no foreign keys (separate records)
/// and no folded constraints, with its primary key named.
model::Table withoutForeignKeys(const Table& table) {
  Table copy = table;
  copy.constraints.clear();
  for (const auto& c : table.constraints)
    if (c.kind != ConstraintKind::ForeignKey && !folded(table, c)) copy.constraints.push_back(c);
  if (copy.primary_key && copy.primary_key->name.empty()) copy.primary_key->name = primaryKeyName(table);
  // The folded unique's description is the key's comment: it goes with the key.
  if (copy.primary_key) copy.primary_key->description = model::primaryKeyDescription(table);
  return copy;
}

/// Matches two lists of named objects: by name, then (among the rest) by an
/// equal definition key. Calls `on_pair(old, new, renamed)`, `on_dropped(old)`
/// and `on_added(new)`, deterministically (pairs and drops in old order, adds in new order).
template <class T>
struct NamedMatcher {
  std::function<std::string(const T&)> old_key;
  std::function<std::string(const T&)> new_key;
  std::function<void(const T&, const T&, bool)> on_pair;
  std::function<void(const T&)> on_dropped;
  std::function<void(const T&)> on_added;

  void run(const std::vector<const T*>& olds, const std::vector<const T*>& news) const {
    std::vector<std::optional<std::size_t>> pair_of_old(olds.size());
    std::vector<bool> new_taken(news.size(), false);
    auto link = [&](std::size_t o, std::size_t n) {
      pair_of_old[o] = n;
      new_taken[n] = true;
    };
    if (olds.size() * news.size() <= 64) {  // a few constraints per table: no hash map
      for (std::size_t o = 0; o < olds.size(); ++o)
        for (std::size_t n = 0; n < news.size() && !pair_of_old[o]; ++n)
          if (!new_taken[n] && olds[o]->name == news[n]->name) link(o, n);
    } else {
      std::unordered_map<std::string_view, std::size_t> new_by_name;
      for (std::size_t i = 0; i < news.size(); ++i) new_by_name.emplace(news[i]->name, i);
      for (std::size_t o = 0; o < olds.size(); ++o) {
        auto found = new_by_name.find(olds[o]->name);
        if (found != new_by_name.end() && !new_taken[found->second]) link(o, found->second);
      }
    }
    std::vector<bool> renamed(olds.size(), false);
    bool old_left = std::any_of(pair_of_old.begin(), pair_of_old.end(), [](const auto& p) { return !p; });
    bool new_left = std::any_of(new_taken.begin(), new_taken.end(), [](bool taken) { return !taken; });
    if (old_left && new_left) {
      std::unordered_map<std::string, std::deque<std::size_t>> new_by_key;
      for (std::size_t i = 0; i < news.size(); ++i)
        if (!new_taken[i]) new_by_key[new_key(*news[i])].push_back(i);
      for (std::size_t i = 0; i < olds.size(); ++i) {
        if (pair_of_old[i]) continue;
        auto found = new_by_key.find(old_key(*olds[i]));
        if (found == new_by_key.end() || found->second.empty()) continue;
        link(i, found->second.front());
        found->second.pop_front();
        renamed[i] = true;
      }
    }
    for (std::size_t i = 0; i < olds.size(); ++i) {
      if (pair_of_old[i])
        on_pair(*olds[i], *news[*pair_of_old[i]], renamed[i]);
      else
        on_dropped(*olds[i]);
    }
    for (std::size_t i = 0; i < news.size(); ++i)
      if (!new_taken[i]) on_added(*news[i]);
  }
};

/// A matched pair of tables and what their columns became.
struct TablePair {
  const Table* old_table = nullptr;
  const Table* new_table = nullptr;
  /// Old column name -> new name (views into the models); empty when `same_columns`.
  std::unordered_map<std::string_view, std::string_view> column_names;
  bool same_columns = false;  ///< every column kept its name and place: translation is the identity
  std::vector<std::pair<std::size_t, std::size_t>> column_pairs;
  std::vector<std::size_t> dropped_columns;  ///< indexes in the old table
  std::vector<std::size_t> added_columns;    ///< indexes in the new table
  std::vector<std::pair<std::string, std::string>> column_hints;
};

class Differ {
 public:
  Differ(const Schema& old_schema, const Schema& new_schema, const DiffOptions& options, ChangeSet& out)
      : old_(old_schema), new_(new_schema), options_(options), out_(out) {}

  void run() {
    if (options_.old_schema_absent) out_.changes.emplace_back(CreateSchema{new_.name});
    parseHints();
    matchTables();
    for (auto& pair : pairs_) matchColumns(pair);
    diffSchemaComment();
    for (std::size_t i = 0; i < new_.tables.size(); ++i) {
      if (auto pair = pair_of_new_[i])
        diffTable(pairs_[*pair]);
      else
        addTable(new_.tables[i]);
    }
    for (std::size_t i = 0; i < new_.tables.size(); ++i)
      if (auto pair = pair_of_new_[i]) diffForeignKeys(pairs_[*pair]);
    for (std::size_t i = 0; i < old_.tables.size(); ++i)
      if (!pair_of_old_[i]) dropTable(old_.tables[i]);
  }

 private:
  // ---- hints -------------------------------------------------------------

  void hintError(model::DiagId id, std::initializer_list<std::string_view> args) {
    out_.diagnostics.report(id, std::string(), model::SourcePos{}, args);
  }

  void parseHints() {
    for (const auto& hint : options_.renames) {
      auto equals = hint.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == hint.size()) {
        hintError(model::DiagId::err_rename_hint_syntax, {hint});
        continue;
      }
      std::string left = hint.substr(0, equals);
      std::string right = hint.substr(equals + 1);
      auto dot = left.find('.');
      if (dot == std::string::npos) {
        table_hints_.push_back({hint, left, right});
        continue;
      }
      std::string table = left.substr(0, dot);
      if (auto right_dot = right.find('.'); right_dot != std::string::npos)
        right = right.substr(right_dot + 1);
      column_hints_.push_back({hint, table, left.substr(dot + 1), right});
    }
  }

  // ---- tables --------------------------------------------------------------

  void pairTables(std::size_t old_index, std::size_t new_index) {
    pair_of_old_[old_index] = pairs_.size();
    pair_of_new_[new_index] = pairs_.size();
    TablePair pair;
    pair.old_table = &old_.tables[old_index];
    pair.new_table = &new_.tables[new_index];
    pairs_.push_back(std::move(pair));
  }

  void matchTables() {
    pair_of_old_.assign(old_.tables.size(), std::nullopt);
    pair_of_new_.assign(new_.tables.size(), std::nullopt);
    for (std::size_t i = 0; i < old_.tables.size(); ++i) old_by_name_.emplace(old_.tables[i].name, i);
    for (std::size_t i = 0; i < new_.tables.size(); ++i) new_by_name_.emplace(new_.tables[i].name, i);

    for (const auto& hint : table_hints_) {
      auto old_found = old_by_name_.find(hint.from);
      auto new_found = new_by_name_.find(hint.to);
      if (old_found == old_by_name_.end()) {
        hintError(model::DiagId::err_rename_hint_unknown, {hint.text, "table", hint.from, "old"});
      } else if (new_found == new_by_name_.end()) {
        hintError(model::DiagId::err_rename_hint_unknown, {hint.text, "table", hint.to, "new"});
      } else if (!pair_of_old_[old_found->second] && !pair_of_new_[new_found->second]) {
        pairTables(old_found->second, new_found->second);
      }
    }
    if (options_.match_by_id) {
      auto old_by_id = uniqueIds(old_.tables, pair_of_old_);
      auto new_by_id = uniqueIds(new_.tables, pair_of_new_);
      for (std::size_t i = 0; i < new_.tables.size(); ++i) {
        if (pair_of_new_[i] || !new_by_id.contains(new_.tables[i].id)) continue;
        auto found = old_by_id.find(new_.tables[i].id);
        if (found != old_by_id.end() && !pair_of_old_[found->second]) pairTables(found->second, i);
      }
    }
    for (std::size_t i = 0; i < new_.tables.size(); ++i) {
      if (pair_of_new_[i]) continue;
      auto found = old_by_name_.find(new_.tables[i].name);
      if (found != old_by_name_.end() && !pair_of_old_[found->second]) pairTables(found->second, i);
    }
    for (auto& pair : pairs_) table_names_.emplace(pair.old_table->name, pair.new_table->name);
    for (std::size_t i = 0; i < pairs_.size(); ++i) pair_by_old_name_.emplace(pairs_[i].old_table->name, i);

    for (const auto& hint : column_hints_) {
      auto pair = std::find_if(pairs_.begin(), pairs_.end(), [&](const TablePair& p) {
        return p.old_table->name == hint.table || p.new_table->name == hint.table;
      });
      if (pair == pairs_.end()) {
        hintError(model::DiagId::err_rename_hint_unknown, {hint.text, "table", hint.table, "old or new"});
        continue;
      }
      if (pair->old_table->findColumn(hint.from) == nullptr) {
        hintError(model::DiagId::err_rename_hint_unknown, {hint.text, "column", hint.from, "old"});
      } else if (pair->new_table->findColumn(hint.to) == nullptr) {
        hintError(model::DiagId::err_rename_hint_unknown, {hint.text, "column", hint.to, "new"});
      } else {
        pair->column_hints.emplace_back(hint.from, hint.to);
      }
    }
  }

  /// @id -> index among the unmatched items whose @id is unique on their side.
  template <class T>
  static std::unordered_map<std::string_view, std::size_t> uniqueIds(
      const std::vector<T>& items, const std::vector<std::optional<std::size_t>>& matched) {
    std::unordered_map<std::string_view, std::size_t> by_id;
    std::unordered_set<std::string_view> ambiguous;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (matched[i] || items[i].id.empty()) continue;
      if (!by_id.emplace(items[i].id, i).second) ambiguous.insert(items[i].id);
    }
    for (auto id : ambiguous) by_id.erase(id);
    return by_id;
  }

  // ---- columns -------------------------------------------------------------

  static void matchColumns(TablePair& pair, bool match_by_id) {
    const auto& olds = pair.old_table->columns;
    const auto& news = pair.new_table->columns;
    // The common case: the same columns, in the same order, with the same @ids.
    bool same = pair.column_hints.empty() && olds.size() == news.size();
    for (std::size_t i = 0; same && i < olds.size(); ++i)
      same = olds[i].name == news[i].name && (!match_by_id || olds[i].id == news[i].id);
    if (same) {
      pair.same_columns = true;
      for (std::size_t i = 0; i < olds.size(); ++i) pair.column_pairs.emplace_back(i, i);
      return;
    }
    std::vector<std::optional<std::size_t>> pair_of_old(olds.size());
    std::vector<std::optional<std::size_t>> pair_of_new(news.size());
    std::unordered_map<std::string_view, std::size_t> old_by_name;
    std::unordered_map<std::string_view, std::size_t> new_by_name;
    for (std::size_t i = 0; i < olds.size(); ++i) old_by_name.emplace(olds[i].name, i);
    for (std::size_t i = 0; i < news.size(); ++i) new_by_name.emplace(news[i].name, i);
    auto link = [&](std::size_t o, std::size_t n) {
      pair_of_old[o] = n;
      pair_of_new[n] = o;
    };
    for (const auto& [from, to] : pair.column_hints) {
      auto o = old_by_name.at(from);
      auto n = new_by_name.at(to);
      if (!pair_of_old[o] && !pair_of_new[n]) link(o, n);
    }
    if (match_by_id) {
      auto old_by_id = uniqueIds(olds, pair_of_old);
      auto new_by_id = uniqueIds(news, pair_of_new);
      for (std::size_t n = 0; n < news.size(); ++n) {
        if (pair_of_new[n] || !new_by_id.contains(news[n].id)) continue;
        auto found = old_by_id.find(news[n].id);
        if (found != old_by_id.end() && !pair_of_old[found->second]) link(found->second, n);
      }
    }
    for (std::size_t n = 0; n < news.size(); ++n) {
      if (pair_of_new[n]) continue;
      auto found = old_by_name.find(news[n].name);
      if (found != old_by_name.end() && !pair_of_old[found->second]) link(found->second, n);
    }
    for (std::size_t o = 0; o < olds.size(); ++o) {
      if (pair_of_old[o]) {
        pair.column_pairs.emplace_back(o, *pair_of_old[o]);
        pair.column_names.emplace(olds[o].name, news[*pair_of_old[o]].name);
      } else {
        pair.dropped_columns.push_back(o);
      }
    }
    for (std::size_t n = 0; n < news.size(); ++n)
      if (!pair_of_new[n]) pair.added_columns.push_back(n);
  }

  void matchColumns(TablePair& pair) const { matchColumns(pair, options_.match_by_id); }

  // ---- translation of old names into new ones -------------------------------

  [[nodiscard]] std::string newTableName(const std::string& old_name) const {
    auto found = table_names_.find(old_name);
    return found == table_names_.end() ? std::string(kGone) + old_name : std::string(found->second);
  }

  [[nodiscard]] const TablePair* pairOfOld(std::string_view old_table) const {
    auto found = pair_by_old_name_.find(old_table);
    return found == pair_by_old_name_.end() ? nullptr : &pairs_[found->second];
  }

  /// The new name of column `column` of a matched table; nullopt when it is gone.
  static std::optional<std::string_view> newColumnName(const TablePair* pair, std::string_view column) {
    if (pair == nullptr) return std::nullopt;
    if (pair->same_columns) return column;
    auto found = pair->column_names.find(column);
    if (found == pair->column_names.end()) return std::nullopt;
    return found->second;
  }

  /// Whether `old_columns` of old table `old_table`, renamed, are `new_columns`.
  [[nodiscard]] bool sameColumns(std::string_view old_table, const std::vector<std::string>& old_columns,
                                 const std::vector<std::string>& new_columns) const {
    if (old_columns.size() != new_columns.size()) return false;
    const TablePair* pair = pairOfOld(old_table);
    for (std::size_t i = 0; i < old_columns.size(); ++i) {
      auto name = newColumnName(pair, old_columns[i]);
      if (!name || *name != new_columns[i]) return false;
    }
    return true;
  }

  [[nodiscard]] std::vector<std::string> newColumnNames(const std::string& old_table,
                                                        const std::vector<std::string>& columns) const {
    std::vector<std::string> out;
    out.reserve(columns.size());
    const TablePair* pair = pairOfOld(old_table);
    for (const auto& column : columns) {
      auto name = newColumnName(pair, column);
      out.push_back(name ? std::string(*name) : std::string(kGone) + column);
    }
    return out;
  }

  /// A referenced schema equal to the model's own is the same as none.
  static std::string refSchema(const Constraint& constraint, const Schema& schema) {
    return constraint.ref_schema == schema.name ? std::string() : constraint.ref_schema;
  }

  /// The constraint with a reference to its own schema written as none, so the
  /// plan can target a schema of another name.
  static Constraint localized(const Constraint& constraint, const Schema& schema) {
    Constraint copy = constraint;
    copy.ref_schema = refSchema(constraint, schema);
    return copy;
  }

  static std::string constraintKey(const Constraint& c, const std::vector<std::string>& columns,
                                   const std::string& ref_schema, const std::string& ref_table,
                                   const std::vector<std::string>& ref_columns) {
    std::vector<std::string> parts{std::to_string(static_cast<int>(c.kind)), joinKey(columns)};
    if (c.kind == ConstraintKind::ForeignKey) {
      parts.insert(parts.end(), {ref_schema, ref_table, joinKey(ref_columns),
                                 std::to_string(static_cast<int>(c.on_delete)),
                                 std::to_string(static_cast<int>(c.on_update))});
    }
    if (c.kind == ConstraintKind::Check) parts.push_back(model::normalizeSqlExpression(c.expression));
    parts.push_back(c.deferrable ? "d" : "-");
    parts.push_back(c.initially_deferred ? "D" : "-");
    return joinKey(parts);
  }

  [[nodiscard]] std::string oldConstraintKey(const Table& old_table, const Constraint& c) const {
    std::string ref_schema = refSchema(c, old_);
    bool local = ref_schema.empty();
    return constraintKey(c, newColumnNames(old_table.name, c.columns), ref_schema,
                         local ? newTableName(c.ref_table) : c.ref_table,
                         local ? newColumnNames(c.ref_table, c.ref_columns) : c.ref_columns);
  }

  /// The same definition as oldConstraintKey(o) == newConstraintKey(n), without building keys.
  [[nodiscard]] bool sameConstraint(const Table& old_table, const Constraint& o, const Constraint& n) const {
    if (o.kind != n.kind || o.deferrable != n.deferrable || o.initially_deferred != n.initially_deferred ||
        !sameColumns(old_table.name, o.columns, n.columns))
      return false;
    if (o.kind == ConstraintKind::Check)
      return o.expression == n.expression ||
             model::normalizeSqlExpression(o.expression) == model::normalizeSqlExpression(n.expression);
    if (o.kind != ConstraintKind::ForeignKey) return true;
    std::string old_ref_schema = refSchema(o, old_);
    if (old_ref_schema != refSchema(n, new_) || o.on_delete != n.on_delete || o.on_update != n.on_update)
      return false;
    if (!old_ref_schema.empty()) return o.ref_table == n.ref_table && o.ref_columns == n.ref_columns;
    auto table = table_names_.find(o.ref_table);
    return table != table_names_.end() && table->second == n.ref_table &&
           sameColumns(o.ref_table, o.ref_columns, n.ref_columns);
  }

  [[nodiscard]] bool sameIndex(const Table& old_table, const Index& o, const Index& n) const {
    if (o.unique != n.unique || o.method != n.method || o.elements.size() != n.elements.size()) return false;
    if (o.predicate != n.predicate &&
        model::normalizeSqlExpression(o.predicate) != model::normalizeSqlExpression(n.predicate))
      return false;
    const TablePair* pair = pairOfOld(old_table.name);
    for (std::size_t i = 0; i < o.elements.size(); ++i) {
      const auto& a = o.elements[i];
      const auto& b = n.elements[i];
      if (a.is_expression != b.is_expression) return false;
      if (a.is_expression) {
        if (a.text != b.text &&
            model::normalizeSqlExpression(a.text) != model::normalizeSqlExpression(b.text))
          return false;
        continue;
      }
      auto name = newColumnName(pair, a.text);
      if (!name || *name != b.text) return false;
    }
    return true;
  }

  [[nodiscard]] std::string newConstraintKey(const Constraint& c) const {
    return constraintKey(c, c.columns, refSchema(c, new_), c.ref_table, c.ref_columns);
  }

  static std::string indexKey(const Index& index, const std::vector<std::string>& elements) {
    std::vector<std::string> parts{index.unique ? "u" : "-", index.method,
                                   model::normalizeSqlExpression(index.predicate), joinKey(elements)};
    return joinKey(parts);
  }

  /// An expression element of an index key: "(" and the normalized expression.
  /// Appended, not `"(" + string` (GCC 12 -O3 -Wrestrict false positive, bug 105329).
  static std::string expressionKey(const std::string& text) {
    std::string key = "(";
    key += model::normalizeSqlExpression(text);
    return key;
  }

  [[nodiscard]] std::string oldIndexKey(const Table& old_table, const Index& index) const {
    std::vector<std::string> elements;
    for (const auto& element : index.elements) {
      if (element.is_expression)
        elements.push_back(expressionKey(element.text));
      else
        elements.push_back(newColumnNames(old_table.name, {element.text}).front());
    }
    return indexKey(index, elements);
  }

  static std::string newIndexKey(const Index& index) {
    std::vector<std::string> elements;
    for (const auto& element : index.elements)
      elements.push_back(element.is_expression ? expressionKey(element.text) : element.text);
    return indexKey(index, elements);
  }

  // ---- per-table diff --------------------------------------------------------

  template <class Record>
  void emit(Record record) {
    out_.changes.emplace_back(std::move(record));
  }

  void diffSchemaComment() {
    if (!options_.schema_comment) return;
    auto from = normalizedDescription(old_.description);
    auto to = normalizedDescription(new_.description);
    if (from != to) emit(SetComment{ObjectKind::Schema, "", new_.name, from, to});
  }

  void comment(ObjectKind kind, const std::string& table, const std::string& object,
               const std::optional<std::string>& old_description,
               const std::optional<std::string>& new_description) {
    auto text = [](const std::optional<std::string>& d) {
      return d ? std::string_view(*d) : std::string_view();
    };
    if (text(old_description) == text(new_description)) return;  // "" is no comment, as in PostgreSQL
    emit(SetComment{kind, table, object, normalizedDescription(old_description),
                    normalizedDescription(new_description)});
  }

  void addTable(const Table& table) {
    emit(AddTable{withoutForeignKeys(table)});
    for (const auto& constraint : table.constraints)
      if (constraint.kind == ConstraintKind::ForeignKey)
        emit(AddConstraint{table.name, localized(constraint, new_), true});
  }

  void dropTable(const Table& table) {
    for (const auto& constraint : table.constraints)
      if (constraint.kind == ConstraintKind::ForeignKey)
        emit(DropConstraint{table.name, localized(constraint, old_), true});
    emit(DropTable{withoutForeignKeys(table)});
  }

  void diffTable(const TablePair& pair) {
    const Table& old_table = *pair.old_table;
    const Table& new_table = *pair.new_table;
    if (old_table.name != new_table.name) emit(RenameTable{old_table.name, new_table.name});
    comment(ObjectKind::Table, new_table.name, "", old_table.description, new_table.description);
    for (auto [o, n] : pair.column_pairs)
      diffColumn(old_table, new_table, old_table.columns[o], new_table.columns[n]);
    for (auto o : pair.dropped_columns) {
      Column column = old_table.columns[o];
      column.nullable = !effectivelyNotNull(column, old_table.primary_key);
      emit(DropColumn{old_table.name, std::move(column), o});
    }
    for (auto n : pair.added_columns) {
      Column column = new_table.columns[n];
      column.nullable = !effectivelyNotNull(column, new_table.primary_key);
      emit(AddColumn{new_table.name, std::move(column), n});
    }
    diffPrimaryKey(old_table, new_table);
    diffConstraints(old_table, new_table, false);
    diffIndexes(old_table, new_table);
  }

  void diffColumn(const Table& old_table, const Table& new_table, const Column& old_column,
                  const Column& new_column) {
    if (old_column.name != new_column.name)
      emit(RenameColumn{new_table.name, old_column.name, new_column.name});
    bool old_not_null = effectivelyNotNull(old_column, old_table.primary_key);
    bool new_not_null = effectivelyNotNull(new_column, new_table.primary_key);
    std::uint8_t kinds = 0;
    if (old_column.sql_type != new_column.sql_type) kinds |= kColumnType;
    if (old_not_null != new_not_null) kinds |= kColumnNullability;
    if (old_column.sql_default != new_column.sql_default) kinds |= kColumnDefault;
    if (old_column.generation != new_column.generation) kinds |= kColumnGeneration;
    bool both_serial = old_column.generation == model::Generation::Serial &&
                       new_column.generation == model::Generation::Serial;
    bool sequence_renamed = both_serial && !old_column.sequence.empty() && !new_column.sequence.empty() &&
                            old_column.sequence != new_column.sequence;
    if (sequence_renamed)
      emit(RenameSequence{new_table.name, new_column.name, old_column.sequence, new_column.sequence});
    if (kinds != 0) {
      // `from` is named as after the renames (column and owned sequence), where the alter runs.
      Column from = old_column;
      from.name = new_column.name;
      if (sequence_renamed) from.sequence = new_column.sequence;
      from.nullable = !old_not_null;
      Column to = new_column;
      to.nullable = !new_not_null;
      emit(AlterColumn{new_table.name, std::move(from), std::move(to), kinds});
    }
    if ((kinds & kColumnType) != 0 && typeClass(old_column.sql_type) != typeClass(new_column.sql_type))
      retyped_columns_.insert(new_table.name + kSeparator + new_column.name);
    comment(ObjectKind::Column, new_table.name, new_column.name, old_column.description,
            new_column.description);
  }

  void diffPrimaryKey(const Table& old_table, const Table& new_table) {
    const auto& old_key = old_table.primary_key;
    const auto& new_key = new_table.primary_key;
    auto named = [](const Table& table) {
      model::PrimaryKey key = *table.primary_key;
      key.name = primaryKeyName(table);
      key.description = model::primaryKeyDescription(table);  // AddPrimaryKey writes it
      return key;
    };
    if (old_key && new_key && sameColumns(old_table.name, old_key->columns, new_key->columns)) {
      if (primaryKeyName(old_table) != primaryKeyName(new_table))
        emit(RenameConstraint{new_table.name, primaryKeyName(old_table), primaryKeyName(new_table), true});
      // The key's comment (create writes a folded unique's description on it).
      comment(ObjectKind::Constraint, new_table.name, primaryKeyName(new_table),
              model::primaryKeyDescription(old_table), model::primaryKeyDescription(new_table));
      return;
    }
    if (old_key) {
      emit(DropPrimaryKey{old_table.name, named(old_table)});
      dropped_keys_.insert(sortedKey(new_table.name, newColumnNames(old_table.name, old_key->columns)));
    }
    if (new_key) emit(AddPrimaryKey{new_table.name, named(new_table)});
  }

  static std::vector<const Constraint*> constraintsOf(const Table& table, bool foreign) {
    std::vector<const Constraint*> out;
    for (const auto& c : table.constraints)
      if ((c.kind == ConstraintKind::ForeignKey) == foreign && !folded(table, c)) out.push_back(&c);
    return out;
  }

  [[nodiscard]] bool needsRebuild(const Constraint& fk) const {
    if (fk.kind != ConstraintKind::ForeignKey || !refSchema(fk, new_).empty()) return false;
    if (dropped_keys_.contains(sortedKey(fk.ref_table, fk.ref_columns))) return true;
    for (const auto& column : fk.ref_columns)
      if (retyped_columns_.contains(fk.ref_table + kSeparator + column)) return true;
    return false;
  }

  [[nodiscard]] bool needsRebuild(const Table& new_table, const Constraint& fk) const {
    if (fk.kind != ConstraintKind::ForeignKey) return false;
    for (const auto& column : fk.columns)
      if (retyped_columns_.contains(new_table.name + kSeparator + column)) return true;
    return needsRebuild(fk);
  }

  void diffConstraints(const Table& old_table, const Table& new_table, bool foreign) {
    NamedMatcher<Constraint> matcher;
    matcher.old_key = [&](const Constraint& c) { return oldConstraintKey(old_table, c); };
    matcher.new_key = [&](const Constraint& c) { return newConstraintKey(c); };
    matcher.on_pair = [&](const Constraint& o, const Constraint& n, bool renamed) {
      if (!sameConstraint(old_table, o, n) || needsRebuild(new_table, n)) {
        dropConstraint(old_table, new_table, o);
        emit(AddConstraint{new_table.name, localized(n, new_), false});
        return;
      }
      if (renamed) emit(RenameConstraint{new_table.name, o.name, n.name, o.kind == ConstraintKind::Unique});
      comment(ObjectKind::Constraint, new_table.name, n.name, o.description, n.description);
    };
    matcher.on_dropped = [&](const Constraint& o) { dropConstraint(old_table, new_table, o); };
    matcher.on_added = [&](const Constraint& n) {
      emit(AddConstraint{new_table.name, localized(n, new_), false});
    };
    matcher.run(constraintsOf(old_table, foreign), constraintsOf(new_table, foreign));
  }

  void dropConstraint(const Table& old_table, const Table& new_table, const Constraint& constraint) {
    emit(DropConstraint{old_table.name, localized(constraint, old_), false});
    if (constraint.kind == ConstraintKind::Unique)
      dropped_keys_.insert(sortedKey(new_table.name, newColumnNames(old_table.name, constraint.columns)));
  }

  void diffForeignKeys(const TablePair& pair) { diffConstraints(*pair.old_table, *pair.new_table, true); }

  void diffIndexes(const Table& old_table, const Table& new_table) {
    NamedMatcher<Index> matcher;
    matcher.old_key = [&](const Index& i) { return oldIndexKey(old_table, i); };
    matcher.new_key = [&](const Index& i) { return newIndexKey(i); };
    matcher.on_pair = [&](const Index& o, const Index& n, bool renamed) {
      if (!sameIndex(old_table, o, n)) {
        dropIndex(old_table, new_table, o);
        emit(AddIndex{new_table.name, n, false});
        return;
      }
      if (renamed) emit(RenameIndex{new_table.name, o.name, n.name});
      comment(ObjectKind::Index, new_table.name, n.name, o.description, n.description);
    };
    matcher.on_dropped = [&](const Index& o) { dropIndex(old_table, new_table, o); };
    matcher.on_added = [&](const Index& n) { emit(AddIndex{new_table.name, n, false}); };
    std::vector<const Index*> olds;
    std::vector<const Index*> news;
    for (const auto& index : old_table.indexes) olds.push_back(&index);
    for (const auto& index : new_table.indexes) news.push_back(&index);
    matcher.run(olds, news);
  }

  void dropIndex(const Table& old_table, const Table& new_table, const Index& index) {
    emit(DropIndex{old_table.name, index, false});
    if (!index.unique) return;
    std::vector<std::string> columns;
    for (const auto& element : index.elements)
      columns.push_back(element.is_expression ? std::string(kGone) : element.text);
    dropped_keys_.insert(sortedKey(new_table.name, newColumnNames(old_table.name, columns)));
  }

  struct TableHint {
    std::string text;
    std::string from;
    std::string to;
  };
  struct ColumnHint {
    std::string text;
    std::string table;
    std::string from;
    std::string to;
  };

  const Schema& old_;
  const Schema& new_;
  const DiffOptions& options_;
  ChangeSet& out_;
  std::vector<TableHint> table_hints_;
  std::vector<ColumnHint> column_hints_;
  std::vector<TablePair> pairs_;
  std::vector<std::optional<std::size_t>> pair_of_old_;
  std::vector<std::optional<std::size_t>> pair_of_new_;
  std::unordered_map<std::string_view, std::size_t> old_by_name_;
  std::unordered_map<std::string_view, std::size_t> new_by_name_;
  std::unordered_map<std::string_view, std::string_view> table_names_;  ///< old table name -> new
  std::unordered_map<std::string_view, std::size_t> pair_by_old_name_;
  /// Keys (PK, unique) dropped from kept tables, as "new table" + sorted new column names.
  std::unordered_set<std::string> dropped_keys_;
  /// Columns of kept tables whose type changes class (number, string, ...), as "table" + column.
  std::unordered_set<std::string> retyped_columns_;
};

/// Sequences owned by a column that does not use them (model::Sequence): one the
/// old side holds and the new does not is dropped (a Felis file never holds one,
/// so a plan from a database drops it), one only the new side holds is created,
/// and one that differs is dropped and created again.
void diffSequences(const model::Schema& old_schema, const model::Schema& new_schema, ChangeSet& out) {
  auto find = [](const model::Schema& schema, const std::string& name) -> const model::Sequence* {
    for (const model::Sequence& sequence : schema.sequences)
      if (sequence.name == name) return &sequence;
    return nullptr;
  };
  for (const model::Sequence& old_sequence : old_schema.sequences) {
    const model::Sequence* new_sequence = find(new_schema, old_sequence.name);
    if (new_sequence == nullptr || *new_sequence != old_sequence)
      out.changes.emplace_back(DropSequence{old_sequence});
  }
  for (const model::Sequence& new_sequence : new_schema.sequences) {
    const model::Sequence* old_sequence = find(old_schema, new_sequence.name);
    if (old_sequence == nullptr || *old_sequence != new_sequence)
      out.changes.emplace_back(CreateSequence{new_sequence});
  }
}

}  // namespace

ChangeSet diffSchemas(const model::Schema& old_schema, const model::Schema& new_schema,
                      const DiffOptions& options) {
  ChangeSet out;
  out.old_schema = old_schema.name;
  out.new_schema = new_schema.name;
  out.old_label = options.old_label;
  out.new_label = options.new_label;
  out.old_version = old_schema.version;
  out.new_version = new_schema.version;
  Differ(old_schema, new_schema, options, out).run();
  diffViews(old_schema, new_schema, options, out);
  diffSequences(old_schema, new_schema, out);
  for (const auto& table : new_schema.tables)
    for (const auto& constraint : table.constraints)
      if (constraint.kind == model::ConstraintKind::ForeignKey)
        out.new_foreign_keys.emplace_back(table.name, constraint);
  return out;
}

}  // namespace felisc::diff
