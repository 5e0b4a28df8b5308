DROP TABLE migration_logs;
