DROP TABLE failed_ingests;
DROP TABLE sess_clips;
DROP TABLE s3_files;
