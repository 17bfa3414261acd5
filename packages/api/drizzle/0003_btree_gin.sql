-- Custom migration: btree_gin lets tenant_id lead GIN indexes (trigram search, tags, custom fields).
CREATE EXTENSION IF NOT EXISTS btree_gin;
