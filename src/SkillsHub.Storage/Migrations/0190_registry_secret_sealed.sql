-- The registry's token key is stored sealed (AES-256-GCM under Credentials:KeyEncryptionKey, with the key-encryption
-- key's fingerprint beside it), as the agencies' signing keys are (docs/deployment.md, "Shared keys in PostgreSQL").
-- A key stored in the clear before this migration is sealed by the first node that starts after it.
alter table skillshub.registry_secret
    alter column secret drop not null,
    add column sealed bytea,
    add column kek_id text,
    add constraint registry_secret_sealed_or_clear check ((sealed is not null and kek_id is not null and secret is null) or (sealed is null and secret is not null));
