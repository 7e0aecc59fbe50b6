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
  return fromReadResult(felis::readFelisText(git.out, spec, git_options), spec);
}

}  // namespace

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
  std::string tree = directory.empty() || directory.ends_with("/") ? directory : directory + "/";
  ProcessResult git = runProcess({"git", "-C", repo_dir, "ls-tree", "-z", "--name-only", rev, "--", tree});
  if (git.exit_status != 0) {
    error = git.spawn_error.empty() ? firstLine(git.err) : "cannot run git: " + git.spawn_error;
    return std::nullopt;
  }
  std::vector<std::string> files;
  for (std::size_t start = 0; start < git.out.size();) {
    std::size_t stop = git.out.find('\0', start);
    if (stop == std::string::npos) stop = git.out.size();
    if (stop > start) files.push_back(git.out.substr(start, stop - start));
    start = stop + 1;
  }
  std::sort(files.begin(), files.end());
  return files;
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
