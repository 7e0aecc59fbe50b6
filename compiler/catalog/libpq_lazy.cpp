/// \file
/// libpq, loaded when the first connection is opened instead of when felisc starts.
///
/// Linking libpq makes every felisc process load it and its dependency tree
/// (OpenSSL, Kerberos, LDAP, GnuTLS: 17 shared libraries) and resolve their
/// symbols, even `felisc --version` and `felisc validate`, which never talk to a
/// database; that was most of felisc's start-up time. The felisc executable links
/// this file instead of libpq: it defines the libpq functions that connection.cpp
/// calls, each forwarding to the real one, looked up with dlopen/dlsym on first
/// use. The test executables link libpq itself (they call it directly too).
///
/// When libpq cannot be loaded, opening a connection fails like a failed
/// connection does: PQconnectdbParams returns a placeholder connection whose
/// status is CONNECTION_BAD and whose error message says why the library could
/// not be loaded; no caller changes.
#include <dlfcn.h>
#include <libpq-fe.h>

#include <string>

namespace {

/// The soname of libpq (unchanged since PostgreSQL 8.0).
constexpr const char* kLibpqSoname = "libpq.so.5";

#define FELISC_LIBPQ_FUNCTIONS(X) \
  X(PQclear)                      \
  X(PQconnectdbParams)            \
  X(PQconninfoFree)               \
  X(PQconninfoParse)              \
  X(PQdb)                         \
  X(PQerrorMessage)               \
  X(PQexecParams)                 \
  X(PQfinish)                     \
  X(PQfname)                      \
  X(PQfreemem)                    \
  X(PQgetisnull)                  \
  X(PQgetlength)                  \
  X(PQgetvalue)                   \
  X(PQhost)                       \
  X(PQnfields)                    \
  X(PQntuples)                    \
  X(PQpass)                       \
  X(PQport)                       \
  X(PQresultErrorField)           \
  X(PQresultErrorMessage)         \
  X(PQresultStatus)               \
  X(PQserverVersion)              \
  X(PQsetNoticeProcessor)         \
  X(PQstatus)                     \
  X(PQtransactionStatus)          \
  X(PQuser)

/// The real functions, or all null with `error` set when libpq could not be loaded.
struct Libpq {
#define FELISC_LIBPQ_POINTER(name) decltype(&::name) name = nullptr;
  FELISC_LIBPQ_FUNCTIONS(FELISC_LIBPQ_POINTER)
#undef FELISC_LIBPQ_POINTER
  std::string error;
  [[nodiscard]] bool loaded() const { return error.empty(); }
};

Libpq load() {
  Libpq api;
  // RTLD_LOCAL: libpq's symbols stay out of the global scope; RTLD_NOW: a broken
  // installation fails here, with a message, not in the middle of a query.
  void* handle = ::dlopen(kLibpqSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    api.error = std::string("could not load the PostgreSQL client library: ") + (why ? why : kLibpqSoname);
    return api;
  }
  // The handle is never closed: libpq stays loaded until the process ends.
#define FELISC_LIBPQ_LOOKUP(name)                                         \
  api.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name)); \
  if (api.name == nullptr && api.error.empty())                           \
    api.error = std::string("the PostgreSQL client library ") + kLibpqSoname + " lacks " #name;
  FELISC_LIBPQ_FUNCTIONS(FELISC_LIBPQ_LOOKUP)
#undef FELISC_LIBPQ_LOOKUP
  return api;
}

const Libpq& libpq() {
  static const Libpq api = load();  // thread-safe, once
  return api;
}

/// What PQconnectdbParams returns when libpq is missing: never dereferenced,
/// only compared against by the functions below.
char missing_connection_tag;
PGconn* missingConnection() { return reinterpret_cast<PGconn*>(&missing_connection_tag); }
bool isMissing(const PGconn* conn) { return conn == missingConnection(); }

}  // namespace

// The forwarding functions, with libpq-fe.h's exact signatures (the compiler
// checks them against its declarations). Without libpq there is no connection,
// hence no result: the functions on results are then never reached, and return
// libpq's answer for a null argument to be safe.
extern "C" {

PGconn* PQconnectdbParams(const char* const* keywords, const char* const* values, int expand_dbname) {
  const Libpq& api = libpq();
  return api.loaded() ? api.PQconnectdbParams(keywords, values, expand_dbname) : missingConnection();
}

ConnStatusType PQstatus(const PGconn* conn) {
  return isMissing(conn) || !libpq().loaded() ? CONNECTION_BAD : libpq().PQstatus(conn);
}

char* PQerrorMessage(const PGconn* conn) {
  if (isMissing(conn) || !libpq().loaded()) return const_cast<char*>(libpq().error.c_str());
  return libpq().PQerrorMessage(conn);
}

void PQfinish(PGconn* conn) {
  if (!isMissing(conn) && libpq().loaded()) libpq().PQfinish(conn);
}

char* PQpass(const PGconn* conn) { return isMissing(conn) ? nullptr : libpq().PQpass(conn); }
char* PQdb(const PGconn* conn) { return isMissing(conn) ? nullptr : libpq().PQdb(conn); }
char* PQuser(const PGconn* conn) { return isMissing(conn) ? nullptr : libpq().PQuser(conn); }
char* PQhost(const PGconn* conn) { return isMissing(conn) ? nullptr : libpq().PQhost(conn); }
char* PQport(const PGconn* conn) { return isMissing(conn) ? nullptr : libpq().PQport(conn); }
int PQserverVersion(const PGconn* conn) { return isMissing(conn) ? 0 : libpq().PQserverVersion(conn); }

PGTransactionStatusType PQtransactionStatus(const PGconn* conn) {
  return isMissing(conn) ? PQTRANS_UNKNOWN : libpq().PQtransactionStatus(conn);
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn* conn, PQnoticeProcessor proc, void* arg) {
  return isMissing(conn) ? nullptr : libpq().PQsetNoticeProcessor(conn, proc, arg);
}

PGresult* PQexecParams(PGconn* conn, const char* command, int nParams, const Oid* paramTypes,
                       const char* const* paramValues, const int* paramLengths, const int* paramFormats,
                       int resultFormat) {
  if (isMissing(conn)) return nullptr;
  return libpq().PQexecParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
                              resultFormat);
}

PQconninfoOption* PQconninfoParse(const char* conninfo, char** errmsg) {
  if (!libpq().loaded()) {
    if (errmsg != nullptr) *errmsg = nullptr;
    return nullptr;
  }
  return libpq().PQconninfoParse(conninfo, errmsg);
}

void PQconninfoFree(PQconninfoOption* connOptions) {
  if (connOptions != nullptr) libpq().PQconninfoFree(connOptions);
}

void PQfreemem(void* ptr) {
  if (ptr != nullptr) libpq().PQfreemem(ptr);
}

void PQclear(PGresult* res) {
  if (res != nullptr) libpq().PQclear(res);
}

ExecStatusType PQresultStatus(const PGresult* res) {
  return res == nullptr ? PGRES_FATAL_ERROR : libpq().PQresultStatus(res);
}

char* PQresultErrorMessage(const PGresult* res) {
  return res == nullptr ? const_cast<char*>("") : libpq().PQresultErrorMessage(res);
}

char* PQresultErrorField(const PGresult* res, int fieldcode) {
  return res == nullptr ? nullptr : libpq().PQresultErrorField(res, fieldcode);
}

int PQntuples(const PGresult* res) { return res == nullptr ? 0 : libpq().PQntuples(res); }
int PQnfields(const PGresult* res) { return res == nullptr ? 0 : libpq().PQnfields(res); }

char* PQfname(const PGresult* res, int field_num) {
  return res == nullptr ? nullptr : libpq().PQfname(res, field_num);
}

char* PQgetvalue(const PGresult* res, int tup_num, int field_num) {
  return res == nullptr ? nullptr : libpq().PQgetvalue(res, tup_num, field_num);
}

int PQgetlength(const PGresult* res, int tup_num, int field_num) {
  return res == nullptr ? 0 : libpq().PQgetlength(res, tup_num, field_num);
}

int PQgetisnull(const PGresult* res, int tup_num, int field_num) {
  return res == nullptr ? 1 : libpq().PQgetisnull(res, tup_num, field_num);
}

}  // extern "C"
