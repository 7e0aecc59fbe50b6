#include "diff_engine/view_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "diff_engine/view_sql.h"

namespace felisc::diff {

namespace {

using model::View;
using model::ViewDependency;

template <class T, class Less>
std::vector<T> sorted(std::vector<T> items, Less less) {
  std::sort(items.begin(), items.end(), less);
  return items;
}

std::vector<model::Grant> sortedGrants(const std::vector<model::Grant>& grants) {
  return sorted(grants, [](const model::Grant& a, const model::Grant& b) {
    return std::tie(a.column, a.grantee, a.privilege, a.grantable) <
           std::tie(b.column, b.grantee, b.privilege, b.grantable);
  });
}

std::vector<ViewDependency> sortedDependencies(const std::vector<ViewDependency>& dependencies) {
  auto out = sorted(dependencies, [](const ViewDependency& a, const ViewDependency& b) {
    return std::tie(a.schema, a.relation, a.column) < std::tie(b.schema, b.relation, b.column);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool sameIndexes(const std::vector<model::Index>& a, const std::vector<model::Index>& b) {
  if (a.size() != b.size()) return false;
  auto by_name = [](const model::Index& x, const model::Index& y) { return x.name < y.name; };
  auto left = sorted(a, by_name);
  auto right = sorted(b, by_name);
  for (std::size_t i = 0; i < left.size(); ++i)
    if (left[i].name != right[i].name || indexSummary(left[i]) != indexSummary(right[i]) ||
        normalizedDescription(left[i].description) != normalizedDescription(right[i].description))
      return false;
  return true;
}

bool sameColumns(const View& a, const View& b, bool with_comments) {
  if (a.columns.size() != b.columns.size()) return false;
  for (std::size_t i = 0; i < a.columns.size(); ++i)
    if (a.columns[i].name != b.columns[i].name || a.columns[i].sql_type != b.columns[i].sql_type ||
        (with_comments &&
         normalizedDescription(a.columns[i].description) != normalizedDescription(b.columns[i].description)))
      return false;
  return true;
}

/// What the table changes of a plan do to the objects views read, in OLD names.
struct Touched {
  std::set<std::string> dropped_tables;
  std::set<std::pair<std::string, std::string>> dropped_columns;
  std::set<std::pair<std::string, std::string>> retyped_columns;
  std::set<std::string> renamed_tables;
  std::set<std::pair<std::string, std::string>> renamed_columns;
};

Touched touchedBy(const std::vector<Change>& changes) {
  // Table and column records after the drops carry NEW names: map them back.
  std::map<std::string, std::string> old_table_of;
  std::map<std::pair<std::string, std::string>, std::string> old_column_of;  // (new table, new column)
  for (const auto& change : changes) {
    if (const auto* rename = std::get_if<RenameTable>(&change)) old_table_of[rename->to] = rename->from;
    if (const auto* rename = std::get_if<RenameColumn>(&change))
      old_column_of[{rename->table, rename->to}] = rename->from;
  }
  auto old_table = [&](const std::string& name) {
    auto found = old_table_of.find(name);
    return found == old_table_of.end() ? name : found->second;
  };
  auto old_column = [&](const std::string& table, const std::string& name) {
    auto found = old_column_of.find({table, name});
    return found == old_column_of.end() ? name : found->second;
  };
  Touched touched;
  for (const auto& change : changes) {
    if (const auto* drop = std::get_if<DropTable>(&change)) touched.dropped_tables.insert(drop->table.name);
    if (const auto* drop = std::get_if<DropColumn>(&change))
      touched.dropped_columns.insert({drop->table, drop->column.name});
    if (const auto* alter = std::get_if<AlterColumn>(&change); alter && (alter->kinds & kColumnType) != 0)
      touched.retyped_columns.insert({old_table(alter->table), old_column(alter->table, alter->to.name)});
    if (const auto* rename = std::get_if<RenameTable>(&change)) touched.renamed_tables.insert(rename->from);
    if (const auto* rename = std::get_if<RenameColumn>(&change))
      touched.renamed_columns.insert({old_table(rename->table), rename->from});
  }
  return touched;
}

std::string showDependency(const ViewDependency& dependency) {
  return dependency.column.empty() ? "table " + dependency.relation
                                   : "column " + dependency.relation + "." + dependency.column;
}

class ViewDiffer {
 public:
  ViewDiffer(const model::Schema& old_schema, const model::Schema& new_schema, const DiffOptions& options,
             ChangeSet& out)
      : old_(old_schema), new_(new_schema), options_(options), out_(out), touched_(touchedBy(out.changes)) {}

  void run() {
    classify();
    spreadToDependents();
    emitChanges();
  }

 private:
  /// New views, changed views and views that go away.
  void classify() {
    for (const auto& view : new_.views) {
      const View* old_view = old_.findView(view.name);
      if (old_view == nullptr)
        creates_.push_back({&view, "new"});
      else if (!sameView(*old_view, view, false))
        recreate(*old_view, view,
                 sameColumns(*old_view, view, false) ? "its definition changes" : "its columns change");
      else
        kept_.push_back({old_view, &view});
    }
    for (const auto& view : old_.views) {
      if (new_.findView(view.name) != nullptr) continue;
      if (options_.keep_unlisted_views)
        kept_.push_back({&view, &view});
      else
        drops_.push_back({&view, "no longer in the schema"});
    }
  }

  void recreate(const View& old_view, const View& new_view, std::string reason) {
    drops_.push_back({&old_view, reason});
    creates_.push_back({&new_view, std::move(reason)});
    gone_.insert(old_view.name);
    replacement_[old_view.name] = &new_view;
  }

  /// Kept views that read what the plan retypes or drops, or a view that goes, go too.
  void spreadToDependents() {
    for (const auto& drop : drops_) gone_.insert(drop.view->name);
    for (bool changed = true; changed;) {
      changed = false;
      for (auto& [old_view, new_view] : kept_) {
        if (old_view == nullptr) continue;
        std::string reason = reasonToRecreate(*old_view);
        if (reason.empty()) continue;
        checkRecreatable(*old_view, *new_view);
        recreate(*old_view, *new_view, reason);
        old_view = nullptr;
        changed = true;
      }
    }
  }

  [[nodiscard]] bool sameSchema(const ViewDependency& dependency) const {
    return dependency.schema.empty() || dependency.schema == old_.name;
  }

  [[nodiscard]] std::string reasonToRecreate(const View& view) const {
    for (const auto& dependency : view.depends_on) {
      if (!sameSchema(dependency)) continue;
      if (gone_.contains(dependency.relation)) return "it reads view " + dependency.relation + ", recreated";
      std::pair<std::string, std::string> column{dependency.relation, dependency.column};
      if (touched_.retyped_columns.contains(column))
        return "it reads " + showDependency(dependency) + ", whose type changes";
      if (touched_.dropped_tables.contains(dependency.relation) || touched_.dropped_columns.contains(column))
        return "it reads " + showDependency(dependency) + ", which is dropped";
    }
    return {};
  }

  /// A view recreated with its own definition must not read what the plan drops or renames.
  void checkRecreatable(const View& old_view, const View& new_view) {
    if (&old_view != &new_view && new_view.generated) return;  // rewritten from the new schema
    for (const auto& dependency : old_view.depends_on) {
      if (!sameSchema(dependency)) continue;
      std::pair<std::string, std::string> column{dependency.relation, dependency.column};
      bool dropped = touched_.dropped_tables.contains(dependency.relation) ||
                     touched_.dropped_columns.contains(column) ||
                     (!dependency.column.empty() && dropsViewColumn(dependency));
      bool renamed =
          touched_.renamed_tables.contains(dependency.relation) || touched_.renamed_columns.contains(column);
      if (dropped)
        error(model::DiagId::err_view_reads_dropped, old_view.name, showDependency(dependency));
      else if (renamed)
        error(model::DiagId::err_view_reads_renamed, old_view.name, showDependency(dependency));
    }
  }

  /// A column of a recreated view that its new version no longer has.
  [[nodiscard]] bool dropsViewColumn(const ViewDependency& dependency) const {
    if (!gone_.contains(dependency.relation)) return false;
    auto found = replacement_.find(dependency.relation);
    if (found == replacement_.end()) return true;
    const View* replacement = found->second;
    return std::none_of(replacement->columns.begin(), replacement->columns.end(),
                        [&](const model::ViewColumn& c) { return c.name == dependency.column; });
  }

  void error(model::DiagId id, const std::string& view, const std::string& what) {
    out_.diagnostics.report(id, std::string(), model::SourcePos{}, {view, what});
  }

  void emitChanges() {
    for (const auto& drop : drops_)
      out_.changes.emplace_back(DropView{*drop.view, drop.reason, replacement_.contains(drop.view->name)});
    for (const auto& create : creates_)
      out_.changes.emplace_back(
          CreateView{*create.view, create.reason, replacement_.contains(create.view->name)});
    for (const auto& [old_view, new_view] : kept_)
      if (old_view != nullptr && old_view != new_view) comments(*old_view, *new_view);
  }

  /// A view that stays only needs COMMENT ON for the comments that change.
  void comments(const View& old_view, const View& new_view) {
    auto kind = new_view.materialized ? ObjectKind::MaterializedView : ObjectKind::View;
    comment(kind, new_view.name, "", old_view.description, new_view.description);
    for (std::size_t i = 0; i < new_view.columns.size(); ++i)
      comment(ObjectKind::Column, new_view.name, new_view.columns[i].name, old_view.columns[i].description,
              new_view.columns[i].description);
  }

  void comment(ObjectKind kind, const std::string& relation, const std::string& object,
               const std::optional<std::string>& from, const std::optional<std::string>& to) {
    auto before = normalizedDescription(from);
    auto after = normalizedDescription(to);
    if (before != after) out_.changes.emplace_back(SetComment{kind, relation, object, before, after});
  }

  struct Entry {
    const View* view;
    std::string reason;
  };
  struct Kept {
    const View* old_view;  ///< null once it is recreated
    const View* new_view;  ///< the version to recreate: the new side's, or the old one when unlisted
  };

  const model::Schema& old_;
  const model::Schema& new_;
  const DiffOptions& options_;
  ChangeSet& out_;
  Touched touched_;
  std::vector<Entry> creates_;
  std::vector<Entry> drops_;
  std::vector<Kept> kept_;
  std::set<std::string> gone_;                      ///< old views dropped or recreated by the plan
  std::map<std::string, const View*> replacement_;  ///< recreated view -> the version created
};

}  // namespace

bool sameView(const View& a, const View& b, bool with_comments) {
  if (a.materialized != b.materialized) return false;
  if (!a.generated && !b.generated && viewQuery(a.definition) != viewQuery(b.definition)) return false;
  if (!sameColumns(a, b, with_comments)) return false;
  if (with_comments && normalizedDescription(a.description) != normalizedDescription(b.description))
    return false;
  if (sorted(a.options, std::less<>()) != sorted(b.options, std::less<>())) return false;
  if (!a.owner.empty() && !b.owner.empty() && a.owner != b.owner) return false;
  if (sortedGrants(a.grants) != sortedGrants(b.grants)) return false;
  if (sortedDependencies(a.depends_on) != sortedDependencies(b.depends_on)) return false;
  return sameIndexes(a.indexes, b.indexes);
}

void diffViews(const model::Schema& old_schema, const model::Schema& new_schema, const DiffOptions& options,
               ChangeSet& out) {
  ViewDiffer(old_schema, new_schema, options, out).run();
}

}  // namespace felisc::diff
