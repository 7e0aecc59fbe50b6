/// \file
/// Every SQL statement the catalog reader sends, as named constants, in one place.
///
/// A call of the reader runs a fixed sequence of these, whatever the number of
/// tables: one snapshot transaction, then one bulk query per kind of object, each
/// filtered on the server to the wanted schemas by `n.nspname = ANY($1::text[])`.
/// Rows come back in no particular order; the reader groups them by relation oid
/// and sorts what it outputs, so that the server's collation never matters.
///
/// Objects that belong to an extension (pg_depend deptype 'e', such as a table an
/// extension creates) are left out: they are the extension's, not the schema's.
#pragma once

#include <array>
#include <string_view>

namespace felisc::catalog::sql {

/// One snapshot for every query of a call: the catalog cannot change between them.
inline constexpr std::string_view kBeginSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// A fixed search path for this transaction, so that format_type() and
/// pg_get_expr() render names the same whatever the role's own search_path is:
/// objects of the inspected schemas come out schema-qualified, types installed in
/// `public` by an extension (pgsphere's spoly) come out bare.
inline constexpr std::string_view kSetSearchPath =
    "SELECT pg_catalog.set_config('search_path', 'public', true)";

inline constexpr std::string_view kCommit = "COMMIT";
inline constexpr std::string_view kRollback = "ROLLBACK";

/// Reading inside the caller's open transaction (catalog_reader.h,
/// ReadTransaction::Caller): a savepoint instead of BEGIN, rolled back to instead
/// of COMMIT. The rollback undoes the reader's transaction-local search_path (and
/// a failed query), so the caller's transaction goes on as it was; the savepoint
/// itself stays, empty, until that transaction ends.
inline constexpr std::string_view kSavepoint = "SAVEPOINT felisc_catalog_read";
inline constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO SAVEPOINT felisc_catalog_read";

/// The wanted schemas that exist, whether the role may use them, and their comments.
inline constexpr std::string_view kSchemas = R"sql(
SELECT n.nspname,
       pg_catalog.has_schema_privilege(n.oid, 'USAGE') AS has_usage,
       pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
       d.description
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text[])
)sql";

/// Tables, partitioned tables, views and materialized views, with owner,
/// comment, reloptions and (views) the definition.
inline constexpr std::string_view kRelations = R"sql(
SELECT c.oid,
       n.nspname,
       c.relname,
       c.relkind,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       d.description,
       c.reloptions,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS definition
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND e.objid = c.oid AND e.deptype = 'e')
)sql";

/// Every live column of those relations: type as format_type() spells it,
/// NOT NULL, default as pg_get_expr() renders it, identity, generated, comment.
/// A default holds no column reference, so it is deparsed without the relation
/// (relid 0), which spares the server a relation lookup per default and renders
/// the same text; a generated column's expression does refer to columns.
inline constexpr std::string_view kColumns = R"sql(
SELECT a.attrelid,
       a.attnum,
       a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS sql_type,
       a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0)
            ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS sql_default,
       a.attidentity,
       a.attgenerated,
       d.description
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = a.attnum
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND a.attnum > 0
  AND NOT a.attisdropped
)sql";

/// Sequences owned by a column: deptype 'a' for serial (OWNED BY), 'i' for identity,
/// with their options (a sequence no default uses is modelled whole: model::Sequence).
/// A sequence always lives in its table's schema, so the schema filter applies to it.
inline constexpr std::string_view kOwnedSequences = R"sql(
SELECT dep.refobjid,
       dep.refobjsubid,
       s.relname,
       dep.deptype,
       pg_catalog.format_type(seq.seqtypid, NULL),
       seq.seqstart,
       seq.seqincrement,
       seq.seqmin,
       seq.seqmax,
       seq.seqcache,
       seq.seqcycle
FROM pg_catalog.pg_class s
JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace
JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = s.oid
JOIN pg_catalog.pg_depend dep
       ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = s.oid
      AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjsubid > 0
      AND dep.deptype IN ('a', 'i')
WHERE n.nspname = ANY($1::text[])
  AND s.relkind = 'S'
)sql";

/// Primary key, unique, foreign key and check constraints (and exclusion
/// constraints, which the model does not hold: the reader warns): key columns and
/// referenced columns as attribute numbers (the reader names them from the columns
/// it read), the referenced table, actions, deferrability, the check expression
/// (pg_get_constraintdef(), deparsed only for checks: it is the costly part) and
/// the comment. A foreign key into a relation the reader does not read (another
/// schema, or an extension's table) gets its referenced column names here.
inline constexpr std::string_view kConstraints = R"sql(
SELECT co.conrelid,
       co.conname,
       co.contype,
       co.conkey,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       co.confrelid,
       co.confkey,
       co.confdeltype,
       co.confupdtype,
       co.condeferrable,
       co.condeferred,
       CASE WHEN co.contype = 'c' THEN pg_catalog.pg_get_constraintdef(co.oid) END AS definition,
       d.description,
       CASE WHEN co.contype = 'f'
             AND (NOT rn.nspname = ANY($1::text[])
                  OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                             WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                               AND e.objid = co.confrelid AND e.deptype = 'e'))
            THEN ARRAY(SELECT a.attname FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY AS k(attnum, i)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum
                       ORDER BY k.i)
       END AS outside_ref_columns
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text[])
  AND co.contype IN ('p', 'u', 'f', 'c', 'x')
)sql";

/// Indexes that no constraint owns (the primary key's and unique constraints'
/// indexes are read as constraints): uniqueness, access method, key columns by
/// attribute number (0 for an expression), the expressions rendered one by one,
/// the predicate, and the comment; then the total number of columns (INCLUDE
/// columns past the keys) and the per-key options (DESC, NULLS FIRST), which the
/// model does not hold: the reader warns.
inline constexpr std::string_view kIndexes = R"sql(
SELECT i.indrelid,
       ic.relname,
       i.indisunique,
       am.amname,
       i.indnkeyatts,
       i.indkey,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, false)
             FROM pg_catalog.generate_series(1, i.indnkeyatts::integer) AS k
             WHERE i.indkey[k - 1] = 0
             ORDER BY k) AS expressions,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       d.description,
       i.indnatts,
       i.indoption::text AS options
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x
                  WHERE x.conindid = i.indexrelid AND x.contype IN ('p', 'u', 'x'))
)sql";

/// Privileges granted on relations and on their columns (aclexplode of relacl and
/// attacl). The owner's own privileges are left out: they come with ownership.
inline constexpr std::string_view kGrants = R"sql(
SELECT c.oid,
       NULL::name AS column_name,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(g.grantee) END AS grantee,
       g.privilege_type,
       g.is_grantable
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS g
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND c.relacl IS NOT NULL
  AND g.grantee <> c.relowner
UNION ALL
SELECT c.oid,
       a.attname,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(g.grantee) END,
       g.privilege_type,
       g.is_grantable
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) AS g
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND a.attacl IS NOT NULL
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND g.grantee <> c.relowner
)sql";

/// What each view and materialized view depends on: the relations (and their
/// columns, refobjsubid > 0) its rewrite rule references, through pg_depend.
inline constexpr std::string_view kViewDependencies = R"sql(
SELECT DISTINCT r.ev_class,
       rn.nspname,
       rc.relname,
       COALESCE(ra.attname, '') AS column_name
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
JOIN pg_catalog.pg_depend dep
       ON dep.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND dep.objid = r.oid
      AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjid <> r.ev_class
JOIN pg_catalog.pg_class rc ON rc.oid = dep.refobjid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_attribute ra
       ON ra.attrelid = dep.refobjid AND ra.attnum = dep.refobjsubid AND dep.refobjsubid > 0
WHERE n.nspname = ANY($1::text[])
  AND v.relkind IN ('v', 'm')
)sql";

/// The statements of one call, in the order they are sent. Their number is the
/// reader's whole cost in round trips, however many tables the schemas hold.
inline constexpr std::array kReadSequence = {
    kBeginSnapshot, kSetSearchPath, kSchemas, kRelations,        kColumns, kOwnedSequences,
    kConstraints,   kIndexes,       kGrants,  kViewDependencies, kCommit,
};

/// The same inside the caller's transaction: as many statements.
inline constexpr std::array kReadSequenceInTransaction = {
    kSavepoint,           kSetSearchPath, kSchemas, kRelations, kColumns,
    kOwnedSequences,      kConstraints,   kIndexes, kGrants,    kViewDependencies,
    kRollbackToSavepoint,
};
static_assert(kReadSequenceInTransaction.size() == kReadSequence.size());

}  // namespace felisc::catalog::sql
