-- The open results feed (issue #17, docs/feed.md): every published change of a competition's public view as
-- an event with a per-competition monotonic id. Ids are allocated under the counter row's lock inside the
-- inserting transaction, so they become visible in id order and a reader resuming after id N misses nothing.
create table skillshub.feed_counters (
    competition text primary key,
    last_id     bigint not null default 0
);

create table skillshub.feed_events (
    competition text not null,
    id          bigint not null,
    type        text not null check (type in ('standings', 'results', 'medals', 'visibility')),
    skill       integer,
    -- Every node's observer sees each change: the first to store it wins, the others find its key.
    dedupe      text not null,
    data        jsonb not null,
    at          timestamptz not null default now(),
    primary key (competition, id),
    unique (competition, dedupe)
);
