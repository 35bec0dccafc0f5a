-- Updates and deletes carry the whole old row in the log, so a change of owner reaches the old
-- owner's subscriptions and filters can be matched against the row before the change.
alter table orders replica identity full;

-- The change feed's last published position (see FeedPositionStore).
create table cdc_feed_position (
    feed       text primary key,
    tx_id bigint      not null,
    lsn        bigint      not null,
    updated_at timestamptz not null
);
