#include "compiler/catalog/connection.h"

#include "compiler/catalog/conninfo.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>

namespace felisc::catalog {

namespace {

constexpr std::string_view kMask = "********";

/// libpq messages end with a newline and may hold several lines; keep the lines,
/// drop the trailing whitespace.
std::string trimMessage(std::string_view message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ' || message.back() == '\r'))
    message.remove_suffix(1);
  return std::string(message);
}

/// An error without a server result (connection failures): the message alone.
Error errorWithMessage(std::string message) {
  Error error;
  error.message = std::move(message);
  return error;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decodes a URI component; malformed escapes are kept as written.
std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hexValue(text[i + 1]);
      int low = hexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

void addSecret(std::vector<std::string>& secrets, std::string value) {
  if (value.empty()) return;
  if (std::find(secrets.begin(), secrets.end(), value) == secrets.end()) secrets.push_back(std::move(value));
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// `password = value` pairs of a key/value conninfo, found by scanning rather than
/// parsing, so that a string libpq rejects is still scrubbed.
void addKeywordSecrets(std::string_view conninfo, std::vector<std::string>& secrets) {
  constexpr std::string_view kKey = "password";
  for (std::size_t at = conninfo.find(kKey); at != std::string_view::npos; at = conninfo.find(kKey, at + 1)) {
    std::size_t i = at + kKey.size();
    while (i < conninfo.size() && isSpace(conninfo[i])) ++i;
    if (i >= conninfo.size() || conninfo[i] != '=') continue;
    ++i;
    while (i < conninfo.size() && isSpace(conninfo[i])) ++i;
    std::string raw;
    std::string value;
    if (i < conninfo.size() && conninfo[i] == '\'') {
      std::size_t start = ++i;
      while (i < conninfo.size() && conninfo[i] != '\'') {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size()) ++i;
        value += conninfo[i++];
      }
      raw = std::string(conninfo.substr(start, i - start));
    } else {
      std::size_t start = i;
      while (i < conninfo.size() && !isSpace(conninfo[i])) {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size()) ++i;
        value += conninfo[i++];
      }
      raw = std::string(conninfo.substr(start, i - start));
    }
    addSecret(secrets, raw);
    addSecret(secrets, value);
    // A URI query parameter ends at '&'.
    addSecret(secrets, std::string(std::string_view(raw).substr(0, raw.find('&'))));
    addSecret(secrets, percentDecode(std::string_view(raw).substr(0, raw.find('&'))));
  }
}

/// The password of a URI's user info (`postgresql://user:secret@host`).
void addUriSecrets(std::string_view conninfo, std::vector<std::string>& secrets) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (conninfo.substr(0, scheme.size()) != scheme) continue;
    std::string_view rest = conninfo.substr(scheme.size());
    std::size_t end = rest.find_first_of("@/");
    if (end == std::string_view::npos || rest[end] != '@') return;
    std::string_view user_info = rest.substr(0, end);
    std::size_t colon = user_info.find(':');
    if (colon == std::string_view::npos) return;
    std::string_view password = user_info.substr(colon + 1);
    addSecret(secrets, std::string(password));
    addSecret(secrets, percentDecode(password));
    return;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Result

void Result::Free::operator()(pg_result* result) const { PQclear(result); }

Result::Result(pg_result* result) : result_(result) {
  rows_ = PQntuples(result);
  columns_ = PQnfields(result);
}

std::string_view Result::get(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  return std::string_view(value, static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

bool Result::isNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }

int Result::columnIndex(std::string_view name) const {
  for (int i = 0; i < columns_; ++i)
    if (name == PQfname(result_.get(), i)) return i;
  return -1;
}

// ---------------------------------------------------------------------------
// Connection

void Connection::Close::operator()(pg_conn* connection) const { PQfinish(connection); }

Connection::Connection(pg_conn* connection, std::vector<std::string> secrets)
    : connection_(connection), secrets_(std::move(secrets)) {
  PQsetNoticeProcessor(
      connection_.get(),
      [](void* sink, const char* message) {
        static_cast<std::vector<std::string>*>(sink)->push_back(trimMessage(message));
      },
      notices_.get());
}

std::vector<std::string> Connection::takeNotices() {
  std::vector<std::string> out;
  out.swap(*notices_);
  for (std::string& notice : out) notice = scrub(notice);
  return out;
}

std::string libpqConninfo(std::string_view conninfo) {
  // No conninfo: felis's FELIS_ENGINE_URL, then ConsDB's CONSDB_URL, then libpq's
  // own PG* environment (as psql).
  if (conninfo.empty())
    for (const char* variable : {"FELIS_ENGINE_URL", "CONSDB_URL"})
      if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') {
        conninfo = value;
        break;
      }
  for (std::string_view scheme : {"postgresql+", "postgres+"}) {
    if (!conninfo.starts_with(scheme)) continue;
    std::size_t end = conninfo.find("://");
    if (end == std::string_view::npos) break;
    return std::string(scheme.substr(0, scheme.size() - 1)) + std::string(conninfo.substr(end));
  }
  return std::string(conninfo);
}

std::optional<Connection> Connection::open(std::string_view conninfo, Error& error) {
  // Secrets are parsed as libpq reads the conninfo, so an SQLAlchemy URL's password is one too.
  std::string dbname = libpqConninfo(conninfo);
  std::vector<std::string> secrets = secretsOf(dbname);
  // expand_dbname=1 reads the first dbname as a conninfo string or URI; the
  // parameters after it override it, so the client encoding is always UTF-8.
  const char* keywords[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
  const char* values[] = {dbname.c_str(), "UTF8", "felisc", nullptr};
  pg_conn* raw = PQconnectdbParams(keywords, values, 1);
  if (raw == nullptr) {
    error = errorWithMessage("out of memory while connecting");
    return std::nullopt;
  }
  if (const char* used = PQpass(raw); used != nullptr) addSecret(secrets, used);
  if (PQstatus(raw) != CONNECTION_OK) {
    error = errorWithMessage(scrubSecrets(trimMessage(PQerrorMessage(raw)), secrets));
    PQfinish(raw);
    return std::nullopt;
  }
  return Connection(raw, std::move(secrets));
}

std::optional<Result> Connection::exec(std::string_view sql, std::span<const std::string> params,
                                       Error& error) {
  ++query_count_;
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) values.push_back(param.c_str());
  pg_result* raw = PQexecParams(connection_.get(), text.c_str(), static_cast<int>(params.size()), nullptr,
                                values.data(), nullptr, nullptr, 0);
  if (raw == nullptr) {
    error = errorWithMessage(scrub(trimMessage(PQerrorMessage(connection_.get()))));
    return std::nullopt;
  }
  Result result(raw);
  ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    auto field = [&](int code) {
      const char* value = PQresultErrorField(raw, code);
      return value != nullptr ? std::string(value) : std::string();
    };
    std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty()) message = trimMessage(PQresultErrorMessage(raw));
    std::string position = field(PG_DIAG_STATEMENT_POSITION);
    error = errorWithMessage(scrub(message));
    error.sqlstate = field(PG_DIAG_SQLSTATE);
    error.detail = scrub(field(PG_DIAG_MESSAGE_DETAIL));
    error.hint = scrub(field(PG_DIAG_MESSAGE_HINT));
    error.position = position.empty() ? 0 : std::atoi(position.c_str());
    return std::nullopt;
  }
  return result;
}

std::string Connection::databaseName() const {
  const char* name = PQdb(connection_.get());
  return name != nullptr ? name : "";
}

std::string Connection::userName() const {
  const char* name = PQuser(connection_.get());
  return name != nullptr ? name : "";
}

std::string Connection::serverDescription() const {
  const char* host = PQhost(connection_.get());
  const char* port = PQport(connection_.get());
  std::string out = host != nullptr ? host : "";
  // Appended, not `":" + std::string(port)` (GCC 12 -O3 -Wrestrict, bug 105329).
  if (port != nullptr && *port != '\0') {
    out += ':';
    out += port;
  }
  return scrub(out);
}

int Connection::serverVersion() const { return PQserverVersion(connection_.get()); }

bool Connection::inTransaction() const { return PQtransactionStatus(connection_.get()) != PQTRANS_IDLE; }

std::string Connection::scrub(std::string_view text) const { return scrubSecrets(text, secrets_); }

// ---------------------------------------------------------------------------
// Free functions

std::vector<std::string> secretsOf(std::string_view conninfo) {
  std::vector<std::string> secrets;
  std::string text(conninfo);
  char* parse_error = nullptr;
  if (PQconninfoOption* options = PQconninfoParse(text.c_str(), &parse_error); options != nullptr) {
    for (PQconninfoOption* option = options; option->keyword != nullptr; ++option)
      if (option->val != nullptr && std::string_view(option->keyword) == "password")
        addSecret(secrets, option->val);
    PQconninfoFree(options);
  }
  if (parse_error != nullptr) PQfreemem(parse_error);
  addKeywordSecrets(conninfo, secrets);
  addUriSecrets(conninfo, secrets);
  if (const char* env = std::getenv("PGPASSWORD"); env != nullptr) addSecret(secrets, env);
  return secrets;
}

std::string scrubSecrets(std::string_view text, std::span<const std::string> secrets) {
  std::vector<std::string_view> ordered(secrets.begin(), secrets.end());
  std::sort(ordered.begin(), ordered.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  std::string out(text);
  for (std::string_view secret : ordered) {
    if (secret.empty()) continue;
    for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kMask.size()))
      out.replace(at, secret.size(), kMask);
  }
  return out;
}

std::string textArrayLiteral(std::span<const std::string> items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::optional<std::vector<std::string>> parseTextArray(std::string_view text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<std::string> items;
  std::string_view body = text.substr(1, text.size() - 2);
  if (body.empty()) return items;
  std::size_t i = 0;
  while (true) {
    std::string item;
    if (i < body.size() && body[i] == '"') {
      ++i;
      while (i < body.size() && body[i] != '"') {
        if (body[i] == '\\' && i + 1 < body.size()) ++i;
        item += body[i++];
      }
      if (i >= body.size()) return std::nullopt;
      ++i;  // closing quote
    } else {
      std::size_t start = i;
      while (i < body.size() && body[i] != ',') ++i;
      item = std::string(body.substr(start, i - start));
      if (item == "NULL") item.clear();
    }
    items.push_back(std::move(item));
    if (i == body.size()) break;
    if (body[i] != ',') return std::nullopt;
    ++i;
  }
  return items;
}

}  // namespace felisc::catalog
