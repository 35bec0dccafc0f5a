-- Each stored change says whether it is the last of its transaction, and who made it (see
-- CapturedChange): a client resuming with `after: cursor` after a restart gets them as they were.
alter table order_change_log
    add column ends_transaction          boolean not null default true,
    add column origin_actor_id           bigint,
    add column origin_client_mutation_id text;

-- Changes stored before this migration: a transaction's changes are consecutive, so each ends its
-- transaction unless the next one belongs to the same. Their origin was never recorded: outside.
update order_change_log stored
set ends_transaction = false
where exists (select 1 from order_change_log next
              where next.sequence = stored.sequence + 1 and next.tx_id = stored.tx_id);

alter table order_change_log alter column ends_transaction drop default;
