#include "compiler/felis/resources.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "schema_model/source_file.h"

namespace felisc::felis {

namespace {

using model::DiagId;

std::string canonicalPath(const std::string& path) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

/// The file a resource URI names, relative to the referencing file's directory;
/// empty (after a report) for a URI scheme other than file://.
std::string resourcePath(const ResourceDecl& decl, const std::string& base_directory,
                         DiagnosticBuffer& diagnostics) {
  std::string_view uri = decl.uri;
  if (uri.substr(0, 7) == "file://") {
    uri.remove_prefix(7);
  } else if (uri.find("://") != std::string_view::npos) {
    diagnostics.report(DiagId::err_resource_uri, decl.pos, {decl.uri});
    return {};
  }
  std::filesystem::path path(uri);
  if (path.is_relative() && !base_directory.empty()) path = std::filesystem::path(base_directory) / path;
  return path.lexically_normal().string();
}

/// Resource files read successfully, shared by every read in the process: five
/// corpus files reference drp_base.yaml, and reading it once instead of five
/// times is most of the cost of reading them. An entry is reused only while the
/// file's size and modification time are unchanged, and only under the options
/// it was read with. Failed reads are not kept (their messages depend on the
/// file that referenced them).
class SharedResourceCache {
 public:
  static SharedResourceCache& instance() {
    static SharedResourceCache cache;
    return cache;
  }

  std::shared_ptr<const ReadResult> find(const std::string& key, const std::string& path) {
    std::optional<Stamp> stamp = stampOf(path);
    if (!stamp) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || !(it->second.stamp == *stamp)) return nullptr;
    return it->second.result;
  }

  void store(const std::string& key, const std::string& path, std::shared_ptr<const ReadResult> result) {
    std::optional<Stamp> stamp = stampOf(path);
    if (!stamp) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[key] = Entry{*stamp, std::move(result)};
  }

 private:
  static constexpr std::size_t kMaxEntries = 64;
  struct Stamp {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  struct Entry {
    Stamp stamp;
    std::shared_ptr<const ReadResult> result;
  };

  static std::optional<Stamp> stampOf(const std::string& path) {
    std::error_code error;
    Stamp stamp;
    stamp.size = std::filesystem::file_size(path, error);
    if (error) return std::nullopt;
    stamp.modified = std::filesystem::last_write_time(path, error);
    if (error) return std::nullopt;
    return stamp;
  }

  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

/// Reads a resource file once per top-level read; nullptr (after a report) when
/// it cannot be read or is not a valid Felis file.
class ResourceLoader {
 public:
  ResourceLoader(const ReadOptions& options, const std::string& base_directory, ResourceContext& context,
                 DiagnosticBuffer& diagnostics, std::vector<SourceText>& other_sources,
                 model::Diagnostics& resource_diagnostics)
      : options_(options),
        base_directory_(base_directory),
        context_(context),
        diag_(diagnostics),
        other_sources_(other_sources),
        resource_diagnostics_(resource_diagnostics) {}

  const model::Schema* load(const ResourceDecl& decl) {
    auto known = loaded_.find(decl.name);
    if (known != loaded_.end()) return known->second;
    const model::Schema* schema = read(decl);
    loaded_.emplace(decl.name, schema);
    return schema;
  }

 private:
  const model::Schema* read(const ResourceDecl& decl) {
    std::string path = resourcePath(decl, base_directory_, diag_);
    if (path.empty()) return nullptr;
    std::string canonical = canonicalPath(path);
    if (std::find(context_.loading.begin(), context_.loading.end(), canonical) != context_.loading.end()) {
      std::string chain;
      for (const std::string& file : context_.loading) chain += file + " -> ";
      chain += canonical;
      diag_.report(DiagId::err_resource_cycle, decl.pos, {decl.name, chain});
      return nullptr;
    }
    std::shared_ptr<const ReadResult>& cached = context_.cache[canonical];
    const std::string shared_key = canonical + (options_.id_generation ? "|ids" : "|no-ids") +
                                   (options_.strict_felis ? "|strict" : "|loose");
    if (!cached) cached = SharedResourceCache::instance().find(shared_key, canonical);
    if (!cached) {
      auto result = std::make_shared<ReadResult>();
      if (std::optional<std::string> text = readSourceFile(path, result->diagnostics)) {
        // A resource is read as a Felis file of its own: same ID generation and
        // strictness, none of the optional `felis validate --check-*` checks.
        ReadOptions resource_options;
        resource_options.id_generation = options_.id_generation;
        resource_options.strict_felis = options_.strict_felis;
        context_.loading.push_back(canonical);
        std::filesystem::path parent = std::filesystem::path(path).parent_path();
        *result = readFelisWithContext(*text, path, resource_options, parent.string(), context_);
        context_.loading.pop_back();
      }
      if (result->schema) SharedResourceCache::instance().store(shared_key, canonical, result);
      cached = std::move(result);
    }
    if (cached->schema) return cached->schema.get();
    diag_.report(DiagId::err_resource_load, decl.pos, {decl.name, decl.uri});
    // The resource's own errors follow, pointing into the resource file.
    if (reported_.insert(canonical).second) {
      resource_diagnostics_.append(cached->diagnostics);
      other_sources_.push_back(SourceText{path, cached->source_text});
      for (const SourceText& nested : cached->other_sources) other_sources_.push_back(nested);
    }
    return nullptr;
  }

  const ReadOptions& options_;
  const std::string& base_directory_;
  ResourceContext& context_;
  DiagnosticBuffer& diag_;
  std::vector<SourceText>& other_sources_;
  model::Diagnostics& resource_diagnostics_;
  std::map<std::string, const model::Schema*> loaded_;
  std::set<std::string> reported_;
};

void setAnnotation(std::vector<model::Annotation>& annotations, std::string_view key,
                   const model::Scalar& value) {
  for (model::Annotation& annotation : annotations) {
    if (annotation.key == key) {
      annotation.value = value;
      return;
    }
  }
  annotations.push_back(model::Annotation{std::string(key), value});
}

/// The copy of a resource column as `columnRefs` makes it.
model::Column copyColumn(const model::Column& source, const model::Table& table,
                         const ColumnRefRequest& request) {
  model::Column column = source;
  column.name = request.new_name;
  column.id = table.id + "." + request.new_name;
  column.pos = request.pos;
  // The SQL facts are the resolver's to fill for the referencing schema.
  column.sql_type.clear();
  column.sql_default.reset();
  column.generation = model::Generation::None;
  column.sequence.clear();
  const ColumnOverrides& overrides = request.overrides;
  if (overrides.datatype) column.datatype = *overrides.datatype;
  if (overrides.length) column.length = *overrides.length;
  if (overrides.description) column.description = *overrides.description;
  if (overrides.nullable) column.nullable = *overrides.nullable;
  if (overrides.tap_principal) setAnnotation(column.annotations, "tap:principal", *overrides.tap_principal);
  if (overrides.tap_column_index)
    setAnnotation(column.annotations, "tap:column_index", *overrides.tap_column_index);
  return column;
}

}  // namespace

void applyColumnRefs(model::Schema& schema, SchemaSite& site, const std::vector<ResourceDecl>& resources,
                     const std::vector<ColumnRefRequest>& requests, const ReadOptions& options,
                     const std::string& base_directory, ResourceContext& context,
                     DiagnosticBuffer& diagnostics, std::vector<SourceText>& other_sources,
                     model::Diagnostics& resource_diagnostics) {
  ResourceLoader loader(options, base_directory, context, diagnostics, other_sources, resource_diagnostics);
  std::map<const model::Table*, std::unordered_map<std::string_view, const model::Column*>> column_index;
  // One report per place in the file, however many columns sit under it.
  std::set<std::pair<std::uint32_t, std::uint32_t>> reported;
  auto reportOnce = [&](DiagId id, model::SourcePos pos, std::initializer_list<std::string_view> args) {
    if (reported.emplace(pos.line, pos.column).second) diagnostics.report(id, pos, args);
  };
  for (const ColumnRefRequest& request : requests) {
    auto decl = std::find_if(resources.begin(), resources.end(),
                             [&](const ResourceDecl& d) { return d.name == request.resource; });
    if (decl == resources.end()) {
      reportOnce(DiagId::err_resource_undeclared, request.resource_pos, {request.resource});
      continue;
    }
    // The loader reports a failed resource once and caches the failure.
    const model::Schema* resource = loader.load(*decl);
    if (resource == nullptr) continue;
    const model::Table* ref_table = resource->findTable(request.ref_table);
    if (ref_table == nullptr) {
      reportOnce(DiagId::err_resource_table, request.ref_table_pos, {request.ref_table, request.resource});
      continue;
    }
    // Resource tables are wide (drp_base Object: 1000+ columns) and files copy
    // most of them: look columns up by name through an index built once.
    auto& by_name = column_index[ref_table];
    if (by_name.empty()) {
      by_name.reserve(ref_table->columns.size());
      for (const model::Column& column : ref_table->columns) by_name.try_emplace(column.name, &column);
    }
    auto found = by_name.find(request.ref_name);
    const model::Column* ref_column = found == by_name.end() ? nullptr : found->second;
    if (ref_column == nullptr) {
      diagnostics.report(DiagId::err_resource_column, request.pos,
                         {request.ref_name, request.ref_table, request.resource});
      continue;
    }
    model::Table& table = schema.tables[request.table];
    TableSite& table_site = site.tables[request.table];
    table.columns.push_back(copyColumn(*ref_column, table, request));
    ColumnSite column_site;
    column_site.pos = request.pos;
    column_site.has_name = true;
    column_site.has_id = table_site.has_id;
    column_site.datatype_valid = true;
    column_site.from_column_ref = true;
    table_site.columns.push_back(std::move(column_site));
  }
}

}  // namespace felisc::felis
