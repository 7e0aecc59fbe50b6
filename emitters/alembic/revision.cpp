// The Alembic emitter: each plan step as op.* calls, or as op.execute() of its SQL.
#include "emitters/alembic/revision.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <utility>
#include <variant>
#include <vector>

#include "diff_engine/type_change.h"
#include "emitters/sha256.h"
#include "schema_model/overloaded.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::alembic {

namespace {

/// ConsDB's line length (ruff, pyproject.toml); revision files are exempt from
/// E501 there, so a long string simply stays long.
constexpr std::size_t kLineWidth = 110;
constexpr std::size_t kIndentStep = 4;

// ---------------------------------------------------------------------------
// Python text

void appendHex(std::string& out, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
    out.push_back(kHex[(value >> static_cast<unsigned>(shift)) & 0xfU]);
}

/// Decodes one UTF-8 sequence at `i`; nullopt for an invalid one.
std::optional<std::pair<char32_t, std::size_t>> decodeUtf8(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (length == 0 || lead >= 0xf8 || i + length > text.size()) return std::nullopt;
  char32_t cp = lead & (0x3fU >> (length - 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0U) != 0x80U) return std::nullopt;
    cp = (cp << 6U) | (byte(i + k) & 0x3fU);
  }
  static constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[length] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
  return std::make_pair(cp, length);
}

/// Characters a reviewer cannot see or that change how a line reads: C1
/// controls, line and paragraph separators, bidirectional controls (the
/// "Trojan source" ones), zero-width characters and the byte-order mark.
bool invisible(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

/// Where escaped text goes.
enum class Context : std::uint8_t {
  String,     ///< inside "...": every '"' and '\\' escaped
  Docstring,  ///< inside """...""": newlines kept, a '"' after a '"' escaped
  Comment,    ///< after '#': only what would end the line or hide is escaped
};

/// Escapes `text` for `context`: control characters, invisible and
/// bidirectional characters and bytes that are not UTF-8 become escapes.
std::string pythonEscaped(std::string_view text, Context context) {
  const bool keep_newlines = context == Context::Docstring;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\': out += context == Context::Comment ? "\\" : "\\\\"; break;
        case '"':
          out += context == Context::String || (context == Context::Docstring && i > 0 && text[i - 1] == '"')
                     ? "\\\""
                     : "\"";
          break;
        case '\n': out += keep_newlines ? "\n" : "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            appendHex(out, c, 2);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    auto decoded = decodeUtf8(text, i);
    if (!decoded) {  // not UTF-8: the byte as a Latin-1 character
      out += "\\x";
      appendHex(out, c, 2);
      ++i;
      continue;
    }
    auto [cp, length] = *decoded;
    if (invisible(cp)) {
      out += cp < 0x100 ? "\\x" : "\\u";
      appendHex(out, static_cast<unsigned>(cp), cp < 0x100 ? 2 : 4);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

/// Text for a `#` comment: one line, nothing hidden.
std::string commentText(std::string_view text) { return pythonEscaped(text, Context::Comment); }

/// A Python expression: an atom, a call or a list, laid out the way black and
/// ruff format lay out a call: on one line when it fits, else its arguments on
/// one indented line, else one argument per line with a trailing comma (a sole
/// argument gets a line of its own and no comma).
struct PyArg;
struct Py {
  enum class Kind : std::uint8_t { Atom, Call, List };
  Kind kind = Kind::Atom;
  std::string text;         ///< the atom, or the callee
  std::vector<PyArg> args;  ///< the arguments or items
};
/// One argument: a struct, not std::pair<std::string, Py>, which clang 14 with
/// libstdc++ 12 cannot instantiate while Py is still incomplete.
struct PyArg {
  std::string key;  ///< keyword, or "" for a positional argument
  Py value;
};

Py atom(std::string text) { return {Py::Kind::Atom, std::move(text), {}}; }
Py str(std::string_view text) { return atom(pythonString(text)); }

/// Builds a call argument by argument.
class Call {
 public:
  explicit Call(std::string callee) {
    py_.kind = Py::Kind::Call;
    py_.text = std::move(callee);
  }
  Call& arg(Py value) {
    py_.args.push_back({std::string(), std::move(value)});
    return *this;
  }
  Call& kw(std::string key, Py value) {
    py_.args.push_back({std::move(key), std::move(value)});
    return *this;
  }
  operator Py() const { return py_; }  // NOLINT(google-explicit-constructor): builder

 private:
  Py py_;
};

Py strList(const std::vector<std::string>& items) {
  Py list{Py::Kind::List, "", {}};
  for (const auto& item : items) list.args.push_back({std::string(), str(item)});
  return list;
}

std::string flat(const Py& py) {
  if (py.kind == Py::Kind::Atom) return py.text;
  std::string out = py.kind == Py::Kind::Call ? py.text + "(" : "[";
  for (std::size_t i = 0; i < py.args.size(); ++i) {
    if (i > 0) out += ", ";
    if (!py.args[i].key.empty()) out += py.args[i].key + "=";
    out += flat(py.args[i].value);
  }
  return out + (py.kind == Py::Kind::Call ? ")" : "]");
}

/// `py` starting at column `start` of a line indented by `indent`, followed by
/// `trailer` more characters on its last line.
std::string layout(const Py& py, std::size_t indent, std::size_t start, std::size_t trailer) {
  std::string one_line = flat(py);
  if (py.kind == Py::Kind::Atom || py.args.empty() || start + one_line.size() + trailer <= kLineWidth)
    return one_line;
  const std::string open = py.kind == Py::Kind::Call ? py.text + "(" : "[";
  const std::string close = py.kind == Py::Kind::Call ? ")" : "]";
  const std::string inner(indent + kIndentStep, ' ');
  if (py.args.size() == 1) {  // a sole argument goes on its own line, split further if need be
    const auto& [key, value] = py.args.front();
    std::string prefix = key.empty() ? "" : key + "=";
    return open + "\n" + inner + prefix + layout(value, inner.size(), inner.size() + prefix.size(), 0) +
           "\n" + std::string(indent, ' ') + close;
  }
  std::string arguments;
  for (const auto& [key, value] : py.args)
    arguments += (arguments.empty() ? "" : ", ") + (key.empty() ? "" : key + "=") + flat(value);
  if (inner.size() + arguments.size() <= kLineWidth)
    return open + "\n" + inner + arguments + "\n" + std::string(indent, ' ') + close;
  std::string out = open + "\n";
  for (const auto& [key, value] : py.args) {
    std::string prefix = key.empty() ? "" : key + "=";
    out += inner + prefix + layout(value, inner.size(), inner.size() + prefix.size(), 1) + ",\n";
  }
  return out + std::string(indent, ' ') + close;
}

// ---------------------------------------------------------------------------
// SQL text as SQLAlchemy reads it

bool asciiWord(unsigned char c) { return c < 0x80 && (std::isalnum(c) != 0 || c == '_' || c == '$'); }

/// Names PostgreSQL cannot take unquoted as a table, column, constraint or
/// index name, that SQLAlchemy 1.4 nevertheless leaves unquoted.
bool sqlalchemyQuotesCorrectly(std::string_view name) {
  return name != "collation" && name != "concurrently" && name != "lateral" && name != "tablesample";
}

/// `%` doubled: sa.DDL() formats its statement with `%`.
std::string percentsDoubled(std::string_view sql) {
  std::string out;
  for (char c : sql) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

bool identifierChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
}

/// The end (one past the closing quote) of the literal or quoted name opening at `i`.
std::size_t quotedEnd(std::string_view sql, std::size_t i, bool backslash_escapes) {
  const char quote = sql[i];
  for (std::size_t j = i + 1; j < sql.size(); ++j) {
    if (backslash_escapes && sql[j] == '\\') {
      ++j;
    } else if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        ++j;
      } else {
        return j + 1;
      }
    }
  }
  return sql.size();
}

/// `sql` with every tab inside a string literal written as an escape (the
/// literal becomes E'...'): Alembic's offline mode (`--sql`) turns every tab of
/// a statement into four spaces, which would change a comment or a default.
/// Tabs between tokens stay (they are white space either way); so do tabs in
/// quoted names and dollar-quoted bodies, which have no escape.
std::string tabsEscapedInLiterals(std::string_view sql) {
  if (sql.find('\t') == std::string_view::npos) return std::string(sql);
  std::string out;
  for (std::size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    const bool after_word = i > 0 && identifierChar(sql[i - 1]);
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = std::min(sql.find('\n', i), sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '"') {
      std::size_t end = quotedEnd(sql, i, false);
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && !after_word) {
      std::size_t close = i + 1;
      while (close < sql.size() && identifierChar(sql[close]) && sql[close] != '$') ++close;
      if (close >= sql.size() || sql[close] != '$') {
        out.push_back(c);
        ++i;
        continue;
      }
      std::string_view tag = sql.substr(i, close - i + 1);
      std::size_t body_end = sql.find(tag, close + 1);
      std::size_t end = body_end == std::string_view::npos ? sql.size() : body_end + tag.size();
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '\'') {
      const bool escape_string =
          after_word && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !identifierChar(sql[i - 2]));
      std::size_t end = quotedEnd(sql, i, escape_string);
      std::string_view literal = sql.substr(i, end - i);
      const bool unicode_string = i >= 2 && sql[i - 1] == '&' && (sql[i - 2] == 'U' || sql[i - 2] == 'u');
      if (literal.find('\t') == std::string_view::npos || (after_word && !escape_string) || unicode_string) {
        out.append(literal);  // no tab, or a B'', X'', N'' or U&'' literal
      } else {
        if (!escape_string) out.push_back('E');
        for (char k : literal) {
          if (k == '\t')
            out += "\\t";
          else if (k == '\\' && !escape_string)
            out += "\\\\";
          else
            out.push_back(k);
        }
      }
      i = end;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

/// op.execute() of one statement, exactly as written.
Py execute(const std::string& statement) {
  const std::string sql = tabsEscapedInLiterals(statement);
  if (sqlTextSafe(sql)) return Call("op.execute").arg(str(sql));
  return Call("op.execute").arg(Call("sa.DDL").arg(str(percentsDoubled(sql))));
}

// ---------------------------------------------------------------------------
// Steps

/// What the file must import or define, collected while writing calls.
struct Needs {
  bool postgresql = false;  ///< from sqlalchemy.dialects import postgresql
  bool pg_type = false;     ///< the PgType class

  void merge(const Needs& other) {
    postgresql = postgresql || other.postgresql;
    pg_type = pg_type || other.pg_type;
  }
};

/// One call in a function body, with the comments above it.
struct Line {
  std::vector<std::string> comments;
  Py call;
  std::size_t covers = 1;          ///< how many of the step's SQL statements it runs
  std::vector<std::string> after;  ///< comments below it
};

std::optional<long long> number(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

/// `prefix(N)suffix` -> N.
std::optional<long long> parenthesized(std::string_view type, std::string_view prefix,
                                       std::string_view suffix) {
  if (!type.starts_with(prefix) || !type.ends_with(suffix) || type.size() < prefix.size() + suffix.size() + 2)
    return std::nullopt;
  std::string_view inside = type.substr(prefix.size(), type.size() - prefix.size() - suffix.size());
  if (!inside.starts_with("(") || !inside.ends_with(")")) return std::nullopt;
  return number(inside.substr(1, inside.size() - 2));
}

/// The SQLAlchemy type whose DDL PostgreSQL stores as `sql_type` (format_type spelling).
Py sqlalchemyType(const std::string& sql_type, Needs& needs) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kPlain = {
      {"boolean", "sa.BOOLEAN()"},
      {"smallint", "sa.SMALLINT()"},
      {"integer", "sa.INTEGER()"},
      {"bigint", "sa.BIGINT()"},
      {"real", "sa.REAL()"},
      {"numeric", "sa.NUMERIC()"},
      {"character varying", "sa.VARCHAR()"},
      {"text", "sa.TEXT()"},
      {"date", "sa.DATE()"},
      {"timestamp without time zone", "sa.TIMESTAMP()"},
      {"timestamp with time zone", "sa.TIMESTAMP(timezone=True)"},
      {"time without time zone", "sa.TIME()"},
      {"time with time zone", "sa.TIME(timezone=True)"},
  };
  static const std::vector<std::pair<std::string_view, std::string_view>> kPostgres = {
      {"double precision", "postgresql.DOUBLE_PRECISION()"},
      {"bytea", "postgresql.BYTEA()"},
      {"json", "postgresql.JSON()"},
      {"jsonb", "postgresql.JSONB()"},
      {"uuid", "postgresql.UUID()"},
      {"inet", "postgresql.INET()"},
      {"cidr", "postgresql.CIDR()"},
      {"macaddr", "postgresql.MACADDR()"},
      {"interval", "postgresql.INTERVAL()"},
  };
  for (const auto& [spelling, python] : kPlain)
    if (sql_type == spelling) return atom(std::string(python));
  for (const auto& [spelling, python] : kPostgres) {
    if (sql_type != spelling) continue;
    needs.postgresql = true;
    return atom(std::string(python));
  }
  if (auto n = parenthesized(sql_type, "character varying", ""))
    return Call("sa.VARCHAR").kw("length", atom(std::to_string(*n)));
  if (auto n = parenthesized(sql_type, "character", ""))
    return Call("sa.CHAR").kw("length", atom(std::to_string(*n)));
  for (const auto& [suffix, timezone] : {std::pair<std::string_view, bool>{" without time zone", false},
                                         std::pair<std::string_view, bool>{" with time zone", true}}) {
    for (std::string_view base : {std::string_view("timestamp"), std::string_view("time")}) {
      auto precision = parenthesized(sql_type, base, suffix);
      if (!precision) continue;
      needs.postgresql = true;
      Call type(base == "timestamp" ? "postgresql.TIMESTAMP" : "postgresql.TIME");
      if (timezone) type.kw("timezone", atom("True"));
      return type.kw("precision", atom(std::to_string(*precision)));
    }
  }
  if (sql_type.starts_with("numeric(") && sql_type.ends_with(")")) {
    std::string_view inside(sql_type);
    inside = inside.substr(8, inside.size() - 9);
    auto comma = inside.find(',');
    auto precision = number(inside.substr(0, comma));
    auto scale =
        comma == std::string_view::npos ? std::optional<long long>(0) : number(inside.substr(comma + 1));
    if (precision && scale)
      return Call("sa.NUMERIC")
          .kw("precision", atom(std::to_string(*precision)))
          .kw("scale", atom(std::to_string(*scale)));
  }
  needs.pg_type = true;
  return Call("PgType").arg(str(sql_type));
}

/// op.execute() of the step's backfill statement `index`, between the marker
/// comments the SQL emitter writes around it.
Line backfillLine(const diff::Step& step, std::size_t index) {
  const diff::BackfillSlot& slot = *step.backfill;
  const std::string target = commentText(slot.table + "." + slot.column);
  Line line{{}, execute(step.sql.at(index)), 1, {"# <<< end of backfill " + target}};
  switch (slot.source) {
    case diff::BackfillSlot::Source::Provided:
      line.comments.push_back("# >>> backfill " + target + ": provided SQL");
      break;
    case diff::BackfillSlot::Source::Default:
      line.comments.push_back("# >>> backfill " + target + ": from its default " + commentText(slot.sql));
      break;
    case diff::BackfillSlot::Source::Missing:
      line.comments.push_back(
          "# >>> BACKFILL MISSING for " + target +
          ": give its SQL with --backfill (or edit this statement); until then this guard "
          "stops the migration if a row holds NULL");
      break;
  }
  return line;
}

/// Writes the op.* calls of one step, or gives up (ok() false) when SQLAlchemy
/// would not write exactly the step's SQL.
class OpWriter {
 public:
  OpWriter(const std::string& schema, const diff::Step& step) : schema_(schema), step_(step) {}

  std::optional<std::vector<Line>> write() {
    std::visit(
        Overloaded{
            [&](const diff::AddTable& c) { addTable(c.table); },
            [&](const diff::DropTable& c) {
              emit(Call("op.drop_table").arg(name(c.table.name)).kw("schema", schemaArg()));
            },
            [&](const diff::RenameTable& c) {
              emit(Call("op.rename_table").arg(name(c.from)).arg(name(c.to)).kw("schema", schemaArg()));
            },
            [&](const diff::AddColumn& c) { addColumn(c); },
            [&](const diff::DropColumn& c) {
              emit(Call("op.drop_column")
                       .arg(name(c.table))
                       .arg(name(c.column.name))
                       .kw("schema", schemaArg()));
            },
            [&](const diff::AlterColumn& c) { alterColumn(c); },
            [&](const diff::RenameColumn& c) {
              emit(Call("op.alter_column")
                       .arg(name(c.table))
                       .arg(name(c.from))
                       .kw("new_column_name", name(c.to))
                       .kw("schema", schemaArg()));
            },
            [&](const diff::SetComment& c) { setComment(c); },
            [&](const diff::AddConstraint& c) { addConstraint(c.table, c.constraint); },
            [&](const diff::DropConstraint& c) { dropConstraint(c.table, c.constraint); },
            [&](const diff::AddPrimaryKey& c) {
              if (c.key.name.empty()) ok_ = false;
              emit(Call("op.create_primary_key")
                       .arg(name(c.key.name))
                       .arg(name(c.table))
                       .arg(names(c.key.columns))
                       .kw("schema", schemaArg()));
            },
            [&](const diff::DropPrimaryKey& c) {
              emit(Call("op.drop_constraint")
                       .arg(name(c.key.name))
                       .arg(name(c.table))
                       .kw("type_", str("primary"))
                       .kw("schema", schemaArg()));
            },
            [&](const diff::AddIndex& c) { addIndex(c.table, c.index); },
            [&](const diff::DropIndex& c) {
              emit(Call("op.drop_index")
                       .arg(name(c.index.name))
                       .kw("table_name", name(c.table))
                       .kw("schema", schemaArg()));
            },
            // No Alembic operation: CreateSchema, DropSchema, renames of
            // constraints, indexes and sequences, and kinds added later.
            [&](const auto&) { ok_ = false; },
        },
        step_.change);
    std::size_t covered = 0;
    for (const Line& line : lines_) covered += line.covers;
    if (!ok_ || covered != step_.sql.size()) return std::nullopt;
    return std::move(lines_);
  }

  const Needs& needs() const { return needs_; }

 private:
  [[nodiscard]] std::string q(std::string_view identifier) const {
    return model::postgresQuoteIdentifier(identifier);
  }
  [[nodiscard]] std::string qualified(std::string_view object) const { return q(schema_) + "." + q(object); }

  void emit(Py call, std::size_t covers = 1) { lines_.push_back({{}, std::move(call), covers, {}}); }

  Py schemaArg() { return name(schema_); }

  Py name(const std::string& identifier) {
    noTab(identifier);
    if (!sqlalchemyQuotesCorrectly(identifier)) ok_ = false;
    return str(identifier);
  }
  Py names(const std::vector<std::string>& identifiers) {
    for (const auto& identifier : identifiers) name(identifier);
    return strList(identifiers);
  }
  /// Text SQLAlchemy writes into a statement must hold no tab (see
  /// tabsEscapedInLiterals()); op.execute() of the step's SQL escapes them.
  void noTab(std::string_view text) {
    if (text.find('\t') != std::string_view::npos) ok_ = false;
  }
  /// sa.text() of SQL that text() reads back unchanged.
  Py text(const std::string& sql) {
    noTab(sql);
    if (!sqlTextSafe(sql)) ok_ = false;
    return Call("sa.text").arg(str(sql));
  }
  /// SQL as a plain string that SQLAlchemy turns into text() itself.
  Py sqlString(const std::string& sql) {
    noTab(sql);
    if (!sqlTextSafe(sql)) ok_ = false;
    return str(sql);
  }
  /// A comment SQLAlchemy renders as a literal: offline mode doubles backslashes.
  Py literal(const std::string& comment) {
    noTab(comment);
    if (comment.find('\\') != std::string::npos) ok_ = false;
    return str(comment);
  }
  Py type(const std::string& sql_type) { return sqlalchemyType(sql_type, needs_); }

  /// sa.Column(name, type, nullable=..., server_default=..., comment=...).
  Py column(const model::Column& c, bool nullable, bool with_default, std::optional<bool> autoincrement) {
    if (c.generation == model::Generation::IdentityAlways ||
        c.generation == model::Generation::IdentityByDefault)
      ok_ = false;
    Call call("sa.Column");
    call.arg(name(c.name)).arg(type(c.sql_type));
    if (autoincrement) call.kw("autoincrement", atom(*autoincrement ? "True" : "False"));
    call.kw("nullable", atom(nullable ? "True" : "False"));
    if (with_default && c.generation == model::Generation::None && c.sql_default)
      call.kw("server_default", text(*c.sql_default));
    if (auto description = diff::normalizedDescription(c.description))
      call.kw("comment", literal(*description));
    return call;
  }

  void commentOn(const std::string& target, const std::optional<std::string>& description) {
    emit(execute("COMMENT ON " + target + " IS " + model::postgresQuoteLiteral(*description)));
  }

  void addTable(const model::Table& table) {
    const auto& key = table.primary_key;
    auto in_key = [&](const std::string& column) {
      return key && std::find(key->columns.begin(), key->columns.end(), column) != key->columns.end();
    };
    Call create("op.create_table");
    create.arg(name(table.name));
    std::size_t comments = 0;
    for (const auto& c : table.columns) {
      std::optional<bool> autoincrement;
      if (c.generation == model::Generation::Serial) {
        // SQLAlchemy writes SERIAL only for the key's autoincrement column, and
        // the sequence must get PostgreSQL's own name.
        bool integer = c.sql_type == "smallint" || c.sql_type == "integer" || c.sql_type == "bigint";
        if (!in_key(c.name) || !integer || c.sequence != model::makeObjectName(table.name, c.name, "seq"))
          ok_ = false;
        autoincrement = true;
      } else if (key && key->columns.size() == 1 && in_key(c.name)) {
        autoincrement = false;  // else SQLAlchemy makes a lone numeric key SERIAL
      }
      create.arg(column(c, c.nullable, true, autoincrement));
      if (diff::normalizedDescription(c.description)) ++comments;
    }
    auto serial = [](const model::Column& c) { return c.generation == model::Generation::Serial; };
    if (std::count_if(table.columns.begin(), table.columns.end(), serial) > 1) ok_ = false;
    if (key) {
      Call pk("sa.PrimaryKeyConstraint");
      for (const auto& column_name : key->columns) pk.arg(name(column_name));
      if (!key->name.empty()) pk.kw("name", name(key->name));
      create.arg(pk);
    }
    for (const auto& constraint : table.constraints) create.arg(constraintObject(constraint));
    create.kw("schema", schemaArg());
    if (auto description = diff::normalizedDescription(table.description)) {
      create.kw("comment", literal(*description));
      ++comments;
    }
    emit(create, 1 + comments);
    for (const auto& index : table.indexes) addIndex(table.name, index, false);
    for (const auto& constraint : table.constraints)
      if (auto description = diff::normalizedDescription(constraint.description))
        commentOn("CONSTRAINT " + q(constraint.name) + " ON " + qualified(table.name), description);
    for (const auto& index : table.indexes)
      if (auto description = diff::normalizedDescription(index.description))
        commentOn("INDEX " + qualified(index.name), description);
  }

  /// A unique or check constraint inside op.create_table().
  Py constraintObject(const model::Constraint& c) {
    if (c.kind == model::ConstraintKind::Check)
      return Call("sa.CheckConstraint").arg(sqlString(c.expression)).kw("name", name(c.name));
    if (c.kind != model::ConstraintKind::Unique) ok_ = false;  // foreign keys are steps of their own
    Call unique("sa.UniqueConstraint");
    for (const auto& column_name : c.columns) unique.arg(name(column_name));
    unique.kw("name", name(c.name));
    deferrability(unique, c);
    return unique;
  }

  static void deferrability(Call& call, const model::Constraint& c) {
    if (!c.deferrable) return;
    call.kw("deferrable", atom("True"));
    if (c.initially_deferred) call.kw("initially", str("DEFERRED"));
  }

  void addColumn(const diff::AddColumn& c) {
    // The planner adds a NOT NULL column without a usable default nullable,
    // backfills it, then sets its default and NOT NULL.
    if (c.column.generation != model::Generation::None) {
      ok_ = false;  // SQLAlchemy writes SERIAL only in CREATE TABLE
      return;
    }
    const bool staged = step_.backfill.has_value();
    Py definition = column(c.column, staged || c.column.nullable, !staged, std::nullopt);
    emit(Call("op.add_column").arg(name(c.table)).arg(definition).kw("schema", schemaArg()),
         diff::normalizedDescription(c.column.description) ? 2 : 1);
    if (!staged) return;
    backfill();
    if (c.column.sql_default) setDefault(c.table, c.column, c.column.sql_default);
    setNullable(c.table, c.column, false);
  }

  /// The backfill statement of the step, between the markers the SQL has.
  void backfill() {
    if (!step_.backfill) {
      ok_ = false;
      return;
    }
    lines_.push_back(backfillLine(step_, step_.backfill->statement));
  }

  Call alter(const std::string& table, const model::Column& c) {
    Call call("op.alter_column");
    call.arg(name(table)).arg(name(c.name));
    return call;
  }

  void setDefault(const std::string& table, const model::Column& c, const std::optional<std::string>& value) {
    emit(alter(table, c)
             .kw("server_default", value ? text(*value) : atom("None"))
             .kw("existing_type", type(c.sql_type))
             .kw("schema", schemaArg()));
  }

  void setNullable(const std::string& table, const model::Column& c, bool nullable) {
    emit(alter(table, c)
             .kw("nullable", atom(nullable ? "True" : "False"))
             .kw("existing_type", type(c.sql_type))
             .kw("schema", schemaArg()));
  }

  void alterColumn(const diff::AlterColumn& c) {
    const model::Column& from = c.from;
    const model::Column& to = c.to;
    const bool type_change = (c.kinds & diff::kColumnType) != 0;
    const bool defaults = (c.kinds & diff::kColumnDefault) != 0;
    // Serial and identity columns take sequences and statements SQLAlchemy has no call for.
    if ((c.kinds & diff::kColumnGeneration) != 0 || from.generation != model::Generation::None ||
        to.generation != model::Generation::None) {
      ok_ = false;
      return;
    }
    if (from.sql_default && (defaults || type_change)) {
      model::Column before = to;
      before.sql_type = from.sql_type;
      setDefault(c.table, before, std::nullopt);
    }
    if (type_change) {
      diff::TypeChange change = diff::classifyTypeChange(from.sql_type, to.sql_type, q(to.name));
      Call call = alter(c.table, to);
      call.kw("type_", type(to.sql_type)).kw("existing_type", type(from.sql_type));
      if (change.needs_using) {
        // Alembic writes USING verbatim into a statement the driver %-formats.
        if (change.using_expr.find('%') != std::string::npos) ok_ = false;
        noTab(change.using_expr);
        call.kw("postgresql_using", str(change.using_expr));
      }
      emit(call.kw("schema", schemaArg()));
    }
    if (to.sql_default && (defaults || type_change)) setDefault(c.table, to, to.sql_default);
    if ((c.kinds & diff::kColumnNullability) != 0) {
      if (!to.nullable) backfill();
      setNullable(c.table, to, to.nullable);
    }
  }

  void setComment(const diff::SetComment& c) {
    auto to = diff::normalizedDescription(c.to);
    auto from = diff::normalizedDescription(c.from);
    switch (c.kind) {
      case diff::ObjectKind::Table: {
        Call call(to ? "op.create_table_comment" : "op.drop_table_comment");
        call.arg(name(c.table));
        if (to) call.arg(literal(*to));
        call.kw("existing_comment", from ? str(*from) : atom("None"));
        emit(call.kw("schema", schemaArg()));
        return;
      }
      case diff::ObjectKind::Column:
        emit(Call("op.alter_column")
                 .arg(name(c.table))
                 .arg(name(c.object))
                 .kw("comment", to ? literal(*to) : atom("None"))
                 .kw("existing_comment", from ? str(*from) : atom("None"))
                 .kw("schema", schemaArg()));
        return;
      case diff::ObjectKind::Schema:
      case diff::ObjectKind::Constraint:
      case diff::ObjectKind::Index:
      case diff::ObjectKind::View:
      case diff::ObjectKind::MaterializedView: ok_ = false; return;  // no Alembic operation
    }
  }

  void addConstraint(const std::string& table, const model::Constraint& c) {
    switch (c.kind) {
      case model::ConstraintKind::Unique: {
        Call call("op.create_unique_constraint");
        call.arg(name(c.name)).arg(name(table)).arg(names(c.columns)).kw("schema", schemaArg());
        deferrability(call, c);
        emit(call);
        break;
      }
      case model::ConstraintKind::Check:
        emit(Call("op.create_check_constraint")
                 .arg(name(c.name))
                 .arg(name(table))
                 .arg(sqlString(c.expression))
                 .kw("schema", schemaArg()));
        break;
      case model::ConstraintKind::ForeignKey: {
        Call call("op.create_foreign_key");
        call.arg(name(c.name))
            .arg(name(table))
            .arg(name(c.ref_table))
            .arg(names(c.columns))
            .arg(names(c.ref_columns));
        if (c.on_update != model::FkAction::NoAction)
          call.kw("onupdate", str(model::fkActionSql(c.on_update)));
        if (c.on_delete != model::FkAction::NoAction)
          call.kw("ondelete", str(model::fkActionSql(c.on_delete)));
        deferrability(call, c);
        call.kw("source_schema", schemaArg());
        call.kw("referent_schema", c.ref_schema.empty() ? schemaArg() : name(c.ref_schema));
        emit(call);
        break;
      }
    }
    if (auto description = diff::normalizedDescription(c.description))
      commentOn("CONSTRAINT " + q(c.name) + " ON " + qualified(table), description);
  }

  void dropConstraint(const std::string& table, const model::Constraint& c) {
    std::string kind = c.kind == model::ConstraintKind::Unique       ? "unique"
                       : c.kind == model::ConstraintKind::ForeignKey ? "foreignkey"
                                                                     : "check";
    emit(Call("op.drop_constraint")
             .arg(name(c.name))
             .arg(name(table))
             .kw("type_", str(kind))
             .kw("schema", schemaArg()));
  }

  void addIndex(const std::string& table, const model::Index& index, bool with_comment = true) {
    Py elements{Py::Kind::List, "", {}};
    for (const auto& element : index.elements)
      elements.args.push_back(
          {std::string(), element.is_expression ? text("(" + element.text + ")") : name(element.text)});
    Call call("op.create_index");
    call.arg(name(index.name)).arg(name(table)).arg(elements);
    if (index.unique) call.kw("unique", atom("True"));
    call.kw("schema", schemaArg());
    if (!index.method.empty() && index.method != "btree") call.kw("postgresql_using", str(index.method));
    if (!index.predicate.empty()) call.kw("postgresql_where", text(index.predicate));
    emit(call);
    if (with_comment)
      if (auto description = diff::normalizedDescription(index.description))
        commentOn("INDEX " + qualified(index.name), description);
  }

  const std::string& schema_;
  const diff::Step& step_;
  std::vector<Line> lines_;
  Needs needs_;
  bool ok_ = true;
};

/// The step's own SQL, statement by statement, with the backfill markers.
std::vector<Line> rawLines(const diff::Step& step) {
  std::vector<Line> lines;
  for (std::size_t i = 0; i < step.sql.size(); ++i) {
    if (step.backfill && step.backfill->statement == i)
      lines.push_back(backfillLine(step, i));
    else
      lines.push_back({{}, execute(step.sql[i]), 1, {}});
  }
  return lines;
}

/// The step's lines: op.* calls when the step is its change's whole, ordinary
/// form and SQLAlchemy writes exactly its SQL; else op.execute() of its SQL.
/// A step of an online form (a concurrent index build, NOT VALID, VALIDATE,
/// USING INDEX: it has a note) never maps to its change's op.*, which would
/// create the whole object again (issue 11: the unique constraint twice).
std::vector<Line> stepLines(const diff::Step& step, const std::string& schema, Needs& needs) {
  if (!step.note.empty()) return rawLines(step);
  OpWriter writer(schema, step);
  std::optional<std::vector<Line>> lines = writer.write();
  if (!lines) return rawLines(step);
  needs.merge(writer.needs());
  return std::move(*lines);
}

/// The body of upgrade() or downgrade(). A step PostgreSQL refuses inside a
/// transaction block (CREATE/DROP INDEX CONCURRENTLY) runs inside Alembic's
/// autocommit_block(), which commits what ran before it and begins a new
/// transaction after it; a step that must start a new transaction (VALIDATE
/// after NOT VALID) gets an empty autocommit_block() for the commit. The
/// preamble (SET LOCAL lock_timeout) is run again in each new transaction.
std::string functionBody(const std::vector<diff::Step>& steps, const std::string& schema,
                         const std::vector<std::string>& preamble, Needs& needs) {
  const std::string indent(kIndentStep, ' ');
  const std::string inner(2 * kIndentStep, ' ');
  constexpr std::string_view kAutocommit = "with op.get_context().autocommit_block():";
  std::string out;
  auto run_preamble = [&] {
    for (const std::string& statement : preamble)
      out += indent + layout(execute(statement), indent.size(), indent.size(), 0) + "\n";
  };
  run_preamble();
  bool fresh = true;            // no statement of a step ran in the current transaction yet
  bool needs_preamble = false;  // a commit ended the transaction the preamble set up
  for (const diff::Step& step : steps) {
    std::vector<Line> lines = stepLines(step, schema, needs);
    if (!out.empty()) out += "\n";
    out += indent + "# " + commentText(diff::describe(step.change)) + "\n";
    if (!step.note.empty()) out += indent + "# " + commentText(step.note) + "\n";
    for (const diff::Hazard& hazard : step.hazards)
      out += indent + "# hazard " + std::string(diff::hazardName(hazard.kind)) + ": " +
             commentText(hazard.message) + "\n";
    const bool outside = !step.transactional;
    if (outside) {
      out += indent + std::string(kAutocommit) + "\n";
    } else {
      if (step.new_transaction && !fresh) {
        out +=
            indent + std::string(kAutocommit) + "\n" + inner + "pass  # commits: a new transaction begins\n";
        needs_preamble = true;
      }
      if (needs_preamble) run_preamble();
      needs_preamble = false;
    }
    const std::string& at = outside ? inner : indent;
    for (const Line& line : lines) {
      for (const auto& comment : line.comments) out += at + comment + "\n";
      out += at + layout(line.call, at.size(), at.size(), 0) + "\n";
      for (const auto& comment : line.after) out += at + comment + "\n";
    }
    fresh = outside;
    needs_preamble = needs_preamble || outside;
  }
  return out.empty() ? indent + "pass\n" : out;
}

std::string counted(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string planSummary(const diff::Plan& plan, diff::Direction direction) {
  auto loss = plan.dataLossSteps(direction);
  auto missing = plan.missingBackfills(direction);
  return counted(plan.steps(direction).size(), "step") +
         "; data loss: " + (loss.empty() ? "none" : counted(loss.size(), "step")) +
         "; missing backfills: " + (missing.empty() ? "none" : std::to_string(missing.size()));
}

constexpr std::string_view kPgTypeClass = R"(

class PgType(sa.types.UserDefinedType):
    """A PostgreSQL type SQLAlchemy has no class for, written as PostgreSQL spells it."""

    cache_ok = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **kw) -> str:
        return self.spec
)";

std::string docstringLine(std::string_view text) { return pythonEscaped(text, Context::Docstring); }

}  // namespace

std::string pythonString(std::string_view text) {
  // Appended, not `"\"" + string`: GCC 12 at -O3 wrongly reports that as an
  // overlapping memcpy (-Wrestrict, bug 105329).
  std::string out;
  out += '"';
  out += pythonEscaped(text, Context::String);
  out += '"';
  return out;
}

bool sqlTextSafe(std::string_view sql) {
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != ':') continue;
    const auto prev = i > 0 ? static_cast<unsigned char>(sql[i - 1]) : 0U;
    const auto next = i + 1 < sql.size() ? static_cast<unsigned char>(sql[i + 1]) : 0U;
    // `\:` is an escaped colon to text(), which drops the backslash.
    if (prev == '\\' && next != ':') return false;
    // `:name` after a character that is not part of a word is a bind parameter.
    const bool after_word = prev == ':' || asciiWord(prev);
    if (!after_word && (asciiWord(next) || next >= 0x80)) return false;
  }
  return true;
}

std::string alembicSlug(std::string_view message) {
  std::string slug;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    slug += (slug.empty() ? "" : "_") + word;
    word.clear();
  };
  for (char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && (std::isalnum(u) != 0 || c == '_'))
      word.push_back(static_cast<char>(std::tolower(u)));
    else
      flush();
  }
  flush();
  constexpr std::size_t kTruncateSlugLength = 40;
  if (slug.size() > kTruncateSlugLength) {
    slug.resize(kTruncateSlugLength);
    auto last = slug.rfind('_');
    if (last != std::string::npos) slug.resize(last);
    slug += "_";
  }
  return slug;
}

std::string formatCreateDate(std::int64_t epoch_seconds, int microseconds) {
  std::time_t seconds = static_cast<std::time_t>(epoch_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  std::string out = buffer;
  if (microseconds > 0) {
    std::snprintf(buffer, sizeof buffer, ".%06d", microseconds);
    out += buffer;
  }
  return out + "+00:00";
}

std::optional<std::string> parseCreateDate(std::string_view text) {
  // YYYY-MM-DD HH:MM:SS
  if (text.size() < 19) return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    auto value = number(text.substr(at, count));
    if (!value || text.substr(at, count).size() != count) return std::nullopt;
    return static_cast<int>(*value);
  };
  if (text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  auto year = digits(0, 4);
  auto month = digits(5, 2);
  auto day = digits(8, 2);
  auto hour = digits(11, 2);
  auto minute = digits(14, 2);
  auto second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  std::string_view rest = text.substr(19);
  int micro = 0;
  if (rest.starts_with(".")) {
    std::size_t n = 1;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n])) != 0) ++n;
    if (n == 1 || n > 7) return std::nullopt;
    std::string fraction(rest.substr(1, n - 1));
    fraction.resize(6, '0');
    micro = static_cast<int>(*number(fraction));
    rest = rest.substr(n);
  }
  if (!rest.empty() && rest != "Z" && rest != "+00:00") return std::nullopt;
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*month < 1 || *month > 12 || *day < 1 || *day > kDays[static_cast<std::size_t>(*month - 1)] ||
      *hour > 23 || *minute > 59 || *second > 59)
    return std::nullopt;
  bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*month == 2 && *day == 29 && !leap) return std::nullopt;
  std::tm utc{};
  utc.tm_year = *year - 1900;
  utc.tm_mon = *month - 1;
  utc.tm_mday = *day;
  utc.tm_hour = *hour;
  utc.tm_min = *minute;
  utc.tm_sec = *second;
  return formatCreateDate(static_cast<std::int64_t>(timegm(&utc)), micro);
}

std::string alembicRevisionId(std::string_view schema, const std::optional<std::string>& down_revision,
                              std::string_view upgrade_body, std::string_view downgrade_body) {
  std::string content = "felisc alembic revision\nschema: " + std::string(schema) +
                        "\ndown_revision: " + down_revision.value_or("None") + "\nupgrade:\n" +
                        std::string(upgrade_body) + "\ndowngrade:\n" + std::string(downgrade_body);
  return emit::sha256Hex(content).substr(0, 12);
}

std::string defaultRevisionMessage(const model::Schema& old_schema, const model::Schema& new_schema,
                                   bool old_schema_absent) {
  const std::string old_version = old_schema.version ? old_schema.version->current : "";
  const std::string new_version = new_schema.version ? new_schema.version->current : "";
  if (old_schema_absent || old_schema.tables.empty())
    return "create " + new_schema.name + (new_version.empty() ? "" : " " + new_version);
  if (!old_version.empty() && !new_version.empty() && old_version != new_version)
    return new_schema.name + " " + old_version + " -> " + new_version;
  return "update " + new_schema.name;
}

AlembicRevision alembicRevision(const diff::Plan& plan, const AlembicOptions& options) {
  Needs needs;
  const std::string upgrade = functionBody(plan.up, plan.schema, options.preamble, needs);
  const std::string downgrade = functionBody(plan.down, plan.schema, options.preamble, needs);
  AlembicRevision out;
  out.revision = options.revision_id.empty()
                     ? alembicRevisionId(plan.schema, options.down_revision, upgrade, downgrade)
                     : options.revision_id;
  const std::string message = options.message.empty() ? "update " + plan.schema : options.message;
  std::string slug = alembicSlug(message);
  out.file_name = out.revision + (slug.empty() ? "" : "_" + slug) + ".py";

  std::string& text = out.text;
  text += "\"\"\"" + pythonEscaped(message, Context::Docstring) + "\n\n";
  text += "Revision ID: " + docstringLine(out.revision) + "\n";
  text += "Revises: " + docstringLine(options.down_revision.value_or("")) + "\n";
  text += "Create Date: " + docstringLine(options.create_date) + "\n\n\"\"\"\n\n";
  text += "from typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n";
  if (needs.postgresql) text += "from sqlalchemy.dialects import postgresql\n";
  text += "\n# revision identifiers, used by Alembic.\n";
  text += "revision: str = " + pythonString(out.revision) + "\n";
  text += "down_revision: Union[str, None] = " +
          (options.down_revision ? pythonString(*options.down_revision) : std::string("None")) + "\n";
  text += "branch_labels: Union[str, Sequence[str], None] = None\n";
  text += "depends_on: Union[str, Sequence[str], None] = None\n\n";
  text += "# Written by felisc: schema " + commentText(plan.schema);
  if (!plan.old_label.empty() || !plan.new_label.empty())
    text += ", " + commentText(plan.old_label) + " -> " + commentText(plan.new_label);
  text += "\n";
  for (const std::string& line : options.header) text += "# " + commentText(line) + "\n";
  text += "# upgrade: " + planSummary(plan, diff::Direction::Up) + "\n";
  text += "# downgrade: " + planSummary(plan, diff::Direction::Down) + "\n";
  if (needs.pg_type) text += kPgTypeClass;
  text += "\n\ndef upgrade() -> None:\n" + upgrade;
  text += "\n\ndef downgrade() -> None:\n" + downgrade;
  return out;
}

}  // namespace felisc::alembic
