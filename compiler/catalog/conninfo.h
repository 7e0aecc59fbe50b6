/// \file
/// What felisc accepts where libpq takes a conninfo.
#pragma once

#include <string>
#include <string_view>

namespace felisc::catalog {

/// `conninfo` as libpq takes it: an SQLAlchemy URL (`postgresql+psycopg2://...`,
/// as felis's --engine-url and ConsDB's CONSDB_URL give it) loses its `+driver`;
/// an empty one is $FELIS_ENGINE_URL, else $CONSDB_URL, else stays empty (libpq
/// then reads the PG* environment, as psql); anything else comes back unchanged.
/// Connection::open() applies it.
std::string libpqConninfo(std::string_view conninfo);

}  // namespace felisc::catalog
