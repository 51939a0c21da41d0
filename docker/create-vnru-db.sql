-- Runs once when the compose PostgreSQL volume is created: vnru's own database beside Airflow's.
CREATE DATABASE vnru OWNER airflow;
