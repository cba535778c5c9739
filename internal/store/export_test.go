package store

// MigrationLock is the advisory lock key Migrate takes on PostgreSQL, for tests that hold it themselves.
const MigrationLock = migrationLock
