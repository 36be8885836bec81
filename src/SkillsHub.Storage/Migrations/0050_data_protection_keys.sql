-- ASP.NET Core Data Protection key ring (sign-in cookies, antiforgery tokens), shared by every node of a
-- cluster: one row per key or revocation element, as the key manager writes it. The key material inside is
-- encrypted with DataProtection:KeyEncryptionKey before it gets here (Hosting/DataProtectionSetup.cs).
create table if not exists skillshub.data_protection_keys (
    friendly_name text primary key,
    xml           text not null,
    created_at    timestamptz not null default now()
);
