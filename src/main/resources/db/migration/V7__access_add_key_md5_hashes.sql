-- Capillary's clients send md5(key) as the Basic password. Kept as SHA-256 of that MD5 hex, like the key itself, so
-- a copy of this table cannot be replayed; null for keys issued before this column, filled on their next full-key use.
alter table api_keys add column secret_md5_hash bytea;
create unique index api_key_by_secret_md5_hash_idx on api_keys (secret_md5_hash);
