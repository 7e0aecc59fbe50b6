#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/output.h"
#include "compiler/felis/validator.h"

namespace felisc::cli {

namespace {

/// The closest of `candidates` to `word` (edit distance at most 2, or a third
/// of its length for long words), or nothing.
std::optional<std::string> closest(const std::string& word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = felis::editDistance(word, candidate, limit);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::vector<std::string> commandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(command->get_name());
  return names;
}

/// "--format" and "-o" of every option `command` takes (help included).
std::vector<std::string> optionNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    for (const auto& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

/// An unknown command or option found before CLI11 parses, with a suggestion;
/// CLI11 alone says "A subcommand is required" for `felisc valdate x.yaml`.
bool checkNames(const CLI::App& app, const std::vector<std::string>& args, std::ostream& err) {
  if (args.empty() || args[0].starts_with("-")) return true;
  const CLI::App* command = nullptr;
  for (const CLI::App* candidate : app.get_subcommands([](const CLI::App*) { return true; }))
    if (candidate->get_name() == args[0]) command = candidate;
  if (command == nullptr) {
    err << "felisc: error: unknown command '" << args[0] << "'";
    if (auto suggestion = closest(args[0], commandNames(app)))
      err << "; did you mean '" << *suggestion << "'?";
    err << "\nfelisc: note: the commands are";
    for (const auto& name : commandNames(app)) err << ' ' << name;
    err << "; felisc help COMMAND describes one\n";
    return false;
  }
  std::vector<std::string> known = optionNames(*command);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    // A command of the command (`tap create`): its options are the ones that count.
    for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; }))
      if (sub->get_name() == arg) {
        command = sub;
        known = optionNames(*command);
        break;
      }
    if (!arg.starts_with("--") || arg.size() == 2) continue;
    std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    err << "felisc: error: " << command->get_name() << ": unknown option '" << name << "'";
    if (auto suggestion = closest(name, known)) err << "; did you mean '" << *suggestion << "'?";
    err << "\nfelisc: note: felisc help " << command->get_name() << " lists its options\n";
    return false;
  }
  return true;
}

/// felis's spellings where they mean the same as felisc's: `--schema-name` for
/// `--schema`, and `--no-id-generation` before the command (felis's global
/// option) handed to the command that takes it.
std::vector<std::string> felisSpellings(std::vector<std::string> args) {
  bool no_id_generation = false;
  std::vector<std::string> out;
  std::size_t i = 0;
  for (; i < args.size() && args[i].starts_with("-"); ++i) {
    if (args[i] == "--no-id-generation")
      no_id_generation = true;
    else
      out.push_back(args[i]);
  }
  if (i == args.size()) return out;
  out.push_back(args[i]);  // the command
  // A command without the option reports it as unknown, with its own options.
  if (no_id_generation && args[i] != "help") out.push_back("--no-id-generation");
  for (++i; i < args.size(); ++i) {
    if (args[i] == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (args[i] == "--schema-name")
      out.push_back("--schema");
    else if (args[i].starts_with("--schema-name="))
      out.push_back("--schema=" + args[i].substr(14));
    else
      out.push_back(args[i]);
  }
  return out;
}

/// `felisc help [COMMAND]`: the help of felisc or of one command.
int help(const CLI::App& app, const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() < 2) {
    out << app.help();
    return kExitOk;
  }
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
    if (command->get_name() == args[1]) {
      out << command->help("felisc");
      return kExitOk;
    }
  return checkNames(app, {args[1]}, err) ? kExitOk : kExitUsage;
}

/// An ostream buffer that colours the diagnostics it passes on, line by line.
class ColorBuffer : public std::streambuf {
 public:
  explicit ColorBuffer(std::streambuf* target) : target_(target) {}
  ~ColorBuffer() override { flushLine(); }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    line_ += static_cast<char>(c);
    if (c == '\n') flushLine();
    return c;
  }
  int sync() override {
    flushLine();
    return target_->pubsync();
  }

 private:
  void flushLine() {
    if (line_.empty()) return;
    std::string colored = colorizeDiagnosticLine(line_);
    target_->sputn(colored.data(), static_cast<std::streamsize>(colored.size()));
    line_.clear();
  }
  std::streambuf* target_;
  std::string line_;
};

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err_stream) {
  CLI::App app{"felisc: a schema diff compiler for Felis YAML (Rubin Observatory) to PostgreSQL", "felisc"};
  app.set_version_flag("--version", std::string("felisc ") + FELISC_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // --color after the command too
  app.footer("felisc help COMMAND describes a command; felisc explain FELnnn a diagnostic code.");
  std::string color = "auto";
  app.add_option("--color", color,
                 "colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  // --color is global: read it before anything is written.
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].starts_with("--color=")) color = args[i].substr(8);
    if (args[i] == "--color" && i + 1 < args.size()) color = args[i + 1];
  }
  bool colored = color == "always" || (color == "auto" && &err_stream == &std::cerr &&
                                       ::isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  ColorBuffer color_buffer(err_stream.rdbuf());
  std::ostream colored_err(&color_buffer);
  std::ostream& err = colored ? colored_err : err_stream;

  CommandContext context{out, err};
  registerCommands(app, context);
  // Every help ends with the one exit-code table, after a command's example.
  app.footer(app.get_footer() + "\n\n" + kExitCodeTable);
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    command->footer(command->get_footer().empty() ? std::string(kExitCodeTable)
                                                  : command->get_footer() + "\n\n" + kExitCodeTable);
  // The global options stand before the command; what follows is the command's.
  std::vector<std::string> command_args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--color" && i + 1 < args.size()) {
      ++i;
      continue;
    }
    if (args[i].starts_with("--color=")) continue;
    command_args.push_back(args[i]);
  }
  command_args = felisSpellings(std::move(command_args));
  if (!command_args.empty() && command_args[0] == "help") return help(app, command_args, out, err);
  if (!checkNames(app, command_args, err)) return kExitUsage;
  try {
    std::vector<std::string> reversed(command_args.rbegin(),
                                      command_args.rend());  // CLI11 takes them backwards
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << '\n';
    return kExitOk;
  } catch (const CLI::ExtrasError&) {
    // An unquoted conninfo (`host=h password=p`) arrives as several arguments;
    // CLI11's message would echo them, password included, so they are not shown.
    err << "felisc: error: unexpected arguments (not shown: they may hold a password); quote a conninfo "
           "string that holds spaces\n";
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    err << "felisc: error: " << e.what() << '\n';
    return kExitUsage;
  }
  return context.exit_code;
}

}  // namespace felisc::cli
