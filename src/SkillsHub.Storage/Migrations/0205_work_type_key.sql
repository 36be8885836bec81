-- A session's type of work as one exam is told from another (docs/certification.md, "Imports": one evaluation a person for
-- one exam): its compatibility form (a full-width letter or space is the plain one), each run of spaces one space, in lower
-- case. Free text typed by an officer: "C12weld", "c12WELD", "C12  weld" and the full-width "Ｃ１２weld" each made another
-- exam, and one person was certified twice for one (found by an outside tester). Stored as typed; compared by this key.
create function skillshub.work_type_key(work_type text) returns text
    language sql immutable strict parallel safe
    as $$ select lower(regexp_replace(normalize(work_type, NFKC), '\s+', ' ', 'g')) $$;
