-- Group commit (docs/scoring.md, "Durability"): the sheets of every batch in one transaction advance in one
-- call; any sheet not at its expected version aborts the whole transaction (serialization_failure).
create function skillshub.advance_sheets(p_competition text[], p_skill smallint[], p_competitor text[], p_from bigint[], p_to bigint[])
returns void language plpgsql as $$
begin
    for i in 1 .. coalesce(array_length(p_competition, 1), 0) loop
        perform skillshub.advance_sheet(p_competition[i], p_skill[i], p_competitor[i], p_from[i], p_to[i]);
    end loop;
end $$;
