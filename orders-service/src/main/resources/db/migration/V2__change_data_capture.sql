-- Updates and deletes carry the whole old row in the log, so a change of owner reaches the old
-- owner's subscriptions and filters can be matched against the row before the change.
alter table orders replica identity full;

-- The change feed's replay window (see ChangeLogStore): the most recent changes, in delivery order,
-- kept across restarts so that a client resuming with `after: cursor` misses nothing. Bounded by
-- ordergraph.cdc.replay-window; the service trims it.
create table order_change_log (
    sequence       bigint primary key,
    tx_id          bigint      not null,
    lsn            bigint      not null,
    ordinal        integer     not null,
    action         text        not null,
    before_id      bigint,
    before_date    date,
    before_state   text,
    before_user_id bigint,
    after_id       bigint,
    after_date     date,
    after_state    text,
    after_user_id  bigint,
    committed_at   timestamptz not null,
    unique (tx_id, lsn, ordinal)
);
