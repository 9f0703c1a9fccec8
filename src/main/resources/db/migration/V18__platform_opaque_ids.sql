-- Ids a workspace sees (contacts, subscriptions, messages) came from sequences shared by every workspace, so the gap
-- between two of one workspace's ids told it how many the others had created meanwhile (issue 13, finding 7). New ids
-- are opaque_id(nextval(...)): still numbered by the shared sequences, so unique across workspaces, but each number
-- put through a keyed permutation of 52 bits and offset by 2^52. They lie in [2^52, 2^53): above every id issued
-- before (all below 2^52), which keep their values, and exact as JavaScript numbers, so every dialect answers them as
-- the numbers its vendor uses.
--
-- The permutation is a 6-round Feistel network over two 26-bit halves. Its round function is plain bigint arithmetic
-- (xor, a multiply by an odd constant modulo 2^26, xorshifts; no product reaches 2^63), never PostgreSQL's hash
-- functions, whose output may change between major versions and would then reissue taken ids. The round keys are
-- drawn here, once per installation, from gen_random_uuid (a strong random source), and written into the function's
-- body, so that a tenant, who knows the algorithm but not the keys, cannot invert it. A dump restores the function
-- with its keys; a fresh installation gets keys of its own. Any database role can read the keys in pg_proc: they
-- hide volumes from API callers, who have no SQL access, not from the database's own users.
--
-- Left numbered as they were: workspaces (created by the system scope; every workspace's id is in its signed
-- checkpoints and in the public key set, which lists every workspace anyway), and the internal outbox and
-- cache_invalidations, which no answer shows. Sign-up units and API keys have random text ids; workspace events and
-- checkpoints are numbered per workspace, consent events per contact.
do $do$
declare
    keys bigint[] := '{}';
begin
    -- the first 8 hex digits of a version 4 UUID are random: 32 bits, of which a round key takes 26
    for i in 1..12 loop
        keys := keys || (('x' || left(gen_random_uuid()::text, 8))::bit(32)::bigint & 67108863);
    end loop;
    execute format($create$
        create function opaque_id(n bigint) returns bigint
            language plpgsql immutable strict parallel safe as $fn$
        declare
            -- installation secret: the xor key and the added key of each round
            k bigint[] := %L;
            l bigint := n >> 26;
            r bigint := n & 67108863;
            f bigint;
        begin
            if n < 0 or n >= 4503599627370496 then
                raise exception 'opaque_id: %% is outside 0 to 2^52 - 1', n using errcode = 'numeric_value_out_of_range';
            end if;
            for i in 1..6 loop
                f := ((r # k[2 * i - 1]) * 37190073) & 67108863;
                f := f # (f >> 13);
                f := ((f + k[2 * i]) * 32229995) & 67108863;
                f := f # (f >> 12);
                f := l # f;
                l := r;
                r := f;
            end loop;
            return 4503599627370496 + (l << 26) + r;
        end
        $fn$
        $create$, keys);
end
$do$;

comment on function opaque_id(bigint) is
    'A keyed permutation of 0 to 2^52 - 1 onto 2^52 to 2^53 - 1: the public id of a shared sequence''s number';

-- The application's role computes ids whenever it inserts; execute is granted to PUBLIC by default, said here so that
-- a server whose default privileges revoke it still works.
grant execute on function opaque_id(bigint) to public;

alter sequence contact_id_seq maxvalue 4503599627370495;
alter table contacts alter column id set default opaque_id(nextval('contact_id_seq'));

-- Subscriptions and messages were numbered by identity columns, whose sequences cannot feed a default: each gets a
-- plain sequence that carries on from the identity's last number. Default privileges give the application's role
-- usage on both, as on every sequence a migration creates.
do $do$
declare
    tab text;
    identity_seq text;
    next bigint;
begin
    foreach tab in array array['subscriptions', 'messages'] loop
        identity_seq := pg_get_serial_sequence(tab, 'id');
        execute format('select case when is_called then last_value + 1 else last_value end from %s', identity_seq)
            into next;
        execute format('alter table %I alter column id drop identity', tab);
        execute format(
            'create sequence %I as bigint minvalue 1 maxvalue 4503599627370495 start with %s owned by %I.id',
            left(tab, -1) || '_id_seq', next, tab);
        execute format('alter table %I alter column id set default opaque_id(nextval(%L))', tab,
            left(tab, -1) || '_id_seq');
    end loop;
end
$do$;
