#include "compiler/verify/sql_script.h"

#include <array>
#include <optional>

namespace felisc::verify {

namespace {

using model::DiagId;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// The server's ident_start: letters, `_` and every byte of a multi-byte character.
bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

/// ident_cont: ident_start, digits and `$`.
bool isIdentCont(char c) { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view word) {
  std::string out(word);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// Cuts one script into statements; see sql_script.h for the rules.
class Splitter {
 public:
  Splitter(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  Script run() {
    while (i_ < text_.size()) step();
    finishStatement(text_.size());
    return std::move(script_);
  }

 private:
  void step() {
    char c = text_[i_];
    if (isSpace(c)) {
      ++i_;
    } else if (c == '-' && peek(1) == '-') {
      skipLineComment();
    } else if (c == '/' && peek(1) == '*') {
      skipBlockComment();
    } else if (c == ';' && paren_depth_ == 0 && begin_depth_ == 0) {
      finishStatement(i_);
      ++i_;
    } else {
      startStatement();
      token(c);
      last_token_end_ = i_;
    }
  }

  void token(char c) {
    if (c == '\'') return quoted('\'', false, "quoted string");
    if (c == '"') return quoted('"', false, "quoted identifier");
    if (c == '$') return dollar();
    if (c == '\\') return psqlCommand();
    if (isIdentStart(c)) return word();
    if (isDigit(c)) return number();
    if (c == '(') ++paren_depth_;
    if (c == ')' && paren_depth_ > 0) --paren_depth_;
    ++i_;
  }

  [[nodiscard]] char peek(std::size_t ahead) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }

  void startStatement() {
    if (start_ != std::string_view::npos) return;
    start_ = i_;
    words_.clear();
    identifiers_.fill('\0');
    identifier_count_ = 0;
  }

  void finishStatement(std::size_t end) {
    if (start_ == std::string_view::npos) return;
    std::size_t last = end;
    // Trailing white space and comments after the last token stay out of the text.
    last = std::min(last, last_token_end_);
    Statement statement;
    statement.text = std::string(text_.substr(start_, last - start_));
    statement.offset = start_;
    statement.pos = advanceTo(start_);
    statement.control = classify();
    script_.statements.push_back(std::move(statement));
    start_ = std::string_view::npos;
    paren_depth_ = 0;
    begin_depth_ = 0;
  }

  /// The position of `offset`, counted on from the last one asked for (offsets only grow).
  model::SourcePos advanceTo(std::size_t offset) {
    for (; cursor_offset_ < offset && cursor_offset_ < text_.size(); ++cursor_offset_) {
      if (text_[cursor_offset_] == '\n') {
        ++cursor_.line;
        cursor_.column = 1;
      } else {
        ++cursor_.column;
      }
    }
    return cursor_;
  }

  void unterminated(std::size_t at, std::string_view what) {
    script_.diagnostics.report(DiagId::err_sql_unterminated, file_, positionOf(text_, at), {what});
    i_ = text_.size();
  }

  void skipLineComment() {
    while (i_ < text_.size() && text_[i_] != '\n') ++i_;
  }

  /// `/* ... */`, nesting as the server does.
  void skipBlockComment() {
    std::size_t open = i_;
    int depth = 0;
    while (i_ < text_.size()) {
      if (text_[i_] == '/' && peek(1) == '*') {
        ++depth;
        i_ += 2;
      } else if (text_[i_] == '*' && peek(1) == '/') {
        i_ += 2;
        if (--depth == 0) return;
      } else {
        ++i_;
      }
    }
    // An unterminated comment inside a statement hides its end; between statements, its text.
    unterminated(open, "block comment");
  }

  /// A string or quoted identifier: the quote doubled stands for itself;
  /// with `backslash_escapes` (E'...'), a backslash escapes the next byte.
  void quoted(char quote, bool backslash_escapes, std::string_view what) {
    quotedFrom(i_, quote, backslash_escapes, what);
  }

  /// quoted() for a string whose token starts at `open` (the E of E'...').
  void quotedFrom(std::size_t open, char quote, bool backslash_escapes, std::string_view what) {
    ++i_;
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (backslash_escapes && c == '\\') {
        i_ += 2;
      } else if (c == quote && peek(1) == quote) {
        i_ += 2;
      } else if (c == quote) {
        ++i_;
        return;
      } else {
        ++i_;
      }
    }
    unterminated(open, what);
  }

  /// `$tag$` when it is a dollar-quote delimiter at `i_`: its length, else 0.
  [[nodiscard]] std::size_t delimiterLength(std::size_t at) const {
    std::size_t j = at + 1;
    if (j < text_.size() && text_[j] == '$') return 2;
    if (j >= text_.size() || !isIdentStart(text_[j])) return 0;
    while (j < text_.size() && isIdentCont(text_[j]) && text_[j] != '$') ++j;
    return j < text_.size() && text_[j] == '$' ? j - at + 1 : 0;
  }

  void dollar() {
    std::size_t length = delimiterLength(i_);
    if (length == 0) {  // $1 (a parameter) or a lone $
      ++i_;
      while (i_ < text_.size() && isDigit(text_[i_])) ++i_;
      return;
    }
    std::size_t open = i_;
    std::string_view delimiter = text_.substr(i_, length);
    std::size_t close = text_.find(delimiter, i_ + length);
    if (close == std::string_view::npos)
      return unterminated(open, "dollar-quoted string " + std::string(delimiter));
    i_ = close + length;
  }

  /// A backslash outside quotes: psql would take the rest of the line as a
  /// meta-command; the server would reject it.
  void psqlCommand() {
    std::size_t end = text_.find('\n', i_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view command = text_.substr(i_, end - i_);
    std::size_t space = command.find_first_of(" \t\r");
    if (space != std::string_view::npos) command = command.substr(0, space);
    script_.diagnostics.report(DiagId::err_sql_psql_command, file_, positionOf(text_, i_),
                               {std::string(command)});
    i_ = end;
  }

  void number() {
    while (i_ < text_.size() && (isIdentCont(text_[i_]) || text_[i_] == '.') && text_[i_] != '$') ++i_;
  }

  void word() {
    std::size_t begin = i_;
    while (i_ < text_.size() && isIdentCont(text_[i_])) ++i_;
    std::string_view raw = text_.substr(begin, i_ - begin);
    // E'...' (an escape string): the prefix must be the whole word.
    if ((raw == "E" || raw == "e") && i_ < text_.size() && text_[i_] == '\'')
      return quotedFrom(begin, '\'', true, "quoted string");
    std::string name = lower(raw);
    if (words_.size() < 3 && paren_depth_ == 0) words_.push_back(name);
    trackBeginAtomic(name);
  }

  /// psql's heuristic (psqlscan.l): in CREATE [OR REPLACE] FUNCTION|PROCEDURE,
  /// BEGIN (and CASE inside it) opens a block that END closes; `;` inside does
  /// not end the statement.
  void trackBeginAtomic(const std::string& name) {
    if (name == "create" || name == "function" || name == "procedure" || name == "or" || name == "replace") {
      if (identifier_count_ < identifiers_.size()) identifiers_[identifier_count_] = name.front();
    }
    ++identifier_count_;
    bool routine = identifiers_[0] == 'c' && (identifiers_[1] == 'f' || identifiers_[1] == 'p' ||
                                              (identifiers_[1] == 'o' && identifiers_[2] == 'r' &&
                                               (identifiers_[3] == 'f' || identifiers_[3] == 'p')));
    if (!routine || paren_depth_ != 0) return;
    if (name == "begin") {
      ++begin_depth_;
    } else if (name == "case") {
      if (begin_depth_ >= 1) ++begin_depth_;
    } else if (name == "end") {
      if (begin_depth_ > 0) --begin_depth_;
    }
  }

  [[nodiscard]] TransactionControl classify() const {
    auto at = [&](std::size_t k) { return k < words_.size() ? std::string_view(words_[k]) : ""; };
    std::string_view first = at(0);
    if (first == "begin") return TransactionControl::Begin;
    if (first == "start" && at(1) == "transaction") return TransactionControl::Begin;
    if (first == "commit" || first == "end")
      return at(1) == "prepared" ? TransactionControl::None : TransactionControl::Commit;
    if (first == "abort") return TransactionControl::Rollback;
    if (first == "rollback") {
      bool noise = at(1) == "work" || at(1) == "transaction";
      std::string_view next = noise ? at(2) : at(1);
      return next == "to" || next == "prepared" ? TransactionControl::None : TransactionControl::Rollback;
    }
    if (first == "prepare" && at(1) == "transaction") return TransactionControl::Prepare;
    return TransactionControl::None;
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t i_ = 0;
  std::size_t start_ = std::string_view::npos;
  std::size_t last_token_end_ = 0;
  int paren_depth_ = 0;
  int begin_depth_ = 0;
  std::vector<std::string> words_;
  std::array<char, 4> identifiers_{};
  std::size_t identifier_count_ = 0;
  std::size_t cursor_offset_ = 0;
  model::SourcePos cursor_{1, 1};
  Script script_;
};

}  // namespace

std::string_view transactionControlName(TransactionControl control) {
  switch (control) {
    case TransactionControl::None: return "none";
    case TransactionControl::Begin: return "BEGIN";
    case TransactionControl::Commit: return "COMMIT";
    case TransactionControl::Rollback: return "ROLLBACK";
    case TransactionControl::Prepare: return "PREPARE TRANSACTION";
  }
  return "none";
}

std::string Statement::firstLine() const {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  return line;
}

Script splitScript(std::string_view text, const std::string& file) { return Splitter(text, file).run(); }

model::SourcePos positionOf(std::string_view text, std::size_t offset) {
  model::SourcePos pos{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

}  // namespace felisc::verify
