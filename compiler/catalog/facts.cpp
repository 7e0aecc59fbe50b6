#include "compiler/catalog/facts.h"

#include <algorithm>
#include <array>
#include <set>

#include "compiler/catalog/queries.h"
#include "schema_model/type_mapping.h"

namespace felisc::catalog {

namespace {

using model::DiagId;
using model::Difference;

/// Every fact of one schema ($1) in one statement: rows of (object, part, what,
/// value), part NULL for a fact of the object itself, value NULL for "no fact".
/// `rel` is the schema's relations but an extension's; everything else hangs
/// off it, so an extension's objects are left out with their relations.
constexpr std::string_view kFacts = R"sql(
WITH rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relowner, c.relacl, c.reloptions, c.relrowsecurity,
         c.relforcerowsecurity,
         CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'table ' WHEN c.relkind IN ('v', 'm') THEN 'view '
              ELSE 'sequence ' END || c.relname AS object
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1
    AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
),
acl AS (
  SELECT r.oid, NULL::text AS column_name,
         CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(g.grantee) END AS grantee,
         g.privilege_type, g.is_grantable
  FROM rel r CROSS JOIN LATERAL pg_catalog.aclexplode(r.relacl) AS g
  WHERE r.relacl IS NOT NULL AND g.grantee <> r.relowner
  UNION ALL
  SELECT r.oid, a.attname::text,
         CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(g.grantee) END,
         g.privilege_type, g.is_grantable
  FROM rel r
  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) AS g
  WHERE a.attacl IS NOT NULL AND g.grantee <> r.relowner
)
SELECT r.object, NULL::text AS part, f.what, f.value
FROM rel r
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
CROSS JOIN LATERAL (VALUES
  ('', CASE r.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table'
                      WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'sequence' END),
  ('owner', pg_catalog.pg_get_userbyid(r.relowner)::text),
  ('options', NULLIF(pg_catalog.array_to_string(ARRAY(SELECT o FROM pg_catalog.unnest(r.reloptions) AS o
                                               ORDER BY o COLLATE "C"), ', '), '')),
  ('description', NULLIF(d.description, '')),
  ('definition', CASE WHEN r.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(r.oid) END),
  ('partition key', CASE WHEN r.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(r.oid) END),
  ('row level security', CASE WHEN r.relforcerowsecurity THEN 'forced' WHEN r.relrowsecurity THEN 'enabled' END),
  ('grants', (SELECT '(' || pg_catalog.string_agg(g.privilege_type
                                  || COALESCE('(' || g.column_name || ')', '') || ' to ' || g.grantee
                                  || CASE WHEN g.is_grantable THEN ' with grant option' ELSE '' END, ', '
                                  ORDER BY COALESCE(g.column_name, '') COLLATE "C", g.grantee COLLATE "C",
                                           g.privilege_type COLLATE "C") || ')'
              FROM acl g WHERE g.oid = r.oid)),
  ('column order', (SELECT pg_catalog.string_agg(a.attname::text, ', ' ORDER BY a.attnum)
                    FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped AND r.relkind <> 'S'))
) AS f(what, value)
UNION ALL
SELECT r.object, 'column ' || a.attname, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = a.attnum
CROSS JOIN LATERAL (VALUES
  ('', 'column'),
  ('type', pg_catalog.format_type(a.atttypid, a.atttypmod)),
  ('collation', CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END),
  ('nullable', CASE WHEN r.relkind IN ('v', 'm') THEN NULL WHEN a.attnotnull THEN 'false' ELSE 'true' END),
  ('default', CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END),
  ('generated', CASE WHEN a.attgenerated = 's'
                     THEN 'always as (' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') stored' END),
  ('identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END),
  ('statistics', CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::text END),
  ('storage', CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END),
  ('compression', NULLIF(a.attcompression::text, '')),
  ('description', NULLIF(d.description, ''))
) AS f(what, value)
WHERE r.relkind <> 'S'
UNION ALL
SELECT r.object, 'constraint ' || k.conname, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_constraint k ON k.conrelid = r.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = k.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
CROSS JOIN LATERAL (VALUES
  ('', CASE k.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
                      WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' ELSE 'trigger' END),
  ('definition', pg_catalog.pg_get_constraintdef(k.oid)),
  ('description', NULLIF(d.description, ''))
) AS f(what, value)
UNION ALL
SELECT r.object, 'index ' || ic.relname, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
CROSS JOIN LATERAL (VALUES
  ('', 'index'),
  ('definition', pg_catalog.pg_get_indexdef(i.indexrelid)),
  ('valid', CASE WHEN NOT i.indisvalid THEN 'false' END),
  ('clustered', CASE WHEN i.indisclustered THEN 'true' END),
  ('description', NULLIF(d.description, ''))
) AS f(what, value)
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x
                  WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid AND x.contype IN ('p', 'u', 'x'))
UNION ALL
SELECT r.object, NULL, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_sequence s ON s.seqrelid = r.oid
CROSS JOIN LATERAL (VALUES
  ('options', pg_catalog.format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' increment '
              || s.seqincrement || ' minvalue ' || s.seqmin || ' maxvalue ' || s.seqmax || ' cache '
              || s.seqcache || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END),
  ('owned by', (SELECT oc.relname || '.' || oa.attname
                       || CASE WHEN dep.deptype = 'i' THEN ' (identity)' ELSE '' END
                FROM pg_catalog.pg_depend dep
                JOIN pg_catalog.pg_class oc ON oc.oid = dep.refobjid
                JOIN pg_catalog.pg_attribute oa ON oa.attrelid = dep.refobjid AND oa.attnum = dep.refobjsubid
                WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = r.oid
                  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjsubid > 0
                  AND dep.deptype IN ('a', 'i')
                LIMIT 1))
) AS f(what, value)
UNION ALL
SELECT r.object, 'trigger ' || tg.tgname, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = r.oid AND NOT tg.tgisinternal
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = tg.oid AND d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objsubid = 0
CROSS JOIN LATERAL (VALUES
  ('', 'trigger'),
  ('definition', pg_catalog.pg_get_triggerdef(tg.oid)),
  ('enabled', CASE WHEN tg.tgenabled <> 'O' THEN tg.tgenabled::text END),
  ('description', NULLIF(d.description, ''))
) AS f(what, value)
UNION ALL
SELECT r.object, 'rule ' || rw.rulename, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = r.oid AND rw.rulename <> '_RETURN'
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = rw.oid AND d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objsubid = 0
CROSS JOIN LATERAL (VALUES
  ('', 'rule'),
  ('definition', pg_catalog.pg_get_ruledef(rw.oid)),
  ('enabled', CASE WHEN rw.ev_enabled <> 'O' THEN rw.ev_enabled::text END),
  ('description', NULLIF(d.description, ''))
) AS f(what, value)
UNION ALL
SELECT r.object, 'policy ' || p.polname, f.what, f.value
FROM rel r
JOIN pg_catalog.pg_policy p ON p.polrelid = r.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objsubid = 0
CROSS JOIN LATERAL (VALUES
  ('', 'policy'),
  ('definition',
   CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END
   || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                               WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
   || ' TO ' || (SELECT pg_catalog.string_agg(x.role, ', ' ORDER BY x.role COLLATE "C")
                 FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(o)::text END AS role
                       FROM pg_catalog.unnest(p.polroles) AS o) AS x)
   || COALESCE(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
   || COALESCE(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')),
  ('description', NULLIF(d.description, ''))
) AS f(what, value)
)sql";

bool isIdentifierByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c == '"' || static_cast<unsigned char>(c) >= 0x80;
}

bool startsWith(const std::vector<std::string>& path, const std::vector<std::string>& prefix) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    std::size_t end = text.find(", ", start);
    if (end == std::string::npos) end = text.size();
    items.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return items;
}

std::string parenthesized(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return "(" + out + ")";
}

/// Column order over the columns both lists hold.
std::optional<Difference> columnOrder(const FactKey& key, const std::string& expected,
                                      const std::string& actual) {
  std::vector<std::string> a = splitList(expected);
  std::vector<std::string> b = splitList(actual);
  std::set<std::string> in_a(a.begin(), a.end());
  std::set<std::string> in_b(b.begin(), b.end());
  std::erase_if(a, [&](const std::string& name) { return !in_b.contains(name); });
  std::erase_if(b, [&](const std::string& name) { return !in_a.contains(name); });
  if (a == b) return std::nullopt;
  return Difference{key.path, key.what, parenthesized(a), parenthesized(b)};
}

}  // namespace

std::vector<std::string> Facts::tables() const {
  std::vector<std::string> names;
  for (const auto& [key, value] : values)
    if (key.path.size() == 1 && key.what.empty() && key.path[0].starts_with("table "))
      names.push_back(key.path[0].substr(6));
  return names;
}

std::vector<std::pair<std::string, std::string>> Facts::columns(const std::string& table) const {
  std::vector<std::pair<std::string, std::string>> out;
  auto order = values.find(FactKey{{"table " + table}, "column order"});
  if (order == values.end()) return out;
  for (const std::string& name : splitList(order->second)) {
    auto type = values.find(FactKey{{"table " + table, "column " + name}, "type"});
    out.emplace_back(name, type == values.end() ? "" : type->second);
  }
  return out;
}

std::size_t queriesPerFactsRead() { return 4; }

std::optional<Facts> readFacts(Connection& connection, const std::string& schema,
                               model::Diagnostics& diagnostics, ReadTransaction transaction) {
  const bool own = transaction == ReadTransaction::Own;
  Error error;
  auto fail = [&](const char* what) -> std::optional<Facts> {
    diagnostics.report(DiagId::err_database, "", {}, {std::string(what) + ": " + error.message});
    Error ignored;
    connection.exec(own ? sql::kRollback : sql::kRollbackToSavepoint, ignored);
    return std::nullopt;
  };
  if (!connection.exec(own ? sql::kBeginSnapshot : sql::kSavepoint, error)) {
    diagnostics.report(DiagId::err_database, "", {}, {"cannot read the catalog facts: " + error.message});
    return std::nullopt;
  }
  // The reader's search path: objects of the schema come out qualified, so
  // that withoutQualifier() can set the schema's name aside on both sides.
  if (!connection.exec(sql::kSetSearchPath, error)) return fail("cannot set the search path");
  std::array<std::string, 1> params = {schema};
  auto rows = connection.exec(kFacts, params, error);
  if (!rows) return fail("cannot read the catalog facts");
  Facts facts;
  for (int row = 0; row < rows->rows(); ++row) {
    if (rows->isNull(row, 3)) continue;
    FactKey key;
    key.path.emplace_back(rows->get(row, 0));
    if (!rows->isNull(row, 1)) key.path.emplace_back(rows->get(row, 1));
    key.what = std::string(rows->get(row, 2));
    facts.values[std::move(key)] = std::string(rows->get(row, 3));
  }
  if (!connection.exec(own ? sql::kCommit : sql::kRollbackToSavepoint, error))
    return fail("cannot end the catalog read");
  return facts;
}

std::string withoutQualifier(const std::string& text, const std::string& schema, QualifiedLiterals literals) {
  const std::string qualifier = model::postgresQuoteIdentifier(schema) + ".";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\'') {
      // A literal that starts with the qualifier is a name the server wrote
      // qualified ('s.seq'::regclass in nextval()): its qualifier goes too.
      std::size_t end = i + 1;
      if (literals == QualifiedLiterals::Strip && text.compare(i + 1, qualifier.size(), qualifier) == 0) {
        out += '\'';
        i += 1 + qualifier.size();
        end = i;
      }
      while (end < text.size() && text[end] != '\'') ++end;
      end = std::min(end + 1, text.size());  // a doubled '' is two literals back to back
      out.append(text, i, end - i);
      i = end;
      continue;
    }
    bool starts_word = i == 0 || !isIdentifierByte(text[i - 1]);
    if (starts_word && text.compare(i, qualifier.size(), qualifier) == 0) {
      i += qualifier.size();
      continue;
    }
    out += text[i++];
  }
  return out;
}

Facts filtered(Facts facts, const FactFilter& filter) {
  // The objects of ignored tables: the tables and the sequences they own.
  std::set<std::string> ignored;
  for (const std::string& table : filter.ignored_tables) ignored.insert("table " + table);
  for (const auto& [key, value] : facts.values)
    if (key.what == "owned by" && key.path.size() == 1)
      for (const std::string& table : filter.ignored_tables)
        if (value.starts_with(table + ".")) ignored.insert(key.path.front());
  std::erase_if(facts.values, [&](const auto& entry) {
    const FactKey& key = entry.first;
    if (!filter.owners && key.what == "owner") return true;
    if (!filter.grants && key.what == "grants") return true;
    return ignored.contains(key.path.front());
  });
  if (!filter.qualifier.empty()) {
    // pg_get_indexdef() names a temporary schema pg_temp, whatever its number.
    const bool temporary = filter.qualifier.starts_with("pg_temp_");
    for (auto& [key, value] : facts.values) {
      value = withoutQualifier(value, filter.qualifier);
      if (temporary) value = withoutQualifier(value, "pg_temp");
    }
  }
  return facts;
}

std::vector<Difference> factDifferences(const Facts& expected, const Facts& actual) {
  std::vector<Difference> out;
  // Objects in one side only: one difference each, their properties not listed.
  std::vector<std::vector<std::string>> whole;
  auto object_missing = [&](const FactKey& key) {
    for (const auto& path : whole)
      if (startsWith(key.path, path)) return true;
    return false;
  };
  std::set<FactKey> keys;
  for (const auto& [key, value] : expected.values) keys.insert(key);
  for (const auto& [key, value] : actual.values) keys.insert(key);
  for (const FactKey& key : keys) {
    if (object_missing(key)) continue;
    auto a = expected.values.find(key);
    auto b = actual.values.find(key);
    if (key.what.empty()) {
      if (b == actual.values.end() || a == expected.values.end()) {
        out.push_back(b == actual.values.end() ? Difference{key.path, "missing", "present", "absent"}
                                               : Difference{key.path, "unexpected", "absent", "present"});
        whole.push_back(key.path);
      } else if (a->second != b->second) {
        out.push_back(Difference{key.path, "kind", a->second, b->second});
      }
      continue;
    }
    std::string left = a == expected.values.end() ? "none" : a->second;
    std::string right = b == actual.values.end() ? "none" : b->second;
    if (key.what == "column order") {
      if (auto order = columnOrder(key, left == "none" ? "" : left, right == "none" ? "" : right))
        out.push_back(std::move(*order));
      continue;
    }
    if (left != right) out.push_back(Difference{key.path, key.what, left, right});
  }
  return out;
}

}  // namespace felisc::catalog
