#include "compiler/cli/schema_source.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "compiler/catalog/reader.h"

extern char** environ;

namespace felisc::cli {

namespace {

struct ProcessResult {
  int exit_status = -1;
  std::string out;
  std::string err;
  std::string spawn_error;  ///< set when the program could not be started
};

/// Drains both pipes until they close, without deadlocking on a full one.
void drainPipes(int out_fd, int err_fd, ProcessResult& result) {
  std::array<pollfd, 2> fds = {pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
  std::array<std::string*, 2> sinks = {&result.out, &result.err};
  int open_count = 2;
  char buffer[1 << 16];
  while (open_count > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

/// Runs `argv` (no shell, so no quoting or injection concerns) and collects its output.
ProcessResult runProcess(const std::vector<std::string>& argv) {
  ProcessResult result;
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return {-1, "", "", std::strerror(errno)};
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return {-1, "", "", std::strerror(errno)};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawn_status = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawn_status != 0) {
    result.spawn_error = std::strerror(spawn_status);
  } else {
    drainPipes(out_pipe[0], err_pipe[0], result);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  return result;
}

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? std::string("no output") : line;
}

/// `path` with "." and ".." components folded ("a/./b/../c" -> "a/c"); a ".."
/// above the root is kept, so that the lookup fails instead of escaping.
std::string normalizedPath(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t stop = path.find('/', start);
    if (stop == std::string::npos) stop = path.size();
    std::string part = path.substr(start, stop - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = stop + 1;
  }
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : "/") + part;
  return joined;
}

/// The mode and object id of `path` (from the repository root) in the tree of `rev`;
/// nullopt when it is not there.
std::optional<std::pair<std::string, std::string>> treeEntry(const std::string& repo_dir,
                                                             const std::string& rev, const std::string& path,
                                                             std::string& error) {
  ProcessResult git = runProcess({"git", "-C", repo_dir, "ls-tree", "-z", "--full-tree", rev, "--", path});
  if (git.exit_status != 0) {
    error = git.spawn_error.empty() ? firstLine(git.err) : "cannot run git: " + git.spawn_error;
    return std::nullopt;
  }
  // "<mode> <type> <oid>\t<path>\0"
  const std::size_t tab = git.out.find('\t');
  if (tab == std::string::npos) return std::nullopt;
  const std::string header = git.out.substr(0, tab);
  const std::size_t space = header.find(' ');
  const std::size_t last = header.rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  return std::pair{header.substr(0, space), header.substr(last + 1)};
}

/// The directory of the repository `repo_dir` is in, as git names it from the root ("" or "sub/").
std::optional<std::string> repositoryPrefix(const std::string& repo_dir, std::string& error) {
  ProcessResult git = runProcess({"git", "-C", repo_dir, "rev-parse", "--show-prefix"});
  if (git.exit_status != 0) {
    error = git.spawn_error.empty() ? firstLine(git.err) : "cannot run git: " + git.spawn_error;
    return std::nullopt;
  }
  std::string prefix = git.out.substr(0, git.out.find('\n'));
  return prefix;
}

LoadedSchema fromReadResult(felis::ReadResult result, std::string label) {
  LoadedSchema side;
  side.label = std::move(label);
  side.rendered_diagnostics = felis::renderDiagnostics(result);
  side.io_error = !result.schema && result.source_text.empty() && result.diagnostics.hasErrors() &&
                  result.diagnostics.all().front().id == model::DiagId::err_io;
  side.schema = std::move(result.schema);
  side.source_text = std::move(result.source_text);
  return side;
}

LoadedSchema loadGitSide(const std::string& spec, const felis::ReadOptions& options) {
  ProcessResult git = runProcess({"git", "show", spec});
  std::string moved_note;
  if (git.exit_status != 0) {
    // A path through a symbolic link of the tree at REV (sdm_schemas' `yml` since
    // 2024-10): git show does not follow it; resolve it as a checkout would.
    const std::string rev = spec.substr(0, spec.find(':'));
    const std::string path = spec.substr(spec.find(':') + 1);
    const bool from_root = !path.starts_with("./") && !path.starts_with("../");
    std::string ignored;
    if (std::optional<std::string> resolved = resolvePathAtRevision(".", rev, path, from_root, ignored);
        resolved && git.spawn_error.empty()) {
      ProcessResult followed = runProcess({"git", "show", rev + ":" + *resolved});
      if (followed.exit_status == 0) git = std::move(followed);
    }
    // A schema file that moved: the same name where sdm_schemas kept it at REV.
    const std::filesystem::path as_given(path);
    const std::string dir = as_given.parent_path().string();
    if (git.exit_status != 0 && git.spawn_error.empty() && from_root &&
        std::find(kSdmSchemaDirs.begin(), kSdmSchemaDirs.end(), dir) != kSdmSchemaDirs.end()) {
      for (const std::string& other : kSdmSchemaDirs) {
        if (other == dir) continue;
        const std::string candidate = other + "/" + as_given.filename().string();
        std::optional<std::string> resolved = resolvePathAtRevision(".", rev, candidate, true, ignored);
        if (!resolved) continue;
        ProcessResult found = runProcess({"git", "show", rev + ":" + *resolved});
        if (found.exit_status != 0) continue;
        git = std::move(found);
        moved_note = "felisc: warning: " + spec + " does not exist; read " + rev + ":" + candidate +
                     ", where the schema file was at that revision\n";
        break;
      }
    }
  }
  if (git.exit_status != 0) {
    model::Diagnostics diagnostics;
    std::string reason = git.spawn_error.empty() ? firstLine(git.err) : "cannot run git: " + git.spawn_error;
    diagnostics.report(model::DiagId::err_io, spec, {}, {reason});
    LoadedSchema side;
    side.label = spec;
    side.io_error = true;
    for (const model::Diagnostic& diagnostic : diagnostics.all())
      side.rendered_diagnostics += renderDiagnostic(diagnostic);
    return side;
  }
  felis::ReadOptions git_options = options;
  // Resources of a file at a revision are looked up beside its working-tree path.
  std::string path = spec.substr(spec.find(':') + 1);
  git_options.base_directory = std::filesystem::path(path).parent_path().string();
  LoadedSchema side = fromReadResult(felis::readFelisText(git.out, spec, git_options), spec);
  side.rendered_diagnostics = moved_note + side.rendered_diagnostics;
  return side;
}

}  // namespace

std::optional<std::string> resolvePathAtRevision(const std::string& repo_dir, const std::string& rev,
                                                 const std::string& path, bool from_root,
                                                 std::string& error) {
  std::string prefix;
  if (!from_root) {
    std::optional<std::string> found = repositoryPrefix(repo_dir, error);
    if (!found) return std::nullopt;
    prefix = *found;
  }
  std::string remaining = normalizedPath(prefix + path);
  std::string resolved;
  // Each component in turn; a symbolic link (mode 120000) is replaced by its target,
  // read relative to the link's directory, and the walk starts over from the root.
  for (int hops = 0; hops < 40;) {
    if (remaining.empty()) return resolved;
    const std::size_t slash = remaining.find('/');
    const std::string part = remaining.substr(0, slash);
    remaining = slash == std::string::npos ? std::string() : remaining.substr(slash + 1);
    const std::string candidate = resolved.empty() ? part : resolved + "/" + part;
    if (part == "..") {
      error = "'" + path + "' leaves the repository";
      return std::nullopt;
    }
    std::optional<std::pair<std::string, std::string>> entry = treeEntry(repo_dir, rev, candidate, error);
    if (!entry) {
      if (error.empty()) error = "'" + candidate + "' does not exist at revision '" + rev + "'";
      return std::nullopt;
    }
    if (entry->first != "120000") {
      resolved = candidate;
      continue;
    }
    ProcessResult target = runProcess({"git", "-C", repo_dir, "cat-file", "blob", entry->second});
    if (target.exit_status != 0) {
      error = firstLine(target.err);
      return std::nullopt;
    }
    std::string link = target.out;
    while (!link.empty() && (link.back() == '\n' || link.back() == '/')) link.pop_back();
    remaining = normalizedPath((resolved.empty() ? "" : resolved + "/") + link +
                               (remaining.empty() ? "" : "/" + remaining));
    resolved.clear();
    ++hops;
  }
  error = "too many symbolic links in '" + path + "' at revision '" + rev + "'";
  return std::nullopt;
}

bool isGitSpec(const std::string& spec) {
  std::error_code error;
  if (std::filesystem::exists(spec, error)) return false;
  std::size_t colon = spec.find(':');
  return colon != std::string::npos && colon > 0 && colon + 1 < spec.size();
}

LoadedSchema loadFelisSide(const std::string& spec, const felis::ReadOptions& options) {
  if (isGitSpec(spec)) return loadGitSide(spec, options);
  return fromReadResult(felis::readFelisFile(spec, options), spec);
}

LoadedSchema loadFelisAtRevision(const std::string& repo_dir, const std::string& rev, const std::string& path,
                                 const felis::ReadOptions& options) {
  const std::string label = rev + ":" + path;
  // `REV:./PATH` is relative to the directory git runs in, like `path`.
  ProcessResult git = runProcess({"git", "-C", repo_dir, "show", rev + ":./" + path});
  if (git.exit_status != 0 && git.spawn_error.empty()) {
    std::string ignored;
    if (std::optional<std::string> resolved = resolvePathAtRevision(repo_dir, rev, path, false, ignored)) {
      ProcessResult followed = runProcess({"git", "-C", repo_dir, "show", rev + ":" + *resolved});
      if (followed.exit_status == 0) git = std::move(followed);
    }
  }
  if (git.exit_status != 0) {
    std::string reason = git.spawn_error.empty() ? firstLine(git.err) : "cannot run git: " + git.spawn_error;
    LoadedSchema side;
    side.label = label;
    side.io_error = true;
    model::Diagnostic diagnostic;
    diagnostic.id = model::DiagId::err_io;
    diagnostic.file = label;
    diagnostic.message = model::formatMessage(model::diagInfo(model::DiagId::err_io).format, {reason});
    side.rendered_diagnostics = renderDiagnostic(diagnostic);
    return side;
  }
  felis::ReadOptions git_options = options;
  git_options.base_directory = (std::filesystem::path(repo_dir) / path).parent_path().string();
  return fromReadResult(felis::readFelisText(git.out, label, git_options), label);
}

std::optional<std::vector<std::string>> listFilesAtRevision(const std::string& repo_dir,
                                                            const std::string& rev,
                                                            const std::string& directory,
                                                            std::string& error) {
  // The revision must exist; a directory that does not is an empty listing.
  ProcessResult check =
      runProcess({"git", "-C", repo_dir, "rev-parse", "--verify", "--quiet", rev + "^{tree}"});
  if (check.exit_status != 0) {
    error =
        check.spawn_error.empty() ? "unknown revision '" + rev + "'" : "cannot run git: " + check.spawn_error;
    return std::nullopt;
  }
  std::string ignored;
  std::optional<std::string> resolved = resolvePathAtRevision(repo_dir, rev, directory, false, ignored);
  if (!resolved) return std::vector<std::string>{};
  ProcessResult git =
      resolved->empty()
          ? runProcess({"git", "-C", repo_dir, "ls-tree", "-z", "--full-tree", rev})
          : runProcess({"git", "-C", repo_dir, "ls-tree", "-z", "--full-tree", rev, "--", *resolved + "/"});
  if (git.exit_status != 0) {
    error = git.spawn_error.empty() ? firstLine(git.err) : "cannot run git: " + git.spawn_error;
    return std::nullopt;
  }
  // "<mode> <type> <oid>\t<path>\0": regular files only, named under `directory` as given.
  std::vector<std::string> files;
  const std::string named = directory.empty() || directory.ends_with("/") ? directory : directory + "/";
  for (std::size_t start = 0; start < git.out.size();) {
    std::size_t stop = git.out.find('\0', start);
    if (stop == std::string::npos) stop = git.out.size();
    const std::string entry = git.out.substr(start, stop - start);
    const std::size_t tab = entry.find('\t');
    if (tab != std::string::npos && entry.starts_with("100")) {
      const std::string full = entry.substr(tab + 1);
      files.push_back(named + full.substr(full.rfind('/') + 1));
    }
    start = stop + 1;
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> commitId(const std::string& repo_dir, const std::string& rev) {
  ProcessResult git =
      runProcess({"git", "-C", repo_dir, "rev-parse", "--verify", "--quiet", rev + "^{commit}"});
  if (git.exit_status != 0) return std::nullopt;
  return git.out.substr(0, git.out.find('\n'));
}

bool workingTreeDiffers(const std::string& repo_dir) {
  ProcessResult git = runProcess({"git", "-C", repo_dir, "status", "--porcelain", "--untracked-files=no"});
  return git.exit_status == 0 && !git.out.empty();
}

LoadedSchema loadDatabaseSide(const std::string& conninfo, const std::string& schema_name) {
  catalog::CatalogResult result = catalog::readSchemas(conninfo, {schema_name});
  LoadedSchema side;
  side.label = "database schema " + schema_name;
  for (const model::Diagnostic& diagnostic : result.diagnostics.all())
    side.rendered_diagnostics += renderDiagnostic(diagnostic);
  if (result.schemas.size() == 1 && !result.diagnostics.hasErrors()) {
    side.schema = std::make_shared<const model::Schema>(std::move(result.schemas.front()));
  } else {
    side.io_error = true;
  }
  return side;
}

}  // namespace felisc::cli
